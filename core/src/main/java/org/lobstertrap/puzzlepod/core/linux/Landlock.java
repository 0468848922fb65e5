package org.lobstertrap.puzzlepod.core.linux;

/**
 * Landlock (unprivileged access control by the kernel). A ruleset names which kinds of access it
 * handles; everything handled and not allowed by a rule is denied once the ruleset is enforced.
 *
 * <p><b>Landlock restricts the calling THREAD</b> (and threads and processes it creates afterwards),
 * not the whole JVM: enforce it on a dedicated platform thread (never a virtual thread, which can move
 * between carrier threads) and run the restricted work there.
 *
 * <p>Rights not known to the running kernel's ABI make {@code landlock_create_ruleset} fail with
 * EINVAL; {@link #fsAccessFor(int)} and friends give the full set an ABI version knows.
 */
public final class Landlock {
    // filesystem access rights (LANDLOCK_ACCESS_FS_*)
    public static final long ACCESS_FS_EXECUTE = 1L, ACCESS_FS_WRITE_FILE = 1L << 1, ACCESS_FS_READ_FILE = 1L << 2,
            ACCESS_FS_READ_DIR = 1L << 3, ACCESS_FS_REMOVE_DIR = 1L << 4, ACCESS_FS_REMOVE_FILE = 1L << 5,
            ACCESS_FS_MAKE_CHAR = 1L << 6, ACCESS_FS_MAKE_DIR = 1L << 7, ACCESS_FS_MAKE_REG = 1L << 8,
            ACCESS_FS_MAKE_SOCK = 1L << 9, ACCESS_FS_MAKE_FIFO = 1L << 10, ACCESS_FS_MAKE_BLOCK = 1L << 11,
            ACCESS_FS_MAKE_SYM = 1L << 12;
    /** Link or rename a file between directories (ABI 2). */
    public static final long ACCESS_FS_REFER = 1L << 13;
    /** Truncate a file (ABI 3). */
    public static final long ACCESS_FS_TRUNCATE = 1L << 14;
    /** ioctl on a character or block device (ABI 5). */
    public static final long ACCESS_FS_IOCTL_DEV = 1L << 15;
    /** Rights that make sense on a regular file (a rule on a file may only allow these). */
    public static final long ACCESS_FS_FILE_RIGHTS = ACCESS_FS_EXECUTE | ACCESS_FS_WRITE_FILE | ACCESS_FS_READ_FILE
            | ACCESS_FS_TRUNCATE | ACCESS_FS_IOCTL_DEV;
    // network access rights (ABI 4)
    public static final long ACCESS_NET_BIND_TCP = 1L, ACCESS_NET_CONNECT_TCP = 1L << 1;
    // scopes (ABI 6)
    public static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1L, SCOPE_SIGNAL = 1L << 1;

    private static final long LANDLOCK_CREATE_RULESET_VERSION = 1;
    private static final long RULE_PATH_BENEATH = 1, RULE_NET_PORT = 2;

    private Landlock() {}

