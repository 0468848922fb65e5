package org.lobstertrap.puzzlepod.daemon.commit;

/**
 * Named points between the durable steps of a commit and a recovery. Production code leaves the hook
 * unset (one volatile read per step); the crash test installs a hook that kills the process at a
 * chosen step, so that every interleaving of "work done" and "work lost" can be exercised.
 */
public final class CrashPoints {
    /** Receives every step; may not return (the crash test kills the process inside it). */
    @FunctionalInterface
    public interface Hook {
        void reached(String label);
    }

    private static volatile Hook hook;

    private CrashPoints() {}

    /** Installs a hook for this process, or removes it with null. */
    public static void install(Hook newHook) { hook = newHook; }

    /** Called by the committer at each step. */
    static void reached(String label) {
        Hook h = hook;
        if (h != null) h.reached(label);
    }
}
