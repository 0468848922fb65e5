package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against real local upstream servers, real JDK TLS ClientHellos and hostile clients. */
class AllowlistProxyTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String BRANCH = "branch-net-1";

    private final List<NetworkDecision> decisions = new CopyOnWriteArrayList<>();
    private Upstreams.Http http;
    private Upstreams.Echo echo;
    private AllowlistProxy proxy;

    @BeforeEach
    void start() throws IOException {
        http = new Upstreams.Http();
        echo = new Upstreams.Echo();
        // the names resolve to the local servers; loopback is admitted for exactly this address
        Map<String, InetSocketAddress> web = Map.of("allowed.test:80", http.address(), "allowed.test:443", echo.address(),
                "x.wild.test:80", http.address());
        UpstreamResolver resolver = (host, port) -> {
            InetSocketAddress a = web.get(host.toLowerCase() + ":" + port);
            if (a == null) throw new IOException("no such test name " + host);
            return List.of(a);
        };
        proxy = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(LOOPBACK, 0), null),
                new GatedContainers(), resolver, AddressPolicy.publicOnly().orExactly(Set.of(LOOPBACK)), decisions::add);
        proxy.register(LOOPBACK, BRANCH, DomainAllowlist.parse(List.of("allowed.test", "*.wild.test")));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        http.close();
        echo.close();
    }

    private String exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1), null);
    }

    /** Sends the bytes, half-closes, and returns everything the proxy answers until it closes. */
    private String exchange(byte[] request, InetAddress from) throws IOException {
        try (Socket s = new Socket()) {
            if (from != null) s.bind(new InetSocketAddress(from, 0));
            s.connect(proxy.localAddress());
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private NetworkDecision onlyDecision() {
        assertThat(decisions).hasSize(1);
        return decisions.getFirst();
    }

    @Test
    void allowedHttpPassesThroughAndTheUpstreamServesOneRequestOnly() throws IOException {
        String response = exchange("GET /hi HTTP/1.1\r\nHost: Allowed.Test\r\nConnection: keep-alive\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("hello from upstream /hi\n");
        assertThat(http.connectionHeaders).containsExactly("close");
        NetworkDecision d = onlyDecision();
        assertThat(d.allowed()).isTrue();
        assertThat(d.branchId()).isEqualTo(BRANCH);
        assertThat(d.protocol()).isEqualTo("http");
        assertThat(d.host()).isEqualTo("Allowed.Test");
        assertThat(d.port()).isEqualTo(80);
        assertThat(d.source()).isEqualTo(LOOPBACK);
        assertThat(d.upstream()).isEqualTo("127.0.0.1:" + http.address().getPort());
    }

    @Test
    void aPipelinedSecondRequestForAnotherHostIsNeverServed() throws IOException {
        String response = exchange("GET /one HTTP/1.1\r\nHost: allowed.test\r\n\r\nGET /two HTTP/1.1\r\nHost: denied.test\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").contains("hello from upstream /one").doesNotContain("/two");
        assertThat(http.requests).hasValue(1);
    }

    @Test
    void aMegabyteResponseIsSplicedWhole() throws IOException {
        String response = exchange("GET /big HTTP/1.1\r\nHost: x.wild.test\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(response.substring(response.indexOf("\r\n\r\n") + 4)).hasSize(1 << 20);
    }

    @Test
    void deniedHttpGets403WithTheReasonAndReachesNothing() throws IOException {
        for (String host : new String[] {"denied.test", "wild.test", "allowed.test:8080", "93.184.216.34"}) {
            String response = exchange("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertThat(response).as(host).startsWith("HTTP/1.1 403 Forbidden").contains("is not allowed for this container");
        }
        assertThat(http.requests).hasValue(0);
        assertThat(decisions).hasSize(4).allSatisfy(d -> {
            assertThat(d.allowed()).isFalse();
            assertThat(d.branchId()).isEqualTo(BRANCH);
        });
        assertThat(decisions.get(2).port()).isEqualTo(8080);
    }

    @Test
    void allowedTlsIsReplayedByteForByteToTheUpstream() throws Exception {
        try (SSLSocket s = TlsClients.socket(proxy.localAddress(), "allowed.test")) {
            assertThatThrownBy(s::startHandshake).as("the echo server speaks no TLS").isInstanceOf(IOException.class);
        }
        assertThat(echo.received).hasSize(1);
        byte[] got = echo.received.getFirst();
        TlsClientHello hello = TlsClientHello.parse(got, got.length);
        assertThat(hello).isNotNull();
        assertThat(hello.serverName()).isEqualTo("allowed.test");
        NetworkDecision d = onlyDecision();
        assertThat(d.allowed()).isTrue();
        assertThat(d.protocol()).isEqualTo("tls");
        assertThat(d.port()).isEqualTo(443);
    }

    @Test
    void deniedTlsAndTlsWithoutSniAreClosed() throws Exception {
        try (SSLSocket s = TlsClients.socket(proxy.localAddress(), "denied.test")) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
        }
        try (SSLSocket s = TlsClients.socket(proxy.localAddress(), null)) {
            assertThatThrownBy(s::startHandshake).isInstanceOf(IOException.class);
        }
        assertThat(echo.connections).hasValue(0);
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).allowed()).isFalse();
        assertThat(decisions.get(0).host()).isEqualTo("denied.test");
        assertThat(decisions.get(0).protocol()).isEqualTo("tls");
        assertThat(decisions.get(1).reason()).contains("without a server name");
        assertThat(decisions.get(1).protocol()).isEqualTo("tls");
    }

    @Test
    void connectTunnelsToAllowedWebPortsOnly() throws IOException {
        String response = exchange("CONNECT allowed.test:443 HTTP/1.1\r\nHost: allowed.test:443\r\n\r\nping");
        assertThat(response).isEqualTo("HTTP/1.1 200 Connection Established\r\n\r\necho:ping");
        assertThat(exchange("CONNECT allowed.test:22 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(exchange("CONNECT denied.test:443 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 403");
        assertThat(decisions).extracting(NetworkDecision::allowed).containsExactly(true, false, false);
        assertThat(decisions).extracting(NetworkDecision::protocol).containsOnly("connect");
    }

    @Test
    void namesResolvingToNonPublicAddressesAreRefusedBeforeAnyConnect() throws IOException {
        Map<String, List<InetSocketAddress>> names = Map.of(
                "loop.test", List.of(http.address()),
                "ten.test", List.of(new InetSocketAddress("10.1.2.3", 80)),
                "mixed.test", List.of(new InetSocketAddress("93.184.216.34", 80), new InetSocketAddress("10.0.0.1", 80)),
                "link.test", List.of(new InetSocketAddress("169.254.169.254", 80)),
                "v6.test", List.of(new InetSocketAddress("::1", 80)),
                "mapped.test", List.of(new InetSocketAddress("::ffff:192.168.1.1", 80)));
        try (AllowlistProxy strict = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(LOOPBACK, 0), null), new GatedContainers(),
                (host, port) -> names.get(host), AddressPolicy.publicOnly(), decisions::add)) {
            strict.register(LOOPBACK, BRANCH, DomainAllowlist.parse(List.copyOf(names.keySet())));
            for (String name : names.keySet()) {
                try (Socket s = new Socket()) {
                    s.connect(strict.localAddress());
                    s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + name + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertThat(response).as(name).startsWith("HTTP/1.1 403").contains("resolves to the non-public address");
                }
            }
        }
        assertThat(http.requests).hasValue(0);
        assertThat(decisions).hasSize(names.size()).noneMatch(NetworkDecision::allowed);
    }

    @Test
    void malformedHeadsGet400() throws IOException {
        assertThat(exchange("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")).startsWith("HTTP/1.1 400").contains("missing Host");
        String huge = "GET / HTTP/1.1\r\nHost: allowed.test\r\n" + "X-Pad: " + "a".repeat(8000) + "\r\n" + "X-Pad2: " + "b".repeat(9000) + "\r\n\r\n";
        assertThat(exchange(huge)).startsWith("HTTP/1.1 400").contains("larger than");
        assertThat(exchange("GET http://allowed.test/ HTTP/1.1\r\nHost: denied.test\r\n\r\n")).startsWith("HTTP/1.1 400").contains("disagrees");
        assertThat(http.requests).hasValue(0);
        assertThat(decisions).hasSize(3).noneMatch(NetworkDecision::allowed);
    }

    @Test
    void garbageIsClosedWithoutAnAnswer() throws IOException {
        byte[] junk = new byte[300];
        for (int i = 0; i < junk.length; i++) junk[i] = (byte) (i * 37);
        assertThat(exchange(junk, null)).isEmpty();
        assertThat(onlyDecision().reason()).contains("neither TLS nor HTTP");
    }

    @Test
    void aSlowPartialHeadIsCutAtTheHeadTimeout() throws IOException {
        try (AllowlistProxy impatient = AllowlistProxy.start(
                ProxySettings.defaults(new InetSocketAddress(LOOPBACK, 0), null).withHeadTimeout(Duration.ofMillis(500)),
                proxy.containers(), UpstreamResolver.system(), AddressPolicy.publicOnly(), decisions::add);
             Socket s = new Socket()) {
            s.connect(impatient.localAddress());
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: allowed.test\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // never finished: the proxy closes the connection once the head timeout has passed
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(onlyDecision().reason()).contains("no complete request within 500 ms");
        assertThat(http.requests).hasValue(0);
    }

    @Test
    void oneContainerCannotHoldMoreThanItsShareOfConnections() throws IOException {
        try (AllowlistProxy small = AllowlistProxy.start(
                ProxySettings.defaults(new InetSocketAddress(LOOPBACK, 0), null).withMaxPerSource(1),
                proxy.containers(), UpstreamResolver.system(), AddressPolicy.publicOnly(), decisions::add);
             Socket holder = new Socket()) {
            holder.connect(small.localAddress());
            holder.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)); // and never more
            try (Socket second = new Socket()) {
                second.connect(small.localAddress());
                second.setSoTimeout(10_000);
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
        }
        assertThat(decisions.getFirst().reason()).isEqualTo("more than 1 connections at once from this container");
        assertThat(decisions.getFirst().branchId()).isEqualTo(BRANCH);
    }

    @Test
    void unregisteredSourcesGetNothing() throws IOException {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        assertThat(exchange("GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII), other)).isEmpty();
        NetworkDecision d = onlyDecision();
        assertThat(d.branchId()).isNull();
        assertThat(d.source()).isEqualTo(other);
        assertThat(d.reason()).isEqualTo("not a registered Gated container");
        proxy.unregister(LOOPBACK);
        assertThat(exchange("GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n")).isEmpty();
        assertThat(http.requests).hasValue(0);
    }

    @Test
    void aWildcardListenerServesOnlyTheBridgeAddress() throws IOException {
        try (AllowlistProxy p = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(0), LOOPBACK), new GatedContainers(),
                UpstreamResolver.system(), AddressPolicy.publicOnly(), decisions::add)) {
            p.register(InetAddress.getByName("127.0.0.3"), BRANCH, DomainAllowlist.parse(List.of("allowed.test")));
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.3", 0));
                s.connect(new InetSocketAddress("127.0.0.3", p.localAddress().getPort()));
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: allowed.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(in.readAllBytes()).isEmpty();
            }
        }
        assertThat(onlyDecision().reason()).isEqualTo("arrived at 127.0.0.3, not at the bridge address 127.0.0.1");
    }

    @Test
    void anUnresolvableOrUnreachableAllowedNameIsAnErrorNotAPassThrough() throws IOException {
        try (AllowlistProxy p = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(LOOPBACK, 0), null), new GatedContainers(),
                (host, port) -> {
                    if (host.equals("gone.test")) throw new IOException("NXDOMAIN");
                    return List.of(new InetSocketAddress(LOOPBACK, 1)); // nothing listens on port 1
                }, AddressPolicy.publicOnly().orExactly(Set.of(LOOPBACK)), decisions::add)) {
            p.register(LOOPBACK, BRANCH, DomainAllowlist.parse(List.of("gone.test", "down.test")));
            try (Socket s = new Socket(LOOPBACK, p.localAddress().getPort())) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: gone.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 403").contains("does not resolve");
            }
            try (Socket s = new Socket(LOOPBACK, p.localAddress().getPort())) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: down.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 502");
            }
        }
        assertThat(decisions).hasSize(2).noneMatch(NetworkDecision::allowed);
    }
}
