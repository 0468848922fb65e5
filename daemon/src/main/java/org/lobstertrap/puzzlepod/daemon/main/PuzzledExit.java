package org.lobstertrap.puzzlepod.daemon.main;

/** The exit codes of {@code puzzled} (table in daemon/README.md). */
public final class PuzzledExit {
    /** Stopped by SIGTERM/SIGINT after a clean shutdown; {@code --check-config} found the file valid; {@code --help}. */
    public static final int OK = 0;
    /** Failed while running: the bus connection was lost, or an unexpected error. */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** Another process owns {@code org.lobstertrap.PuzzlePod1}: a daemon is already running. */
    public static final int NAME_TAKEN = 3;
    /** The configuration file is missing (when named), unreadable or invalid. */
    public static final int CONFIG = 4;
    /** The governance service could not be opened (state directories, branch recovery, audit log, …). */
    public static final int SERVICE = 5;
    /** The bus cannot be reached, or its policy does not let this user own the name. */
    public static final int BUS = 6;
    /** Stopped by a signal but the clean shutdown did not finish in time. */
    public static final int SHUTDOWN_TIMEOUT = 7;

    private PuzzledExit() {}
}
