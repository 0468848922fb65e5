package org.lobstertrap.puzzlepod.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import org.lobstertrap.puzzlepod.daemon.network.AddressPolicy;
import org.lobstertrap.puzzlepod.daemon.network.AllowlistProxy;
import org.lobstertrap.puzzlepod.daemon.network.DomainAllowlist;
import org.lobstertrap.puzzlepod.daemon.network.GatedContainers;
import org.lobstertrap.puzzlepod.daemon.network.ProxySettings;

/**
 * A Gated HTTP request through {@link AllowlistProxy} against the same request sent straight to the server,
 * both on loopback, interleaved in the same run: a small GET (connection set-up, head parsing, allowlist,
 * resolution, address check, upstream connect dominate) and a 1 MiB GET (the splice dominates). Each request
 * opens its own connection and sends {@code Connection: close}, as the proxy makes every proxied request do.
 *
 * <p>Usage: {@code GatedProxyBench [rounds 15] [requests per round 200]}.
 */
public final class GatedProxyBench {
    private GatedProxyBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        InetAddress lo = InetAddress.getLoopbackAddress();
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'x');
        HttpServer server = HttpServer.create(new InetSocketAddress(lo, 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestURI().getPath().equals("/big") ? big : "ok\n".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        InetSocketAddress upstream = server.getAddress();
        GatedContainers containers = new GatedContainers();
        try (AllowlistProxy proxy = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(lo, 0), null), containers,
                (host, port) -> List.of(upstream), AddressPolicy.publicOnly().orExactly(Set.of(lo)), d -> { })) {
            proxy.register(lo, "bench", DomainAllowlist.parse(List.of("allowed.test")));
            for (String path : new String[] {"/small", "/big"}) {
                int n = path.equals("/big") ? Math.max(1, perRound / 10) : perRound;
                byte[] req = ("GET " + path + " HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                long expect = path.equals("/big") ? big.length : 3;
                // warm-up: JIT, connection paths, virtual-thread scheduler
                for (int i = 0; i < n; i++) {
                    get(upstream, req, expect);
                    get(proxy.localAddress(), req, expect);
                }
                double[] direct = new double[rounds], proxied = new double[rounds], ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) get(upstream, req, expect);
                    long t1 = System.nanoTime();
                    for (int i = 0; i < n; i++) get(proxy.localAddress(), req, expect);
                    long t2 = System.nanoTime();
                    direct[r] = (t1 - t0) / 1e3 / n;
                    proxied[r] = (t2 - t1) / 1e3 / n;
                    ratio[r] = proxied[r] / direct[r];
                }
                System.out.printf("GET %-6s direct %8.1f us  via proxy %8.1f us  ratio %.2fx (median of %d rounds x %d requests; per-round ratios %.2f-%.2f)%n",
                        path, median(direct), median(proxied), median(ratio), rounds, n, min(ratio), max(ratio));
            }
        } finally {
            server.stop(0);
        }
    }

    private static void get(InetSocketAddress to, byte[] request, long expectBody) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(request);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) total += n;
            if (total < expectBody) throw new IOException("short response: " + total + " bytes");
        }
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElse(0); }

    private static double max(double[] v) { return Arrays.stream(v).max().orElse(0); }
}
