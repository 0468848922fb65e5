package org.lobstertrap.puzzlepod.daemon.config;

/**
 * Where puzzled serves Gated containers on podman's bridge: the allowlisting proxy's TCP port and the DNS
 * filter's port (UDP and TCP). 0 means any free port (the nftables rules name the port actually bound), which
 * lets several private daemons (tests, demos) run side by side.
 */
public record NetworkConfig(int proxyPort, int dnsPort) {
    public static final NetworkConfig DEFAULT = new NetworkConfig(18080, 18053);

    public NetworkConfig {
        if (proxyPort < 0 || proxyPort > 65535) throw new IllegalArgumentException("proxy port " + proxyPort);
        if (dnsPort < 0 || dnsPort > 65535) throw new IllegalArgumentException("dns port " + dnsPort);
    }
}
