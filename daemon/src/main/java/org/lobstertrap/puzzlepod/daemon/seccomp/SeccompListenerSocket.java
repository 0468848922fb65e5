package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.core.linux.UnixSockets;

/**
 * The AF_UNIX socket runc connects to when a spec's {@code linux.seccomp.listenerPath} names it. Each
 * connection carries one {@link RuncSeccompMessage} with the notify fd; a valid one is handed to the
 * {@link SeccompSupervisor}, anything else is refused: its fds are closed and the refusal logged (the
 * container's supervised calls then fail, so nothing runs unsupervised).
 *
 * <p>Runs its accept loop on one platform thread; each connection is served on a thread of its own (at most
 * {@link #MAX_CONCURRENT} at once, further ones on the accept thread), with a short deadline for the
 * message, so one container's attach (network rules) does not hold up the next container's start and a
 * client that connects and sends nothing costs one slot for at most that deadline.
 */
public final class SeccompListenerSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SeccompListenerSocket.class.getName());
    /** Upper bound of one message; runc's are a few hundred bytes plus annotations. */
    public static final int MAX_MESSAGE = 64 * 1024;
    private static final int DEADLINE_MS = 5_000;
    /** Connections served at once on threads of their own. */
    public static final int MAX_CONCURRENT = 8;
    private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(MAX_CONCURRENT);
    private static final FileSyscalls SYS = FileSyscalls.linux();

    private final Path path;
    private final int listenFd, wakeRead, wakeWrite;
    private final SeccompSupervisor supervisor;
    private final ContainerPolicies policies;
    private final ContainerAdmission admission;
    private final RootResolvers resolvers;
    private final AtomicLong accepted = new AtomicLong(), refused = new AtomicLong();
    private volatile SeccompMessageException lastRefusal;
    private final Thread thread;
    private volatile boolean stopping;

    private SeccompListenerSocket(Path path, int listenFd, SeccompSupervisor supervisor,
                                  ContainerPolicies policies, ContainerAdmission admission, RootResolvers resolvers) throws LinuxException {
        this.path = path;
        this.resolvers = resolvers;
        this.listenFd = listenFd;
        this.supervisor = supervisor;
        this.policies = policies;
        this.admission = admission;
        int[] pair = UnixSockets.socketpair();
        wakeRead = pair[0];
        wakeWrite = pair[1];
        thread = Thread.ofPlatform().name("seccomp-listener").daemon(true).start(this::loop);
    }

    /**
     * Binds {@code path} (creating its directory; mode 0666, replacing a stale socket left by a previous
     * daemon; refusing to replace anything that is not a socket), listens and
     * starts accepting. {@code policies} picks the policy of each new container.
     */
    public static SeccompListenerSocket start(Path path, SeccompSupervisor supervisor,
                                              Function<GovernedContainer, SyscallPolicy> policies) throws IOException {
        return start(path, supervisor, policies, PosixFilePermissions.fromString("rw-rw-rw-"));
    }

    /**
     * Like {@link #start(Path, SeccompSupervisor, Function)} with the socket's mode: {@code rw-------} when
     * only the daemon's own user (root, whose runc connects) may hand containers over.
     */
    public static SeccompListenerSocket start(Path path, SeccompSupervisor supervisor,
                                              Function<GovernedContainer, SyscallPolicy> policies,
                                              java.util.Set<java.nio.file.attribute.PosixFilePermission> mode) throws IOException {
        return start(path, supervisor, policies, mode, ContainerAdmission.NONE);
    }

    /**
     * Like {@link #start(Path, SeccompSupervisor, Function, java.util.Set)}, admitting each container with
     * {@code admission} before its notifications are served (a container not admitted is killed).
     */
    public static SeccompListenerSocket start(Path path, SeccompSupervisor supervisor,
                                              Function<GovernedContainer, SyscallPolicy> policies,
                                              java.util.Set<java.nio.file.attribute.PosixFilePermission> mode,
                                              ContainerAdmission admission) throws IOException {
        Objects.requireNonNull(policies, "policies");
        return start(path, supervisor, (c, roots) -> policies.apply(c), mode, admission, null);
    }

    /**
     * Like {@link #start(Path, SeccompSupervisor, Function, java.util.Set, ContainerAdmission)}, resolving each
     * container's exec paths with the resolver {@code resolvers} picks for it ({@link RootResolvers#forContainer};
     * null: the daemon resolves every path itself). The resolver goes to the policy and then to the
     * supervisor, which ends it with the container.
     */
    public static SeccompListenerSocket start(Path path, SeccompSupervisor supervisor, ContainerPolicies policies,
                                              java.util.Set<java.nio.file.attribute.PosixFilePermission> mode,
                                              ContainerAdmission admission, RootResolvers resolvers) throws IOException {
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(admission, "admission");
        Objects.requireNonNull(policies, "policies");
        Path abs = path.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            if (!"socket".equals(fileType(abs)))
                throw new IOException("seccomp listener path " + abs + " exists and is not a socket; not replacing it");
            Files.delete(abs);
        }
        int fd = UnixSockets.socket();
        try {
            UnixSockets.bind(fd, abs.toString().getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(abs, mode);
            UnixSockets.listen(fd, 64);
            return new SeccompListenerSocket(abs, fd, supervisor, policies, admission, resolvers);
        } catch (IOException | RuntimeException e) {
            SYS.close(fd);
            throw e;
        }
    }

    private static String fileType(Path p) throws IOException {
        var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attrs.isOther() ? "socket" : attrs.isDirectory() ? "directory" : "file";
    }

    /** The socket's path. */
    public Path path() { return path; }

    /** Containers handed to the supervisor. */
    public long acceptedCount() { return accepted.get(); }

    /** Connections refused. */
    public long refusedCount() { return refused.get(); }

    /** Why the last connection was refused; null if none was. */
    public SeccompMessageException lastRefusal() { return lastRefusal; }

    private void loop() {
        while (!stopping) {
            try {
                short[] r = Processes.poll(new int[] {listenFd, wakeRead}, Processes.POLLIN, -1);
                if (r[1] != 0 || stopping) return;
                if ((r[0] & Processes.POLLIN) == 0) continue;
                int conn = UnixSockets.accept(listenFd);
                if (slots.tryAcquire()) {
                    try {
                        Thread.ofPlatform().name("seccomp-admit").daemon(true).start(() -> {
                            try {
                                serveAndClose(conn);
                            } finally {
                                slots.release();
                            }
                        });
                    } catch (RuntimeException | OutOfMemoryError e) {
                        slots.release();
                        serveAndClose(conn);
                    }
                } else {
                    serveAndClose(conn);
                }
            } catch (LinuxException e) {
                if (!stopping) LOG.log(System.Logger.Level.ERROR, "seccomp listener " + path + ": " + e.getMessage());
            }
        }
    }

    private void serveAndClose(int conn) {
        try {
            serve(conn);
        } catch (LinuxException | RuntimeException e) {
            if (!stopping) LOG.log(System.Logger.Level.ERROR, "seccomp listener " + path + ": " + e.getMessage());
        } finally {
            try {
                SYS.close(conn);
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
            }
        }
    }

    /** Reads the message until the peer closes its end, then registers or refuses. */
    private void serve(int conn) throws LinuxException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] fds = new int[0];
        long deadline = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        SeccompMessageException refusal = null;
        RootResolver roots = null; // until the supervisor owns it
        try {
            while (true) {
                int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
                if (left <= 0 || (Processes.poll(new int[] {conn}, Processes.POLLIN, left)[0]) == 0) {
                    refusal = new SeccompMessageException(SeccompMessageException.Code.TIMEOUT,
                            "seccomp agent message incomplete after " + DEADLINE_MS + " ms");
                    break;
                }
                UnixSockets.Message m = UnixSockets.recvWithFds(conn, MAX_MESSAGE + 1 - data.size(), 2);
                if (m.fds().length > 0) {
                    int[] all = java.util.Arrays.copyOf(fds, fds.length + m.fds().length);
                    System.arraycopy(m.fds(), 0, all, fds.length, m.fds().length);
                    fds = all;
                }
                if (m.fdsTruncated() && refusal == null)
                    refusal = new SeccompMessageException(SeccompMessageException.Code.TOO_MANY_FDS,
                            "seccomp agent message carried more than 2 fds");
                if (m.data().length == 0) break; // runc closes after its one message
                data.writeBytes(m.data());
                if (data.size() > MAX_MESSAGE) {
                    refusal = new SeccompMessageException(SeccompMessageException.Code.TOO_LARGE,
                            "seccomp agent message larger than " + MAX_MESSAGE + " bytes");
                    break;
                }
            }
            if (refusal == null) {
                RuncSeccompMessage msg = RuncSeccompMessage.parse(data.toByteArray(), fds.length);
                GovernedContainer c = new GovernedContainer(msg.containerId(), msg.pid(), msg.metadata());
                roots = resolvers == null ? RootResolver.direct() : resolvers.forContainer(c.initPid());
                SyscallPolicy policy = policies.policyFor(c, roots);
                if (policy == null)
                    throw new SeccompMessageException(SeccompMessageException.Code.MISSING_FIELD,
                            "no policy for container " + c.containerId() + " on branch " + c.branchId());
                long admitStart = System.nanoTime();
                admit(conn, msg);
                long admitMs = (System.nanoTime() - admitStart) / 1_000_000;
                int fd = fds[0];
                fds = new int[0]; // the supervisor owns it now
                RootResolver handed = roots;
                roots = null;
                supervisor.register(c, fd, policy, handed);
                accepted.incrementAndGet();
                LOG.log(System.Logger.Level.INFO, "seccomp: supervising container {0} (pid {1}, branch {2}; attached in {3} ms)",
                        c.containerId(), String.valueOf(c.initPid()), c.branchId(), String.valueOf(admitMs));
            }
        } catch (SeccompMessageException e) {
            refusal = e;
        } catch (RuntimeException e) {
            refusal = new SeccompMessageException(SeccompMessageException.Code.MISSING_FIELD, "seccomp agent: " + e.getMessage());
        } finally {
            for (int fd : fds) {
                try { SYS.close(fd); } catch (LinuxException e) { LOG.log(System.Logger.Level.WARNING, e.getMessage()); }
            }
            if (roots != null) roots.close(); // refused: its resolver ends (the last one of a namespace stops)
        }
        if (refusal != null) {
            refused.incrementAndGet();
            lastRefusal = refusal;
            String peer;
            try { peer = String.valueOf(UnixSockets.peerCredentials(conn)); } catch (LinuxException e) { peer = "unknown peer"; }
            LOG.log(System.Logger.Level.WARNING, "seccomp: refused a container from {0}: {1} ({2})", peer,
                    refusal.getMessage(), refusal.code());
        }
    }

    /**
     * Admits the container before its notify fd is served: its init waits in its first notified call
     * (execve) meanwhile. Not admitted: the init is killed through a pidfd, so it never runs ungoverned.
     */
    private void admit(int conn, RuncSeccompMessage msg) throws SeccompMessageException, LinuxException {
        if (admission == ContainerAdmission.NONE) return; // a bare supervisor: nothing to attach, no pidfd needed
        int peerUid = UnixSockets.peerCredentials(conn).uid();
        int pidfd;
        try {
            pidfd = Processes.pidfdOpen(msg.pid());
        } catch (LinuxException e) {
            throw new SeccompMessageException(SeccompMessageException.Code.NOT_ADMITTED,
                    "container " + msg.containerId() + ": its init (pid " + msg.pid() + ") is gone: " + e.getMessage());
        }
        try {
            admission.admit(msg, pidfd, peerUid);
        } catch (SeccompMessageException | RuntimeException e) {
            try {
                Processes.pidfdSendSignal(pidfd, Processes.SIGKILL);
            } catch (LinuxException k) {
                LOG.log(System.Logger.Level.WARNING, "seccomp: could not kill the refused container " + msg.containerId() + ": " + k.getMessage());
            } finally {
                SYS.close(pidfd);
            }
            if (e instanceof SeccompMessageException s) throw s;
            throw new SeccompMessageException(SeccompMessageException.Code.NOT_ADMITTED,
                    "container " + msg.containerId() + " not admitted: " + e.getMessage());
        }
    }

    /** Stops accepting and removes the socket file. Supervised containers keep being supervised. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (stopping) return;
        stopping = true;
        SYS.write(wakeWrite, java.lang.foreign.Arena.ofAuto().allocate(1), 1);
        thread.join();
        SYS.close(listenFd);
        SYS.close(wakeRead);
        SYS.close(wakeWrite);
        Files.deleteIfExists(path);
    }
}
