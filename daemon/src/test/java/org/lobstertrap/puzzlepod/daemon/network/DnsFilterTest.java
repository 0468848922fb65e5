package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DNS filter with a real local upstream resolver (UDP and TCP). */
class DnsFilterTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final String BRANCH = "branch-dns-1";

    private final List<NetworkDecision> decisions = new CopyOnWriteArrayList<>();
    private FakeDnsUpstream upstream;
    private DnsFilter filter;

    @BeforeEach
    void start() throws IOException {
        upstream = new FakeDnsUpstream(LOOPBACK, "203.0.113.7");
        GatedContainers containers = new GatedContainers();
        containers.register(LOOPBACK, BRANCH, DomainAllowlist.parse(List.of("allowed.test", "*.wild.test", "db.example.com:5432")));
        filter = DnsFilter.start(new InetSocketAddress(LOOPBACK, 0), containers, upstream.address(), decisions::add, Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws IOException {
        filter.close();
        upstream.close();
    }

    private byte[] ask(byte[] query, InetAddress from) throws IOException { return ask(query, from, 5000); }

    private byte[] ask(byte[] query, InetAddress from, int timeoutMs) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
            s.setSoTimeout(timeoutMs);
            s.send(new DatagramPacket(query, query.length, LOOPBACK, filter.port()));
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return Arrays.copyOf(buf, p.getLength());
        }
    }

    private static int rcode(byte[] r) { return r[3] & 0xf; }

    private static int id(byte[] r) { return (r[0] & 0xff) << 8 | (r[1] & 0xff); }

    @Test
    void allowedNamesAreForwardedAndAnswered() throws IOException {
        for (String name : new String[] {"allowed.test", "ALLOWED.test", "a.wild.test", "db.example.com"}) {
            byte[] r = ask(FakeDnsUpstream.query(0x1234, name, FakeDnsUpstream.A), LOOPBACK);
            assertThat(id(r)).isEqualTo(0x1234);
            assertThat(rcode(r)).as(name).isEqualTo(DnsQuestion.NOERROR);
            assertThat(Arrays.copyOfRange(r, r.length - 4, r.length)).isEqualTo(new byte[] {(byte) 203, 0, 113, 7});
        }
        assertThat(upstream.questions).containsExactly("allowed.test/1", "ALLOWED.test/1", "a.wild.test/1", "db.example.com/1");
        assertThat(decisions).hasSize(4).allSatisfy(d -> {
            assertThat(d.allowed()).isTrue();
            assertThat(d.branchId()).isEqualTo(BRANCH);
            assertThat(d.protocol()).isEqualTo("dns");
        });
    }

    @Test
    void otherNamesGetNxdomainWithoutReachingTheUpstream() throws IOException {
        for (String name : new String[] {"denied.test", "wild.test", "allowed.test.evil.com", "7.113.0.203.in-addr.arpa"}) {
            byte[] q = FakeDnsUpstream.query(7, name, FakeDnsUpstream.A);
            byte[] r = ask(q, LOOPBACK);
            assertThat(rcode(r)).as(name).isEqualTo(DnsQuestion.NXDOMAIN);
            assertThat(r[2] & 0x80).as("QR").isNotZero();
            assertThat(Arrays.copyOfRange(r, 12, r.length)).as("the question is echoed").isEqualTo(Arrays.copyOfRange(q, 12, q.length));
        }
        byte[] dotInLabel = new byte[] {0, 8, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 12, 'a', 'l', 'l', 'o', 'w', 'e', 'd', '.', 't', 'e', 's', 't', 0, 0, 1, 0, 1};
        assertThat(rcode(ask(dotInLabel, LOOPBACK))).as("one label 'allowed.test' is not the name allowed.test").isEqualTo(DnsQuestion.NXDOMAIN);
        assertThat(upstream.questions).isEmpty();
        assertThat(decisions).hasSize(5).noneMatch(NetworkDecision::allowed);
    }

    @Test
    void unregisteredSourcesAreRefusedAndMalformedQueriesGetFormerr() throws IOException {
        assertThat(rcode(ask(FakeDnsUpstream.query(1, "allowed.test", 1), InetAddress.getByName("127.0.0.2")))).isEqualTo(DnsQuestion.REFUSED);
        byte[] twoQuestions = FakeDnsUpstream.query(2, "allowed.test", 1);
        twoQuestions[5] = 2;
        assertThat(rcode(ask(twoQuestions, LOOPBACK))).isEqualTo(DnsQuestion.FORMERR);
        byte[] pointer = {0, 3, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        assertThat(rcode(ask(pointer, LOOPBACK))).isEqualTo(DnsQuestion.FORMERR);
        byte[] truncated = Arrays.copyOf(FakeDnsUpstream.query(4, "allowed.test", 1), 20);
        assertThat(rcode(ask(truncated, LOOPBACK))).isEqualTo(DnsQuestion.FORMERR);
        byte[] update = FakeDnsUpstream.query(5, "allowed.test", 1);
        update[2] = (byte) (5 << 3); // opcode UPDATE
        assertThat(rcode(ask(update, LOOPBACK))).isEqualTo(DnsQuestion.REFUSED);
        assertThat(upstream.questions).isEmpty();
        assertThat(decisions).hasSize(5).noneMatch(NetworkDecision::allowed);
        assertThat(decisions.getFirst().branchId()).isNull();
    }

    @Test
    void responsesAndRuntsGetNoAnswerAtAll() throws IOException {
        byte[] response = FakeDnsUpstream.query(6, "allowed.test", 1);
        response[2] |= (byte) 0x80;
        // an answer would arrive within milliseconds; none comes (no reflection of responses, nothing to say to runts)
        assertThatThrownBy(() -> ask(response, LOOPBACK, 700)).isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> ask(new byte[] {1, 2, 3}, LOOPBACK, 700)).isInstanceOf(SocketTimeoutException.class);
        assertThat(decisions).hasSize(2).noneMatch(NetworkDecision::allowed);
    }

    @Test
    void tcpQueriesAreFilteredToo() throws IOException {
        try (Socket s = new Socket(LOOPBACK, filter.port())) {
            s.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (String name : new String[] {"allowed.test", "denied.test"}) {
                byte[] q = FakeDnsUpstream.query(9, name, FakeDnsUpstream.A);
                out.writeShort(q.length);
                out.write(q);
                out.flush();
                byte[] r = in.readNBytes(in.readUnsignedShort());
                assertThat(rcode(r)).as(name).isEqualTo(name.equals("allowed.test") ? DnsQuestion.NOERROR : DnsQuestion.NXDOMAIN);
            }
        }
        assertThat(upstream.questions).containsExactly("allowed.test/1");
    }

    @Test
    void aSilentUpstreamMeansServfail() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            GatedContainers containers = new GatedContainers();
            containers.register(LOOPBACK, BRANCH, DomainAllowlist.parse(List.of("allowed.test")));
            try (DnsFilter f = DnsFilter.start(new InetSocketAddress(LOOPBACK, 0), containers,
                    (InetSocketAddress) silent.getLocalSocketAddress(), decisions::add, Duration.ofMillis(200))) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                    s.setSoTimeout(5000);
                    byte[] q = FakeDnsUpstream.query(10, "allowed.test", 1);
                    s.send(new DatagramPacket(q, q.length, LOOPBACK, f.port()));
                    DatagramPacket p = new DatagramPacket(new byte[512], 512);
                    s.receive(p);
                    assertThat(rcode(p.getData())).isEqualTo(DnsQuestion.SERVFAIL);
                }
            }
        }
        assertThat(decisions.getLast().reason()).contains("did not answer");
    }

    @Test
    void resolvConfNamesTheFirstUsableNameserver(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("resolv.conf");
        Files.writeString(f, "# comment\nsearch example.com\nnameserver fe80::1%eth0\nnameserver 10.255.255.53\nnameserver 1.1.1.1\n");
        assertThat(ResolvConf.firstNameserver(f)).isEqualTo(new InetSocketAddress("10.255.255.53", 53));
        Files.writeString(f, "search example.com\nnameserver not-an-ip\n");
        assertThatThrownBy(() -> ResolvConf.firstNameserver(f)).hasMessageContaining("names no usable nameserver");
    }
}