    /**
     * The Landlock ABI version of the running kernel (1, 2, …). Throws with EOPNOTSUPP when Landlock is
     * built in but disabled at boot, ENOSYS when the kernel lacks it.
     */
    public static int abiVersion() throws LinuxException {
        Scratch s = Scratch.get();
        long r;
        try {
            r = (long) Libc.SYSCALL3.invokeExact(s.capture, Libc.SYS_LANDLOCK_CREATE_RULESET, 0L, 0L,
                    LANDLOCK_CREATE_RULESET_VERSION);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("landlock_create_ruleset", "ABI version", s.errno());
        return (int) r;
    }

    /** Every filesystem right ABI {@code abi} knows. */
    public static long fsAccessFor(int abi) {
        long all = (1L << 13) - 1;
        if (abi >= 2) all |= ACCESS_FS_REFER;
        if (abi >= 3) all |= ACCESS_FS_TRUNCATE;
        if (abi >= 5) all |= ACCESS_FS_IOCTL_DEV;
        return all;
    }

    /** Every network right ABI {@code abi} knows (none before 4). */
    public static long netAccessFor(int abi) { return abi >= 4 ? ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP : 0; }

    /** Every scope ABI {@code abi} knows (none before 6). */
    public static long scopesFor(int abi) { return abi >= 6 ? SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL : 0; }

    /**
     * landlock_create_ruleset(2). The attribute size passed is the smallest that carries the non-zero
     * fields (8 bytes for filesystem only, 16 with network, 24 with scopes), so that a kernel with an older
     * ABI accepts a ruleset that uses only what it knows. Returns the ruleset fd (close-on-exec).
     */
    public static int createRuleset(long handledFs, long handledNet, long scoped) throws LinuxException {
        Scratch s = Scratch.get();
        var attr = s.small;
        attr.set(Libc.LONG, 0, handledFs);
        attr.set(Libc.LONG, 8, handledNet);
        attr.set(Libc.LONG, 16, scoped);
        long size = scoped != 0 ? 24 : handledNet != 0 ? 16 : 8;
        long r;
        try {
            r = (long) Libc.SYSCALL3.invokeExact(s.capture, Libc.SYS_LANDLOCK_CREATE_RULESET, attr.address(), size, 0L);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) {
            throw new LinuxException("landlock_create_ruleset", "fs 0x" + Long.toHexString(handledFs) + ", net 0x"
                    + Long.toHexString(handledNet) + ", scoped 0x" + Long.toHexString(scoped), s.errno());
        }
        return (int) r;
    }

    /** landlock_add_rule(PATH_BENEATH): allow {@code allowedAccess} beneath the file or directory {@code parentFd}. */
    public static void allowBeneath(int rulesetFd, int parentFd, long allowedAccess) throws LinuxException {
        Scratch s = Scratch.get();
        var attr = s.small;
        // struct landlock_path_beneath_attr is packed: u64 allowed_access, s32 parent_fd (12 bytes)
        attr.set(Libc.LONG, 0, allowedAccess);
        attr.set(Libc.INT, 8, parentFd);
        addRule(s, rulesetFd, RULE_PATH_BENEATH, "path beneath " + Names.fd(parentFd));
    }

    /** landlock_add_rule(NET_PORT): allow {@code allowedAccess} (BIND_TCP, CONNECT_TCP) for TCP {@code port}. */
    public static void allowPort(int rulesetFd, long port, long allowedAccess) throws LinuxException {
        Scratch s = Scratch.get();
        var attr = s.small;
        attr.set(Libc.LONG, 0, allowedAccess);
        attr.set(Libc.LONG, 8, port);
        addRule(s, rulesetFd, RULE_NET_PORT, "port " + port);
    }

    private static void addRule(Scratch s, int rulesetFd, long type, String subject) throws LinuxException {
        long r;
        try {
            r = (long) Libc.SYSCALL4.invokeExact(s.capture, Libc.SYS_LANDLOCK_ADD_RULE, (long) rulesetFd, type,
                    s.small.address(), 0L);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("landlock_add_rule", subject, s.errno());
    }

    /**
     * Sets no_new_privs and enforces the ruleset on the CALLING THREAD (landlock_restrict_self). Cannot be
     * undone; rulesets stack. The ruleset fd stays open and is the caller's to close.
     */
    public static void restrictCurrentThread(int rulesetFd) throws LinuxException {
        Processes.setNoNewPrivs();
        Scratch s = Scratch.get();
        long r;
        try {
            r = (long) Libc.SYSCALL2.invokeExact(s.capture, Libc.SYS_LANDLOCK_RESTRICT_SELF, (long) rulesetFd, 0L);
        } catch (Throwable t) { throw Libc.rethrow(t); }
        if (r < 0) throw new LinuxException("landlock_restrict_self", Names.fd(rulesetFd), s.errno());
    }
}
