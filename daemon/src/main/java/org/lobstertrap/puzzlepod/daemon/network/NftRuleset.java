package org.lobstertrap.puzzlepod.daemon.network;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * The nftables rules for one container's network namespace, as {@code nft -f} text. Both rulesets live in the
 * table {@code inet puzzlepod} (IPv4 and IPv6 at once) and replace any earlier version of it in one transaction,
 * so applying twice is harmless.
 *
 * <p>Gated: TCP 80/443 are DNATed to the proxy and UDP/TCP 53 to the DNS filter (both on the bridge address);
 * loopback, replies on established connections and the DNATed flows are accepted; everything else, all IPv6
 * included, is dropped. Blocked: only loopback (defence in depth besides {@code --network none}).
 *
 * @param text the ruleset
 */
public record NftRuleset(String text) {
    /** The table every ruleset defines. */
    public static final String TABLE = "inet puzzlepod";

    public NftRuleset {
        Objects.requireNonNull(text, "text");
    }

    /**
     * The Gated ruleset.
     *
     * @param gateway   the host's bridge address the proxy and the DNS filter serve (podman: 10.88.0.1)
     * @param proxyPort the proxy's TCP port
     * @param dnsPort   the DNS filter's UDP and TCP port
     */
    public static NftRuleset gated(Inet4Address gateway, int proxyPort, int dnsPort) {
        Objects.requireNonNull(gateway, "gateway");
        checkPort(proxyPort);
        checkPort(dnsPort);
        String g = gateway.getHostAddress();
        return new NftRuleset(header() + """
                table inet puzzlepod {
                  chain steer {
                    type nat hook output priority -100; policy accept;
                    oifname "lo" accept
                    meta nfproto ipv4 tcp dport { 80, 443 } counter dnat ip to %1$s:%2$d
                    meta nfproto ipv4 udp dport 53 counter dnat ip to %1$s:%3$d
                    meta nfproto ipv4 tcp dport 53 counter dnat ip to %1$s:%3$d
                  }
                  chain guard {
                    type filter hook output priority 0; policy drop;
                    oifname "lo" accept
                    ct state established,related accept
                    meta nfproto ipv4 ip daddr %1$s tcp dport { %2$d, %3$d } accept
                    meta nfproto ipv4 ip daddr %1$s udp dport %3$d accept
                    counter drop
                  }
                }
                """.formatted(g, proxyPort, dnsPort));
    }

    /** The Blocked ruleset: loopback only. */
    public static NftRuleset blocked() {
        return new NftRuleset(header() + """
                table inet puzzlepod {
                  chain guard {
                    type filter hook output priority 0; policy drop;
                    oifname "lo" accept
                    counter drop
                  }
                }
                """);
    }

    // "add" then "delete" makes the replacement work whether or not the table exists, atomically with the rest
    private static String header() {
        return "add table " + TABLE + "\ndelete table " + TABLE + "\n";
    }

    private static void checkPort(int p) {
        if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + p + " outside 1-65535");
    }
}
