package org.lobstertrap.puzzlepod.core.profile;

/** How an agent may use the network. Spelled as the constant name in profile files ({@code Blocked}, …). */
public enum NetworkMode {
    /** No network at all (loopback only). */
    Blocked,
    /** Only connections to {@code allowed_domains}; everything else is refused. */
    Gated,
    /** Any destination, every connection logged. */
    Monitored,
    /** Any destination, no logging beyond the usual. */
    Unrestricted
}
