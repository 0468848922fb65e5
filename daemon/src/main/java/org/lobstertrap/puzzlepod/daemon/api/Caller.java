package org.lobstertrap.puzzlepod.daemon.api;

/**
 * Who makes a call: the uid the bus (or the hook socket's SO_PEERCRED) vouches for, and the uid the daemon
 * runs as. Root may act on every branch; the daemon's own user may too (a per-user daemon serves only its
 * user); anyone else only on the branches they own.
 */
public record Caller(int uid, int daemonUid) {
    public Caller {
        if (uid < 0) throw new IllegalArgumentException("uid " + uid);
    }

    /** Root, or the user the daemon runs as: may act on all branches and reload policy. */
    public boolean privileged() { return uid == 0 || uid == daemonUid; }

    /** True when this caller may act on a branch owned by {@code ownerUid}. */
    public boolean mayActOn(int ownerUid) { return privileged() || uid == ownerUid; }
}
