package org.lobstertrap.puzzlepod.daemon.seccomp;

/** How much network a governed container gets, enforced on connect(2). */
public enum NetworkMode {
    /** Only loopback and AF_UNIX. */
    BLOCKED,
    /** Loopback, AF_UNIX and the configured proxy address. */
    GATED,
    /** Everything, every connect is recorded. */
    MONITORED,
    /** Everything. */
    UNRESTRICTED
}
