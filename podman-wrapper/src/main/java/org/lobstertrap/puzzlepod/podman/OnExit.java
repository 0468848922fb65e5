package org.lobstertrap.puzzlepod.podman;

/** What the user asked for at the command line: the gate decides, a rollback, or ask when the container stops. */
public enum OnExit {
    /** {@code --auto-commit}: run the gate; a failed container (non-zero exit) is rolled back. */
    AUTO_COMMIT,
    /** {@code --auto-rollback}: discard whatever the container wrote. */
    AUTO_ROLLBACK,
    /** No flag: ask on a terminal, otherwise let the gate decide. */
    ASK
}
