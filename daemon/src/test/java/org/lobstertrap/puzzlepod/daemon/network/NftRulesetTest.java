package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;

/** The rulesets checked by nft itself, then applied in a throwaway network namespace (root). */
class NftRulesetTest {
    private static final Inet4Address GATEWAY = (Inet4Address) InetAddress.ofLiteral("10.88.0.1");

    private String netns;

    @BeforeEach
    void createNetns() {
        netns = "puzzlepod-nft-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Shell.ok(List.of("ip", "netns", "add", netns));
    }

    @AfterEach
    void deleteNetns() {
        Shell.ok(List.of("ip", "netns", "delete", netns));
    }

    private NetnsNft nft() { return new NetnsNft(Path.of("/run/netns", netns)); }

    @Test
    void nftAcceptsBothRulesetsInCheckMode() throws NftException {
        NetnsNft.check(NftRuleset.gated(GATEWAY, 18080, 18053));
        NetnsNft.check(NftRuleset.blocked());
    }

    @Test
    void gatedRulesetIsAppliedAndListedAndReapplyingReplacesIt() throws NftException {
        nft().apply(NftRuleset.gated(GATEWAY, 18080, 18053));
        nft().apply(NftRuleset.gated(GATEWAY, 28080, 28053));
        String listing = nft().list();
        assertThat(listing)
                .contains("type nat hook output priority -100; policy accept;")
                .contains("tcp dport { 80, 443 } counter packets 0 bytes 0 dnat ip to 10.88.0.1:28080")
                .contains("udp dport 53 counter packets 0 bytes 0 dnat ip to 10.88.0.1:28053")
                .contains("tcp dport 53 counter packets 0 bytes 0 dnat ip to 10.88.0.1:28053")
                .contains("type filter hook output priority filter; policy drop;")
                .contains("ct state established,related accept")
                .doesNotContain("18080");
        assertThat(Shell.ok(List.of("ip", "netns", "exec", netns, "nft", "list", "tables"))).isEqualTo("table inet puzzlepod\n");
    }

    @Test
    void blockedRulesetDropsEverythingButLoopback() throws NftException {
        Shell.ok(List.of("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up"));
        nft().apply(NftRuleset.blocked());
        assertThat(nft().list()).contains("policy drop;").contains("oifname \"lo\" accept").doesNotContain("dnat");
        // a veth pair with an address and a default route: without the rules, a packet would leave
        Shell.ok(List.of("ip", "netns", "exec", netns, "ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1"));
        Shell.ok(List.of("ip", "netns", "exec", netns, "ip", "addr", "add", "192.0.2.10/24", "dev", "v0"));
        Shell.ok(List.of("ip", "netns", "exec", netns, "ip", "link", "set", "v1", "up"));
        Shell.ok(List.of("ip", "netns", "exec", netns, "ip", "link", "set", "v0", "up"));
        Shell.ok(List.of("ip", "netns", "exec", netns, "ip", "route", "add", "default", "via", "192.0.2.1"));
        Shell.Outcome out = Shell.run(List.of("ip", "netns", "exec", netns, "busybox", "ping", "-c", "1", "-W", "1", "198.51.100.1"));
        String counters = nft().list();
        assertThat(counters).as("the final drop rule counted what the namespace tried to send: " + out.output())
                .containsPattern("counter packets [1-9][0-9]* bytes [0-9]+ drop");
    }

    @Test
    void nftErrorsCarryItsMessage() {
        assertThatThrownBy(() -> NetnsNft.check(new NftRuleset("table inet puzzlepod { chain c { type filter hook nowhere priority 0; } }\n")))
                .isInstanceOf(NftException.class)
                .hasMessageContaining("checking the ruleset")
                .hasMessageContaining("nowhere")
                .satisfies(e -> assertThat(((NftException) e).exitCode()).isEqualTo(1));
        assertThatThrownBy(() -> new NetnsNft(Path.of("/run/netns/puzzlepod-no-such-netns")).apply(NftRuleset.blocked()))
                .isInstanceOf(NftException.class)
                .hasMessageContaining("puzzlepod-no-such-netns");
        assertThatThrownBy(() -> NftRuleset.gated(GATEWAY, 0, 53)).hasMessageContaining("port 0");
    }
}
