package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sockaddr decoding from hand-built bytes, and the network modes. */
class ConnectPolicyTest {
    private static final GovernedContainer C = new GovernedContainer("c1", 0, "branch-x");

    static byte[] inet(int a, int b, int c, int d, int port) {
        return new byte[] {2, 0, (byte) (port >> 8), (byte) port, (byte) a, (byte) b, (byte) c, (byte) d, 0, 0, 0, 0, 0, 0, 0, 0};
    }

    static byte[] inet6(byte[] addr, int port) {
        byte[] b = new byte[28];
        b[0] = 10;
        b[2] = (byte) (port >> 8);
        b[3] = (byte) port;
        System.arraycopy(addr, 0, b, 8, 16);
        return b;
    }

    static byte[] unix(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[2 + p.length + 1];
        b[0] = 1;
        System.arraycopy(p, 0, b, 2, p.length);
        return b;
    }

    @Test
    void decodesIpv4() {
        ConnectTarget t = ConnectTarget.decode(inet(10, 1, 2, 3, 8080));
        assertThat(t.family()).isEqualTo(ConnectTarget.AF_INET);
        assertThat(t.address().getHostAddress()).isEqualTo("10.1.2.3");
        assertThat(t.port()).isEqualTo(8080);
        assertThat(t.isLoopback()).isFalse();
        assertThat(t.display()).isEqualTo("10.1.2.3:8080");
        assertThat(ConnectTarget.decode(inet(127, 9, 9, 9, 81)).isLoopback()).isTrue();
    }

    @Test
    void decodesIpv6AndMappedLoopback() {
        byte[] one = new byte[16];
        one[15] = 1;
        ConnectTarget t = ConnectTarget.decode(inet6(one, 443));
        assertThat(t.isLoopback()).isTrue();
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.display()).isEqualTo("[0:0:0:0:0:0:0:1]:443");
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        assertThat(ConnectTarget.decode(inet6(mapped, 1)).isLoopback()).isTrue();
        assertThat(ConnectTarget.decode(inet6(mapped, 1)).display()).isEqualTo("[::ffff:127.0.0.1]:1");
        byte[] global = new byte[16];
        global[0] = 0x20;
        global[1] = 0x01;
        assertThat(ConnectTarget.decode(inet6(global, 1)).isLoopback()).isFalse();
    }

    @Test
    void decodesUnixPathsAbstractNamesAndRefusesShortAddresses() {
        assertThat(ConnectTarget.decode(unix("/run/x.sock")).unixPath()).isEqualTo("/run/x.sock");
        byte[] abs = {1, 0, 0, 'a', 'b'};
        assertThat(ConnectTarget.decode(abs).unixPath()).isEqualTo("@ab");
        assertThatThrownBy(() -> ConnectTarget.decode(new byte[] {2, 0, 0, 80})).hasMessageContaining("AF_INET");
        assertThatThrownBy(() -> ConnectTarget.decode(new byte[] {2})).hasMessageContaining("family");
        assertThat(ConnectTarget.decode(new byte[] {16, 0, 0, 0}).display()).isEqualTo("family 16");
    }

    private static StandardSyscallPolicy policy(NetworkMode mode) {
        return new StandardSyscallPolicy(new ExecRules(List.of(), List.of()), mode, new InetSocketAddress("10.0.0.5", 3128));
    }

    private static boolean allowed(NetworkMode mode, byte[] addr) {
        return policy(mode).decideConnect(C, ConnectTarget.decode(addr)).allowed();
    }

    @Test
    void networkModes() {
        byte[] outside = inet(93, 184, 216, 34, 80), loop = inet(127, 0, 0, 1, 81), proxy = inet(10, 0, 0, 5, 3128),
                proxyOtherPort = inet(10, 0, 0, 5, 80), sock = unix("/run/a");
        assertThat(allowed(NetworkMode.BLOCKED, outside)).isFalse();
        assertThat(allowed(NetworkMode.BLOCKED, proxy)).isFalse();
        assertThat(allowed(NetworkMode.BLOCKED, loop)).isTrue();
        assertThat(allowed(NetworkMode.BLOCKED, sock)).isTrue();
        assertThat(allowed(NetworkMode.BLOCKED, new byte[] {16, 0, 0, 0})).as("netlink etc.").isFalse();
        assertThat(allowed(NetworkMode.GATED, proxy)).isTrue();
        assertThat(allowed(NetworkMode.GATED, proxyOtherPort)).as("port 80 anywhere is steered to the proxy").isTrue();
        assertThat(allowed(NetworkMode.GATED, inet(10, 0, 0, 5, 3129))).isFalse();
        assertThat(allowed(NetworkMode.GATED, loop)).isTrue();
        assertThat(allowed(NetworkMode.MONITORED, outside)).isTrue();
        assertThat(allowed(NetworkMode.UNRESTRICTED, outside)).isTrue();
        assertThat(policy(NetworkMode.BLOCKED).decideConnect(C, ConnectTarget.decode(outside)).reason())
                .isEqualTo("network blocked: 93.184.216.34:80");
    }

    @Test
    void gatedAllowsSteeredPortsOnIpv4Only() {
        for (int port : new int[] {80, 443, 53})
            assertThat(allowed(NetworkMode.GATED, inet(93, 184, 216, 34, port))).as("port " + port).isTrue();
        for (int port : new int[] {22, 25, 8080, 853, 3128})
            assertThat(allowed(NetworkMode.GATED, inet(93, 184, 216, 34, port))).as("port " + port).isFalse();
        byte[] global = new byte[16];
        global[0] = 0x20;
        global[1] = 0x01;
        global[2] = 0x48;
        assertThat(allowed(NetworkMode.GATED, inet6(global, 443))).as("IPv6 is dropped in Gated: fail fast").isFalse();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 93;
        mapped[15] = 34;
        assertThat(allowed(NetworkMode.GATED, inet6(mapped, 443))).as("IPv4-mapped travels as IPv4").isTrue();
        assertThat(allowed(NetworkMode.GATED, inet6(mapped, 22))).isFalse();
        assertThat(allowed(NetworkMode.BLOCKED, inet(93, 184, 216, 34, 443))).isFalse();
        assertThat(policy(NetworkMode.GATED).decideConnect(C, ConnectTarget.decode(inet(93, 184, 216, 34, 443))).reason())
                .isEqualTo("gated: port 443 is steered to the proxy: 93.184.216.34:443");
        assertThat(policy(NetworkMode.GATED).decideConnect(C, ConnectTarget.decode(inet(93, 184, 216, 34, 53))).reason())
                .isEqualTo("gated: port 53 is steered to the DNS filter: 93.184.216.34:53");
        assertThat(policy(NetworkMode.GATED).decideConnect(C, ConnectTarget.decode(inet(93, 184, 216, 34, 22))).reason())
                .isEqualTo("network gated: 93.184.216.34:22");
    }

    @Test
    void gatedNeedsAProxy() {
        assertThatThrownBy(() -> new StandardSyscallPolicy(new ExecRules(List.of(), List.of()), NetworkMode.GATED, null))
                .hasMessageContaining("proxy");
    }
}
