package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.profile.NetworkMode;
import org.lobstertrap.puzzlepod.core.profile.NetworkRules;
import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;

/** The daemon-side assembly: rulesets with the bound ports, admission from profile rules, audit data. */
class GatedNetworkTest {
    private static final Inet4Address LOOPBACK = (Inet4Address) InetAddress.ofLiteral("127.0.0.1");

    @Test
    void admitsFromProfileRulesAndDeniesTheRest(@TempDir Path dir) throws Exception {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        List<NetworkDecision> decisions = new CopyOnWriteArrayList<>();
        try (GatedNetwork net = GatedNetwork.start(LOOPBACK, 0, 0, resolv, decisions::add)) {
            int proxyPort = net.proxyAddress().getPort();
            assertThat(net.proxyAddress().getAddress()).isEqualTo(LOOPBACK);
            assertThat(net.rulesetFor(NetworkMode.Gated).text())
                    .contains("dnat ip to 127.0.0.1:" + proxyPort).contains("dnat ip to 127.0.0.1:" + net.dnsPort());
            assertThat(net.rulesetFor(NetworkMode.Blocked)).isEqualTo(NftRuleset.blocked());
            assertThat(net.rulesetFor(NetworkMode.Monitored)).isNull();
            assertThat(net.rulesetFor(NetworkMode.Unrestricted)).isNull();
            assertThatThrownBy(() -> net.admit(LOOPBACK, "b-1", new NetworkRules(NetworkMode.Gated, List.of("Bad.example.com"))))
                    .isInstanceOf(InvalidAllowlistEntry.class);

            net.admit(LOOPBACK, "b-1", new NetworkRules(NetworkMode.Gated, List.of("pypi.org")));
            try (Socket s = new Socket(LOOPBACK, proxyPort)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: evil.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 403");
            }
            net.release(LOOPBACK);
            try (Socket s = new Socket(LOOPBACK, proxyPort)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: pypi.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readAllBytes()).isEmpty();
            }
        }
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).auditData()).containsExactly(
                java.util.Map.entry("source", "127.0.0.1"), java.util.Map.entry("protocol", "http"),
                java.util.Map.entry("host", "evil.example.com"), java.util.Map.entry("port", 80),
                java.util.Map.entry("allowed", false), java.util.Map.entry("reason", "evil.example.com:80 is not allowed for this container"));
        assertThat(decisions.get(1).branchId()).isNull();
        assertThat(NetworkDecision.AUDIT_TYPE).isEqualTo("network.decision");
    }

    /** A process in namespace {@code ns}, once it is there ({@code ip netns exec} joins it after it starts). */
    private static Process inNamespace(String ns) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "sleep", "60").start();
        Object want = Files.getAttribute(Path.of("/run/netns", ns), "unix:ino");
        Path its = Path.of("/proc/" + p.pid() + "/ns/net");
        for (int i = 0; i < 250 && !Files.readSymbolicLink(its).toString().equals("net:[" + want + "]"); i++) Thread.sleep(20);
        assertThat(Files.readSymbolicLink(its).toString()).as("the sleeper joined " + ns).isEqualTo("net:[" + want + "]");
        return p;
    }

    @Test
    void theDaemonsOwnNamespaceIsRefusedSoTheHostKeepsItsTraffic(@TempDir Path dir) throws Exception {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        try (GatedNetwork net = GatedNetwork.start(LOOPBACK, 0, 0, resolv, d -> { })) {
            long self = ProcessHandle.current().pid();
            assertThatThrownBy(() -> net.enforce(self, "b-host", new NetworkRules(NetworkMode.Gated, List.of("pypi.org"))))
                    .isInstanceOf(NftException.class).hasMessageContaining("daemon's own network namespace");
            assertThatThrownBy(() -> net.enforce(self, "b-host", new NetworkRules(NetworkMode.Blocked, List.of())))
                    .isInstanceOf(NftException.class).hasMessageContaining("daemon's own network namespace");
        }
        Process p = new ProcessBuilder("nft", "list", "ruleset").redirectErrorStream(true).start();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).as("the host's ruleset").doesNotContain("puzzlepod");
        p.waitFor();
    }

    /** Rootless: one proxy per container on the host's loopback, steered to through slirp4netns' 10.0.2.2. */
    @Test
    void forSlirpTheRulesSteerToTheGatewayAndOnlyLoopbackIsAdmitted(@TempDir Path dir) throws Exception {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        String ns = "puzzlepod-slirp-" + ProcessHandle.current().pid();
        Shell.ok(List.of("ip", "netns", "add", ns));
        Process sleeper = null;
        try (GatedNetwork a = GatedNetwork.startForSlirp(resolv, d -> { }); GatedNetwork b = GatedNetwork.startForSlirp(resolv, d -> { })) {
            assertThat(a.proxyAddress().getAddress()).isEqualTo(GatedNetwork.SLIRP_GATEWAY);
            assertThat(a.proxyAddress().getPort()).as("each container its own ports").isNotEqualTo(b.proxyAddress().getPort());
            assertThat(a.rulesetFor(NetworkMode.Gated).text()).contains("dnat ip to 10.0.2.2:" + a.proxyAddress().getPort())
                    .contains("dnat ip to 10.0.2.2:" + a.dnsPort()).contains("ip daddr 10.0.2.2 tcp dport");
            sleeper = inNamespace(ns);
            // no global address in the namespace: slirp4netns' sources are all 127.0.0.1 anyway
            assertThat(a.enforce(sleeper.pid(), "b-9", new NetworkRules(NetworkMode.Gated, List.of("pypi.org")))).isEqualTo(LOOPBACK);
            try (Socket s = new Socket(LOOPBACK, a.proxyAddress().getPort())) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: evil.example.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 403");
            }
            try (Socket s = new Socket(LOOPBACK, b.proxyAddress().getPort())) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: pypi.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readAllBytes()).as("nothing admitted on the other container's proxy").isEmpty();
            }
        } finally {
            if (sleeper != null) sleeper.destroyForcibly().waitFor();
            Shell.ok(List.of("ip", "netns", "delete", ns));
        }
    }

    @Test
    void enforceAppliesTheRulesInTheProcessNamespaceAndAdmitsItsAddress(@TempDir Path dir) throws Exception {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
        String ns = "puzzlepod-enforce-" + ProcessHandle.current().pid();
        Shell.ok(List.of("ip", "netns", "add", ns));
        Process sleeper = null;
        try {
            Shell.ok(List.of("ip", "netns", "exec", ns, "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"));
            Shell.ok(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", "10.99.0.7/24", "dev", "v0"));
            sleeper = inNamespace(ns);
            long pid = sleeper.pid();
            try (GatedNetwork net = GatedNetwork.start(LOOPBACK, 0, 0, resolv, d -> { })) {
                InetAddress admitted = net.enforce(pid, "b-7", new NetworkRules(NetworkMode.Gated, List.of("pypi.org")));
                assertThat(admitted).isEqualTo(InetAddress.ofLiteral("10.99.0.7"));
                assertThat(new NetnsNft(Path.of("/run/netns", ns)).list()).contains("dnat ip to 127.0.0.1:" + net.proxyAddress().getPort());
                assertThat(net.enforce(pid, "b-7", new NetworkRules(NetworkMode.Blocked, List.of()))).isNull();
                assertThat(new NetnsNft(Path.of("/run/netns", ns)).list()).doesNotContain("dnat");
                assertThat(net.enforce(pid, "b-7", new NetworkRules(NetworkMode.Unrestricted, List.of()))).isNull();
                Shell.ok(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", "10.99.1.7/24", "dev", "v0"));
                assertThatThrownBy(() -> net.enforce(pid, "b-7", new NetworkRules(NetworkMode.Gated, List.of("pypi.org"))))
                        .isInstanceOf(NftException.class).hasMessageContaining("exactly one global IPv4 address");
            }
        } finally {
            if (sleeper != null) sleeper.destroyForcibly().waitFor();
            Shell.ok(List.of("ip", "netns", "delete", ns));
        }
    }

    @Test
    void aResolvConfWithoutNameserverIsAClearError(@TempDir Path dir) throws Exception {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "search example.com\n");
        assertThatThrownBy(() -> GatedNetwork.start(LOOPBACK, 0, 0, resolv, d -> { }))
                .hasMessageContaining("names no usable nameserver");
    }
}
