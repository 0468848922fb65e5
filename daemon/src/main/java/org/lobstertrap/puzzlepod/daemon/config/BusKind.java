package org.lobstertrap.puzzlepod.daemon.config;

/** Which D-Bus bus the daemon serves on. */
public enum BusKind {
    /** The system bus (daemon running as root). */
    SYSTEM,
    /** The user's session bus. */
    SESSION
}
