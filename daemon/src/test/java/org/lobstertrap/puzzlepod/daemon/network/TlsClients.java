package org.lobstertrap.puzzlepod.daemon.network;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** Real ClientHellos from the JDK's TLS stack. */
final class TlsClients {
    private TlsClients() {}

    /** A JDK SSLSocket to {@code to}, with SNI {@code serverName} (or none when null), not yet handshaking. */
    static SSLSocket socket(InetSocketAddress to, String serverName) throws Exception {
        SSLSocket s = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(to.getAddress(), to.getPort());
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        return s;
    }

    /** The bytes of the JDK's ClientHello with SNI {@code serverName}, captured by a loopback listener. */
    static byte[] clientHello(String serverName) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (SSLSocket s = socket((InetSocketAddress) server.getLocalSocketAddress(), serverName)) {
                    s.startHandshake();
                } catch (Exception expected) {
                    // the listener never answers
                }
            });
            try (Socket c = server.accept()) {
                c.setSoTimeout(10_000);
                byte[] buf = new byte[TlsClientHello.MAX_BYTES];
                int len = 0;
                InputStream in = c.getInputStream();
                while (TlsClientHello.parse(buf, len) == null) {
                    int n = in.read(buf, len, buf.length - len);
                    if (n < 0) throw new IOException("client closed after " + len + " bytes");
                    len += n;
                }
                return Arrays.copyOf(buf, len);
            } finally {
                t.join();
            }
        }
    }
}
