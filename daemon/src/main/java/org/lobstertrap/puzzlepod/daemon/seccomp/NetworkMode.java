package org.lobstertrap.puzzlepod.daemon.seccomp;

/** How much network a governed container gets, enforced on connect(2). */
public enum NetworkMode {
    /** Only loopback and AF_UNIX. */
    BLOCKED,
    /** Loopback, AF_UNIX, the proxy address, and IPv4 ports 80/443/53 anywhere (nftables steers them to the proxy and the DNS filter). */
    GATED,
    /** Everything, every connect is recorded. */
    MONITORED,
    /** Everything. */
    UNRESTRICTED
}
