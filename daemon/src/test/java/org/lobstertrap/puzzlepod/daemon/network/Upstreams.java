package org.lobstertrap.puzzlepod.daemon.network;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Real local servers standing in for the internet. */
final class Upstreams {
    private Upstreams() {}

    /** The JDK's HTTP server on loopback: {@code /big} is 1 MiB of 'x', anything else echoes its path. */
    static final class Http implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger requests = new AtomicInteger();
        final List<String> connectionHeaders = new CopyOnWriteArrayList<>();

        Http() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                requests.incrementAndGet();
                connectionHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("Connection")));
                ex.getRequestBody().readAllBytes();
                byte[] body = ex.getRequestURI().getPath().equals("/big") ? "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII)
                        : ("hello from upstream " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            server.start();
        }

        InetSocketAddress address() { return server.getAddress(); }

        @Override
        public void close() { server.stop(0); }
    }

    /** A TCP listener on loopback that records what each connection sent first and echoes it back as "echo:" + bytes. */
    static final class Echo implements AutoCloseable {
        final ServerSocket server;
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        private final Thread loop;

        Echo() throws IOException {
            server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            loop = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                int n = in.read(buf);
                if (n <= 0) return;
                received.add(java.util.Arrays.copyOf(buf, n));
                OutputStream out = s.getOutputStream();
                out.write("echo:".getBytes(StandardCharsets.US_ASCII));
                out.write(buf, 0, n);
                out.flush();
            } catch (IOException e) {
                // the peer went away
            }
        }

        InetSocketAddress address() { return (InetSocketAddress) server.getLocalSocketAddress(); }

        @Override
        public void close() throws IOException {
            server.close();
            try {
                loop.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
