package org.lobstertrap.puzzlepod.daemon.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Gated containers' web proxy: one listener that nftables rules in each container's network namespace
 * DNAT TCP 80 and 443 to. The original destination address is not visible here (it lives in the container's
 * conntrack table), so each connection is decided by the name the client sends: the TLS SNI, the HTTP
 * {@code Host} (or an absolute {@code http://} target), or an HTTP {@code CONNECT host:port}.
 *
 * <p>An allowed name is resolved, every address is checked against the {@link AddressPolicy} (one non-public
 * address denies the request), and the proxy connects to the checked address itself, so a second resolution
 * cannot swap the address (no DNS rebinding window). Then the bytes read so far are replayed and both
 * directions are spliced. Denied plain HTTP gets {@code 403} (malformed: {@code 400}) with a short reason;
 * denied TLS is closed. Every decision goes to the {@link NetworkDecisionSink}, with the branch of the
 * container whose bridge address the connection came from ({@link GatedContainers}).
 */
public final class AllowlistProxy implements AutoCloseable {
    private static final int PEEK_BYTES = Math.max(HttpRequestHead.MAX_HEAD_BYTES, TlsClientHello.MAX_BYTES);
    private static final int SPLICE_BUFFER = 32 * 1024;

    private final ProxySettings settings;
    private final GatedContainers containers;
    private final UpstreamResolver resolver;
    private final AddressPolicy addresses;
    private final NetworkDecisionSink sink;
    private final ServerSocket server;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perSource = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private AllowlistProxy(ProxySettings settings, GatedContainers containers, UpstreamResolver resolver,
                           AddressPolicy addresses, NetworkDecisionSink sink) throws IOException {
        this.settings = settings;
        this.containers = containers;
        this.resolver = resolver;
        this.addresses = addresses;
        this.sink = sink;
        this.slots = new Semaphore(settings.maxConnections());
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(settings.bind(), 256);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + settings.bind() + ": " + e.getMessage(), e);
        }
        this.server = s;
        this.acceptor = Thread.ofPlatform().name("puzzlepod-proxy-accept").daemon().unstarted(this::acceptLoop);
    }

    /**
     * Starts listening.
     *
     * @param containers the registry of Gated containers (shared with the DNS filter)
     * @param resolver   how allowed names are resolved ({@link UpstreamResolver#system()} in the daemon)
     * @param addresses  which resolved addresses may be connected to ({@link AddressPolicy#publicOnly()} in the daemon)
     * @param sink       where decisions are reported
     * @throws IOException when the listening address cannot be bound
     */
    public static AllowlistProxy start(ProxySettings settings, GatedContainers containers, UpstreamResolver resolver,
                                       AddressPolicy addresses, NetworkDecisionSink sink) throws IOException {
        AllowlistProxy p = new AllowlistProxy(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(containers, "containers"),
                Objects.requireNonNull(resolver, "resolver"), Objects.requireNonNull(addresses, "addresses"), Objects.requireNonNull(sink, "sink"));
        p.acceptor.start();
        return p;
    }

    /** Serves the container at {@code containerAddress} with {@code allowlist}, auditing for {@code branchId}. */
    public void register(InetAddress containerAddress, String branchId, DomainAllowlist allowlist) {
        containers.register(containerAddress, branchId, allowlist);
    }

    /** Stops serving the container at {@code containerAddress}. */
    public void unregister(InetAddress containerAddress) { containers.unregister(containerAddress); }

    /** The registry this proxy serves (share it with the {@link DnsFilter}). */
    public GatedContainers containers() { return containers; }

    /** The bound listening address (with the actual port when port 0 was asked for). */
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!closed) {
            Socket c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (closed) return;
                continue; // e.g. EMFILE: keep serving the connections that exist
            }
            if (!slots.tryAcquire()) {
                closeQuietly(c);
                continue;
            }
            // counted here, in accept order, so a container's share is decided before any of its threads runs
            InetAddress source = c.getInetAddress();
            if (perSource.merge(source, 1, Integer::sum) > settings.maxPerSource()) {
                GatedContainers.Registration reg = containers.lookup(source);
                decide(reg == null ? null : reg.branchId(), source, "unknown", null, false,
                        "more than " + settings.maxPerSource() + " connections at once from this container", null);
                release(source);
                closeQuietly(c);
                slots.release();
                continue;
            }
            open.add(c);
            Thread.ofVirtual().name("puzzlepod-proxy-conn").start(() -> {
                try {
                    handle(c);
                } finally {
                    release(source);
                    open.remove(c);
                    closeQuietly(c);
                    slots.release();
                }
            });
        }
    }

    private void release(InetAddress source) {
        perSource.computeIfPresent(source, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** What the first bytes asked for. */
    private record Request(String protocol, Authority destination, byte[] prefix, int consumed, boolean tunnel) {}

    private void handle(Socket client) {
        InetAddress source = client.getInetAddress();
        if (settings.localAddress() != null && !settings.localAddress().equals(client.getLocalAddress())) {
            decide(null, source, "unknown", null, false, "arrived at " + client.getLocalAddress().getHostAddress()
                    + ", not at the bridge address " + settings.localAddress().getHostAddress(), null);
            return;
        }
        GatedContainers.Registration reg = containers.lookup(source);
        if (reg == null) {
            decide(null, source, "unknown", null, false, "not a registered Gated container", null);
            return;
        }
        String branch = reg.branchId();
        byte[] buf = new byte[PEEK_BYTES];
        int len = 0;
        Request req;
        try {
            InputStream in = client.getInputStream();
            long deadline = System.nanoTime() + settings.headTimeout().toNanos();
            while (true) {
                try {
                    req = classify(buf, len);
                } catch (MalformedInput e) {
                    boolean http = HttpRequestHead.looksLikeHttp(buf, len);
                    String protocol = http ? "http" : TlsClientHello.looksLikeTls(buf, len) ? "tls" : "unknown";
                    decide(branch, source, protocol, null, false, "malformed request: " + e.getMessage(), null);
                    if (http) reply(client, 400, "Bad Request", "malformed request: " + e.getMessage());
                    return;
                }
                if (req != null) break;
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                int n;
                try {
                    if (leftMs <= 0) throw new SocketTimeoutException();
                    client.setSoTimeout((int) Math.max(1, leftMs));
                    n = in.read(buf, len, buf.length - len);
                } catch (SocketTimeoutException e) {
                    decide(branch, source, HttpRequestHead.looksLikeHttp(buf, len) ? "http" : "unknown", null, false,
                            "no complete request within " + settings.headTimeout().toMillis() + " ms", null);
                    return;
                }
                if (n < 0) {
                    if (len > 0) decide(branch, source, "unknown", null, false, "closed before a complete request", null);
                    return;
                }
                len += n;
            }
        } catch (IOException e) {
            return; // the client went away while we read its head
        }
        Authority dest = req.destination();
        boolean http = !req.protocol().equals("tls");
        if (!reg.allowlist().allows(dest.host(), dest.port())) {
            deny(client, branch, source, req, dest.host() + ":" + dest.port() + " is not allowed for this container");
            return;
        }
        List<InetSocketAddress> candidates;
        try {
            candidates = resolver.resolve(dest.host(), dest.port());
        } catch (IOException | RuntimeException e) {
            candidates = List.of();
        }
        if (candidates.isEmpty()) {
            deny(client, branch, source, req, dest.host() + " does not resolve");
            return;
        }
        for (InetSocketAddress a : candidates) {
            if (a.isUnresolved() || !addresses.permits(a.getAddress())) {
                deny(client, branch, source, req, dest.host() + " resolves to " + (a.isUnresolved() ? "an unresolved address"
                        : "the non-public address " + a.getAddress().getHostAddress()));
                return;
            }
        }
        Socket upstream = connect(candidates);
        if (upstream == null) {
            decide(branch, source, req.protocol(), dest, false, "cannot connect to " + dest.host() + " " + display(candidates), null);
            if (http) reply(client, 502, "Bad Gateway", "cannot connect to " + dest.host());
            return;
        }
        open.add(upstream);
        try (upstream) {
            decide(branch, source, req.protocol(), dest, true, "allowed", display(List.of((InetSocketAddress) upstream.getRemoteSocketAddress())));
            if (req.tunnel())
                client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            OutputStream up = upstream.getOutputStream();
            // the rewritten head (plain HTTP), then every byte read after what was parsed (TLS: all of it)
            up.write(req.prefix());
            up.write(buf, req.consumed(), len - req.consumed());
            up.flush();
            splice(client, upstream);
        } catch (IOException e) {
            // either side went away: closing both is all there is to do
        } finally {
            open.remove(upstream);
        }
    }

    private static Request classify(byte[] buf, int len) throws MalformedInput {
        if (len == 0) return null;
        if (TlsClientHello.looksLikeTls(buf, len)) {
            TlsClientHello hello = TlsClientHello.parse(buf, len);
            if (hello == null) return null;
            if (hello.encrypted()) throw new MalformedInput("Encrypted Client Hello hides the server name");
            if (hello.serverName() == null) throw new MalformedInput("TLS without a server name (SNI)");
            return new Request("tls", new Authority(hello.serverName(), 443), new byte[0], 0, false);
        }
        if (!HttpRequestHead.looksLikeHttp(buf, len)) throw new MalformedInput("neither TLS nor HTTP");
        HttpRequestHead head = HttpRequestHead.parse(buf, len);
        if (head == null) return null;
        Authority dest = head.destination();
        return head.isConnect() ? new Request("connect", dest, new byte[0], head.length(), true)
                : new Request("http", dest, head.forwardedHead(), head.length(), false);
    }

    private Socket connect(List<InetSocketAddress> candidates) {
        for (InetSocketAddress a : candidates) {
            Socket s = new Socket();
            try {
                s.connect(a, (int) settings.connectTimeout().toMillis());
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    private void splice(Socket client, Socket upstream) throws IOException {
        AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        int idleMs = (int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis());
        client.setSoTimeout(idleMs);
        upstream.setSoTimeout(idleMs);
        Thread back = Thread.ofVirtual().name("puzzlepod-proxy-down").start(() -> pump(upstream, client, lastActivity, idleMs));
        pump(client, upstream, lastActivity, idleMs);
        try {
            back.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies {@code from} to {@code to} until end of stream, then half-closes {@code to}; an error closes both. */
    private static void pump(Socket from, Socket to, AtomicLong lastActivity, int idleMs) {
        byte[] b = new byte[SPLICE_BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int n;
                try {
                    n = in.read(b);
                } catch (SocketTimeoutException e) {
                    // idle only when neither direction moved for the whole timeout
                    if ((System.nanoTime() - lastActivity.get()) / 1_000_000 >= idleMs) throw e;
                    continue;
                }
                if (n < 0) break;
                lastActivity.set(System.nanoTime());
                out.write(b, 0, n);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void deny(Socket client, String branch, InetAddress source, Request req, String reason) {
        decide(branch, source, req.protocol(), req.destination(), false, reason, null);
        if (!req.protocol().equals("tls")) reply(client, 403, "Forbidden", reason);
    }

    private void decide(String branch, InetAddress source, String protocol, Authority dest, boolean allowed, String reason, String upstream) {
        try {
            sink.record(new NetworkDecision(Instant.now(), branch, source, protocol, dest == null ? null : dest.host(),
                    dest == null ? 0 : dest.port(), allowed, reason, upstream));
        } catch (RuntimeException e) {
            // a failing sink must not take the connection thread down; the daemon's sink reports its own failures
        }
    }

    /** Writes a short plain-text error response, then drains what the client still sends so it sees the answer. */
    private static void reply(Socket client, int status, String phrase, String reason) {
        byte[] body = ("puzzlepod gated network: " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        try {
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            client.shutdownOutput();
            // closing with unread input would send a reset that can destroy the response in flight
            client.setSoTimeout(1000);
            InputStream in = client.getInputStream();
            byte[] sink = new byte[4096];
            int total = 0;
            while (total < 64 * 1024) {
                int n = in.read(sink);
                if (n < 0) break;
                total += n;
            }
        } catch (IOException e) {
            // the client is gone
        }
    }

    private static String display(List<InetSocketAddress> addrs) {
        StringBuilder sb = new StringBuilder();
        for (InetSocketAddress a : addrs) {
            if (!sb.isEmpty()) sb.append(' ');
            String h = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
            sb.append(h.indexOf(':') >= 0 ? "[" + h + "]" : h).append(':').append(a.getPort());
        }
        return sb.toString();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Stops listening and closes every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : open) closeQuietly(s);
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
