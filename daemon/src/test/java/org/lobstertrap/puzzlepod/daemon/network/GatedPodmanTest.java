package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;

/**
 * Gated networking end to end on real podman: the proxy and the DNS filter listen on the host (wildcard
 * address, serving only what arrives at the bridge address), the Gated ruleset goes into a running
 * container's network namespace, and busybox inside tries the allowed name, a denied name, a raw address
 * and DNS.
 */
@Tag("slow")
class GatedPodmanTest {
    private static final Inet4Address BRIDGE = (Inet4Address) InetAddress.ofLiteral("10.88.0.1");
    private static final String BRANCH = "branch-gated-podman";

    @Test
    void aGatedContainerReachesAllowedNamesOnly() throws Exception {
        Shell.requirePodmanImage();
        List<NetworkDecision> decisions = new CopyOnWriteArrayList<>();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        GatedContainers containers = new GatedContainers();
        AtomicInteger rawConnections = new AtomicInteger();
        try (Upstreams.Http http = new Upstreams.Http();
             Upstreams.Echo tls = new Upstreams.Echo();
             FakeDnsUpstream dns = new FakeDnsUpstream(loopback, "203.0.113.10");
             AllowlistProxy proxy = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(0), BRIDGE), containers,
                     (host, port) -> !host.equalsIgnoreCase("allowed.test") ? List.of()
                             : List.of(port == 443 ? tls.address() : http.address()),
                     AddressPolicy.publicOnly().orExactly(Set.of(loopback)), decisions::add);
             DnsFilter filter = DnsFilter.start(new InetSocketAddress(0), containers, dns.address(), decisions::add, Duration.ofSeconds(2));
             ServerSocket hostPort = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                while (!hostPort.isClosed()) {
                    try (Socket s = hostPort.accept()) {
                        rawConnections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            String cid = Shell.ok(List.of("podman", "run", "-d", "--rm", "--add-host", "allowed.test:203.0.113.10",
                    "--add-host", "denied.test:203.0.113.11", Shell.IMAGE, "sleep", "60")).strip();
            try {
                String[] info = Shell.ok(List.of("podman", "inspect", "-f", "{{.State.Pid}} {{.NetworkSettings.IPAddress}}", cid)).strip().split(" ");
                long pid = Long.parseLong(info[0]);
                InetAddress containerAddress = InetAddress.ofLiteral(info[1]);
                proxy.register(containerAddress, BRANCH, DomainAllowlist.parse(List.of("allowed.test")));

                // before the rules, the host port is reachable: the later refusal is the rules' doing
                String hostTarget = BRIDGE.getHostAddress() + " " + hostPort.getLocalPort();
                assertThat(exec(cid, "nc -w 3 " + hostTarget + " </dev/null; echo rc=$?")).contains("rc=0");
                int reachableBefore = rawConnections.get();
                assertThat(reachableBefore).isEqualTo(1);

                NetnsNft.ofPid(pid).apply(NftRuleset.gated(BRIDGE, proxy.localAddress().getPort(), filter.port()));

                assertThat(exec(cid, "wget -q -O - http://allowed.test/hello")).isEqualTo("hello from upstream /hello\n");
                String denied = exec(cid, "wget -q -O - http://denied.test/ 2>&1; echo rc=$?");
                assertThat(denied).contains("403").doesNotContain("rc=0");
                // busybox's TLS client sends SNI; the echo upstream speaks no TLS, so only the ClientHello's journey counts
                exec(cid, "wget -q -O - https://allowed.test/ 2>&1");
                exec(cid, "wget -q -O - https://denied.test/ 2>&1");
                assertThat(tls.received).hasSize(1);
                assertThat(TlsClientHello.parse(tls.received.getFirst(), tls.received.getFirst().length).serverName()).isEqualTo("allowed.test");
                assertThat(exec(cid, "nc -w 3 " + hostTarget + " </dev/null; echo rc=$?")).doesNotContain("rc=0");
                assertThat(exec(cid, "nc -w 3 192.0.2.2 22 </dev/null; echo rc=$?")).doesNotContain("rc=0");
                assertThat(rawConnections).hasValue(reachableBefore);

                assertThat(exec(cid, "nslookup -type=a allowed.test 2>&1")).contains("203.0.113.10");
                assertThat(exec(cid, "nslookup -type=a denied.test 2>&1")).contains("NXDOMAIN");

                assertThat(decisions).anySatisfy(d -> {
                    assertThat(d.protocol()).isEqualTo("http");
                    assertThat(d.host()).isEqualTo("allowed.test");
                    assertThat(d.allowed()).isTrue();
                    assertThat(d.branchId()).isEqualTo(BRANCH);
                    assertThat(d.source()).isEqualTo(containerAddress);
                });
                assertThat(decisions).anySatisfy(d -> {
                    assertThat(d.host()).isEqualTo("denied.test");
                    assertThat(d.protocol()).isEqualTo("http");
                    assertThat(d.allowed()).isFalse();
                });
                assertThat(decisions).anySatisfy(d -> {
                    assertThat(d.protocol()).isEqualTo("tls");
                    assertThat(d.host()).isEqualTo("denied.test");
                    assertThat(d.allowed()).isFalse();
                });
                assertThat(decisions).anySatisfy(d -> {
                    assertThat(d.protocol()).isEqualTo("dns");
                    assertThat(d.host()).isEqualTo("allowed.test");
                    assertThat(d.allowed()).isTrue();
                });
                assertThat(decisions).anySatisfy(d -> {
                    assertThat(d.protocol()).isEqualTo("dns");
                    assertThat(d.host()).isEqualTo("denied.test");
                    assertThat(d.allowed()).isFalse();
                });
            } finally {
                Shell.run(List.of("podman", "rm", "-f", "-t", "0", cid));
            }
        }
    }

    private static String exec(String cid, String script) {
        return Shell.run(List.of("podman", "exec", cid, "sh", "-c", script)).output();
    }
}
