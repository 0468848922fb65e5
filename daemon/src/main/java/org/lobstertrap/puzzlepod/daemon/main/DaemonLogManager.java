package org.lobstertrap.puzzlepod.daemon.main;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager resets (removes every handler) in its own shutdown hook, which would silence
 * puzzled exactly while it shuts down (releasing the name, closing the service). This one resets only
 * when {@link LogFormat} asks. Installed through {@code java.util.logging.manager} before any logging.
 */
public final class DaemonLogManager extends LogManager {
    private volatile boolean resetAllowed;

    public DaemonLogManager() {}

    @Override
    public void reset() {
        if (resetAllowed) super.reset();
    }

    /** The reset at configuration time. */
    void resetNow() {
        resetAllowed = true;
        try {
            super.reset();
        } finally {
            resetAllowed = false;
        }
    }
}
