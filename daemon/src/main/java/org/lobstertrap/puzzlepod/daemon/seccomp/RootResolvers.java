package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Picks how a container's exec paths are resolved ({@link #forContainer}): by the daemon itself when the
 * container shares its user namespace (rootful podman), else by a {@link ResolverProcess} in the
 * container's user namespace (rootless podman: the root is a FUSE mount only that namespace may use). One
 * resolver serves every container of a user namespace (rootless podman puts a user's containers in one);
 * it is started when the first of them attaches and ended when the last one's resolver is closed. Each
 * request names the calling process, whose {@code /proc/PID/root} the resolver opens afresh, so the
 * semantics are those of {@link RootResolver#direct()}.
 *
 * <p>A resolver that broke (slow, gone, out of step) is started again on a later request, at most once a
 * second, through a process of that request that still lives in the same user namespace.
 */
public final class RootResolvers implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RootResolvers.class.getName());
    /** The environment variable naming {@code puzzle-init} (the same one the hook reads). */
    public static final String SHIM_VARIABLE = "PUZZLEPOD_SHIM";
    /** Where install.sh puts {@code puzzle-init} when the variable is not set. */
    public static final Path DEFAULT_SHIM = Path.of("/usr/lib/puzzlepod/puzzle-init");
    /** How long an answer is awaited before the resolver counts as hung. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    private static final long RESTART_PAUSE_NANOS = 1_000_000_000L;

    private final Path shim;
    private final Duration timeout;
    private final Map<String, Shared> byNamespace = new HashMap<>();
    private final String ownNamespace;
    private boolean closed;

    /**
     * @param shim    the {@code puzzle-init} binary to start resolvers from
     * @param timeout longest wait for one answer
     */
    public RootResolvers(Path shim, Duration timeout) {
        this.shim = Objects.requireNonNull(shim, "shim");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout " + timeout);
        this.ownNamespace = userNamespace("self");
    }

    /** Resolvers from the shim {@code env} names ({@link #SHIM_VARIABLE}, else {@link #DEFAULT_SHIM}). */
    public static RootResolvers fromEnvironment(Map<String, String> env) {
        String v = env.get(SHIM_VARIABLE);
        return new RootResolvers(v == null || v.isBlank() ? DEFAULT_SHIM : Path.of(v.strip()), DEFAULT_TIMEOUT);
    }

    /** The shim resolvers are started from. */
    public Path shim() { return shim; }

    /**
     * The resolver for the container whose init is {@code initPid} (0: unknown, resolved directly). The
     * caller closes it when the container is gone. When a resolver is needed but cannot start, the result
     * resolves nothing (its execs fail closed) and the reason is logged.
     */
    public RootResolver forContainer(int initPid) {
        if (initPid <= 0) return RootResolver.direct();
        String ns = userNamespace(Integer.toString(initPid));
        // unreadable: the init is gone (or not ours); direct resolution then fails for its pids, closed
        if (ns == null || ns.equals(ownNamespace)) return RootResolver.direct();
        Shared s;
        synchronized (byNamespace) {
            if (closed) throw new IllegalStateException("the exec path resolvers are closed");
            s = byNamespace.computeIfAbsent(ns, Shared::new);
            s.refs++;
        }
        s.ensure(initPid);
        return new Lease(s);
    }

    /** How many resolver processes run now. */
    public int running() {
        synchronized (byNamespace) {
            int n = 0;
            for (Shared s : byNamespace.values()) if (s.alive()) n++;
            return n;
        }
    }

    /** Ends every resolver. */
    @Override
    public void close() {
        List<Shared> all;
        synchronized (byNamespace) {
            closed = true;
            all = List.copyOf(byNamespace.values());
            byNamespace.clear();
        }
        for (Shared s : all) s.end();
    }

    private void release(Shared s) {
        boolean last;
        synchronized (byNamespace) {
            last = --s.refs == 0 && byNamespace.get(s.namespace) == s;
            if (last) byNamespace.remove(s.namespace);
        }
        if (last) s.end();
    }

    /** The user namespace of {@code /proc/WHO} (e.g. {@code user:[4026531837]}), or null when unreadable. */
    static String userNamespace(String who) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", who, "ns", "user")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The one resolver of a user namespace. */
    private final class Shared {
        final String namespace;
        int refs; // guarded by byNamespace
        private ResolverProcess process;
        private long lastStart;
        private boolean started, ended;

        Shared(String namespace) { this.namespace = namespace; }

        synchronized boolean alive() { return process != null && process.alive(); }

        /** Starts the resolver through process {@code pid} unless one runs (or one started less than a second ago). */
        synchronized boolean ensure(int pid) {
            if (ended) return false;
            if (process != null && process.alive()) return true;
            long now = System.nanoTime();
            if (started && now - lastStart < RESTART_PAUSE_NANOS) return false;
            if (process != null) process.close();
            process = null;
            started = true;
            lastStart = now;
            if (!namespace.equals(userNamespace(Integer.toString(pid)))) return false; // gone meanwhile, or another namespace
            try {
                process = ResolverProcess.start(shim, pid, timeout);
                LOG.log(System.Logger.Level.INFO, "exec path resolver for {0} started: {1}", namespace, process);
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot start the exec path resolver " + shim + " --resolve-in-root " + pid
                        + " for " + namespace + " (set " + SHIM_VARIABLE + " to puzzle-init): " + e.getMessage()
                        + "; exec paths there cannot be resolved, so only full-path exec_allowlist entries allow anything");
                return false;
            }
        }

        String resolve(int pid, String path) {
            ResolverProcess p;
            synchronized (this) {
                if (!ensure(pid)) return null;
                p = process;
            }
            return p.resolve(pid, path);
        }

        synchronized void end() {
            ended = true;
            if (process != null) process.close();
            process = null;
        }
    }

    /** A container's hold on its namespace's resolver. */
    private final class Lease implements RootResolver {
        private final Shared shared;
        private boolean closed;

        Lease(Shared shared) { this.shared = shared; }

        @Override
        public String resolve(int pid, String path) { return shared.resolve(pid, path); }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) return;
                closed = true;
            }
            release(shared);
        }

        @Override
        public String toString() { return "exec path resolver for " + shared.namespace; }
    }
}
