package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.PollSet;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.core.linux.SeccompNotification;
import org.lobstertrap.puzzlepod.core.linux.SeccompNotify;
import org.lobstertrap.puzzlepod.core.linux.UnixSockets;

/**
 * Answers the seccomp notifications of every governed container on ONE platform thread: a poll(2)
 * loop over all notify fds plus a socket pair that wakes it when containers are added or on close.
 * The thread blocks in native calls, which is why it must not be a virtual thread.
 *
 * <p>Per notification: read the call's arguments from the caller's memory, ask the container's
 * {@link SyscallPolicy}, then CONTINUE or fail with EPERM (an answer to a notification whose caller was
 * interrupted or killed meanwhile is refused by the kernel and counted as cancelled), and report the
 * delivered {@link Decision}. The reads reuse per-thread buffers ({@link ExecReader}); the decisions go to a
 * sink that must not block (the daemon's hands them to a queue for the audit log). Anything unreadable is denied.
 * Cancelled notifications are normal (runc-init's Go runtime interrupts blocked calls with SIGURG and
 * they come again): they are counted, logged at DEBUG and not reported.
 *
 * <p>A container's FIRST exec (runc-init starting the entrypoint) is always allowed; until it was
 * delivered, execs of the container's init process are not matched against the lists.
 */
public final class SeccompSupervisor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SeccompSupervisor.class.getName());
    /** x86_64 system call numbers. */
    public static final int NR_CONNECT = 42, NR_EXECVE = 59, NR_EXECVEAT = 322;
    static final int MAX_PATH = 4096, MAX_ARGS = 256, MAX_ARG_LENGTH = 4096, MAX_SOCKADDR = 128;
    private static final FileSyscalls SYS = FileSyscalls.linux();

    private record Pending(GovernedContainer container, int fd, SyscallPolicy policy, RootResolver roots) {}

    private static final class Supervised {
        final GovernedContainer container;
        final int fd;
        final SyscallPolicy policy;
        final RootResolver roots;
        boolean firstExecDone;

        Supervised(Pending p) {
            container = p.container;
            fd = p.fd;
            policy = p.policy;
            roots = p.roots;
        }
    }

    private final DecisionSink sink;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private final AtomicLong cancelled = new AtomicLong(), answered = new AtomicLong(), failures = new AtomicLong();
    private final int wakeRead, wakeWrite;
    private final MemorySegment wakeByte = Arena.ofAuto().allocate(64);
    private final Thread thread;
    /** Used by the supervisor thread only. */
    private final ExecReader execReader = new ExecReader();
    private volatile boolean stopping;

    /** Starts the supervisor thread; every decision goes to {@code sink}. */
    public SeccompSupervisor(DecisionSink sink, Clock clock) throws LinuxException {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        int[] pair = UnixSockets.socketpair();
        wakeRead = pair[0];
        wakeWrite = pair[1];
        thread = Thread.ofPlatform().name("seccomp-supervisor").daemon(true).start(this::loop);
    }

    /**
     * Starts answering the notifications on {@code notifyFd} (ownership passes to the supervisor, which
     * closes it when the container is gone or on {@link #close}).
     */
    public void register(GovernedContainer container, int notifyFd, SyscallPolicy policy) throws LinuxException {
        register(container, notifyFd, policy, RootResolver.direct());
    }

    /**
     * Like {@link #register(GovernedContainer, int, SyscallPolicy)}, resolving exec paths with {@code roots}
     * (the container's resolver, see {@link RootResolvers}); the supervisor owns it too and closes it when it
     * drops the container.
     */
    public void register(GovernedContainer container, int notifyFd, SyscallPolicy policy, RootResolver roots) throws LinuxException {
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(roots, "roots");
        if (stopping) {
            roots.close();
            SYS.close(notifyFd);
            throw new IllegalStateException("seccomp supervisor is closed; container " + container.containerId() + " refused");
        }
        try {
            // the caller blocks until we answer: let the kernel switch straight to us and back (Linux 6.6+)
            if (!SeccompNotify.setSyncWakeUp(notifyFd))
                LOG.log(System.Logger.Level.DEBUG, "seccomp: synchronous wake-up not supported by this kernel");
        } catch (LinuxException e) {
            LOG.log(System.Logger.Level.WARNING, "seccomp: container " + container.containerId() + ": " + e.getMessage());
        }
        held.add(container.containerId());
        pending.add(new Pending(container, notifyFd, policy, roots));
        wake();
    }

    /** Ids of the containers whose notify fd is held right now. */
    public Set<String> heldContainerIds() { return Set.copyOf(held); }

    /** Notifications that were cancelled before they could be answered (normal, see class doc). */
    public long cancelledCount() { return cancelled.get(); }

    /** Notifications answered (allowed or denied). */
    public long answeredCount() { return answered.get(); }

    /** Unexpected kernel errors on a notify fd (the container was dropped). */
    public long failureCount() { return failures.get(); }

    private void wake() throws LinuxException {
        SYS.write(wakeWrite, wakeByte, 1);
    }

    private void loop() {
        List<Supervised> live = new ArrayList<>();
        PollSet polled = new PollSet();
        int[] fds = new int[16];
        boolean changed = true;
        try {
            while (!stopping) {
                if (changed) { // the native pollfd array is rebuilt only when containers come or go
                    if (fds.length < live.size() + 1) fds = new int[2 * (live.size() + 1)];
                    fds[0] = wakeRead;
                    for (int i = 0; i < live.size(); i++) fds[i + 1] = live.get(i).fd;
                    polled.set(fds, live.size() + 1, Processes.POLLIN);
                    changed = false;
                }
                polled.poll(-1);
                if (polled.revents(0) != 0) SYS.read(wakeRead, wakeByte, wakeByte.byteSize());
                List<Supervised> gone = null;
                for (int i = 0; i < live.size(); i++) {
                    short r = polled.revents(i + 1);
                    Supervised s = live.get(i);
                    if ((r & Processes.POLLIN) != 0) {
                        if (!handle(s)) (gone == null ? gone = new ArrayList<>() : gone).add(s);
                    } else if ((r & (Processes.POLLHUP | Processes.POLLERR | Processes.POLLNVAL)) != 0) {
                        (gone == null ? gone = new ArrayList<>() : gone).add(s);
                    }
                }
                if (gone != null) {
                    for (Supervised s : gone) drop(live, s, "all its processes are gone");
                    changed = true;
                }
                for (Pending p; (p = pending.poll()) != null; ) {
                    live.add(new Supervised(p));
                    changed = true;
                }
            }
        } catch (Throwable t) {
            // fail closed: dropping the fds makes every supervised call fail with ENOSYS
            LOG.log(System.Logger.Level.ERROR, "seccomp supervisor stopped by an unexpected error", t);
        } finally {
            for (Pending p; (p = pending.poll()) != null; ) live.add(new Supervised(p));
            for (Supervised s : List.copyOf(live)) drop(live, s, "supervisor closed");
        }
    }

    private void drop(List<Supervised> live, Supervised s, String why) {
        live.remove(s);
        held.remove(s.container.containerId());
        try { SYS.close(s.fd); } catch (LinuxException e) { LOG.log(System.Logger.Level.WARNING, e.getMessage()); }
        s.roots.close();
        LOG.log(System.Logger.Level.DEBUG, "seccomp: container {0} dropped: {1}", s.container.containerId(), why);
    }

    /** Handles one notification; false when the fd failed and the container must be dropped. */
    private boolean handle(Supervised s) {
        SeccompNotification n;
        try {
            Optional<SeccompNotification> got = SeccompNotify.receive(s.fd);
            if (got.isEmpty()) {
                cancelled.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "seccomp: notification of {0} cancelled before receive", s.container.containerId());
                return true;
            }
            n = got.get();
        } catch (LinuxException e) {
            failures.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "seccomp: container " + s.container.containerId() + ": " + e.getMessage());
            return false;
        }
        String name = switch (n.syscall()) {
            case NR_EXECVE -> "execve";
            case NR_EXECVEAT -> "execveat";
            case NR_CONNECT -> "connect";
            default -> "syscall " + n.syscall();
        };
        String subject = "?";
        Verdict verdict;
        boolean firstExec = false;
        try {
            if (n.arch() != SeccompNotification.AUDIT_ARCH_X86_64) {
                verdict = Verdict.deny("foreign calling convention 0x" + Integer.toHexString(n.arch()));
            } else if (n.syscall() == NR_EXECVE || n.syscall() == NR_EXECVEAT) {
                ExecRequest req = execReader.read(n, s.roots);
                subject = req.path() + (req.resolvedPath() != null && !req.resolvedPath().equals(req.path())
                        ? " (" + req.resolvedPath() + ")" : "") + " argv=" + req.argv() + (req.truncated() ? " (truncated)" : "");
                firstExec = !s.firstExecDone && isInit(s.container, n.pid());
                verdict = firstExec ? Verdict.allow("the container's first exec") : s.policy.decideExec(s.container, req);
            } else if (n.syscall() == NR_CONNECT) {
                ConnectTarget target = readConnect(n);
                subject = target.display();
                verdict = s.policy.decideConnect(s.container, target);
            } else {
                verdict = Verdict.deny("not a supervised system call");
            }
        } catch (LinuxException | IllegalArgumentException e) {
            verdict = Verdict.deny("arguments unreadable: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "seccomp: policy of " + s.container.containerId() + " failed", e);
            verdict = Verdict.deny("policy failed: " + e);
        }
        try {
            // The arguments came from /proc/PID/mem and the container's root: if the caller died meanwhile, that
            // pid may be another process, so the verdict must not be trusted (or audited). The answer alone would
            // be refused by the kernel too; the check keeps the verdict and its audit record honest for ~1 ioctl.
            if (!SeccompNotify.isIdValid(s.fd, n.id())) {
                countCancelled(s, name);
                return true;
            }
            SeccompNotify.Reply reply = verdict.allowed() ? SeccompNotify.allow(s.fd, n.id())
                    : SeccompNotify.deny(s.fd, n.id(), Errno.EPERM);
            if (reply == SeccompNotify.Reply.CANCELLED) {
                countCancelled(s, name);
                return true;
            }
        } catch (LinuxException e) {
            failures.incrementAndGet();
            LOG.log(System.Logger.Level.ERROR, "seccomp: container " + s.container.containerId() + ": " + e.getMessage());
            return false;
        }
        if (firstExec) s.firstExecDone = true;
        answered.incrementAndGet();
        try {
            sink.record(new Decision(clock.instant(), s.container.containerId(), s.container.branchId(), n.pid(), name,
                    subject, verdict.allowed(), verdict.reason()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "seccomp: decision sink failed", e);
        }
        return true;
    }

    private void countCancelled(Supervised s, String name) {
        cancelled.incrementAndGet();
        LOG.log(System.Logger.Level.DEBUG, "seccomp: {0} of container {1} cancelled (caller interrupted); it will come again",
                name, s.container.containerId());
    }

    /** Whether thread {@code tid} belongs to the container's init process (any thread when the pid is unknown). */
    private static boolean isInit(GovernedContainer c, int tid) {
        if (c.initPid() == 0 || c.initPid() == tid) return true;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"), StandardCharsets.ISO_8859_1))
                if (line.startsWith("Tgid:")) return Integer.parseInt(line.substring(5).strip()) == c.initPid();
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    static ConnectTarget readConnect(SeccompNotification n) throws LinuxException {
        long length = n.arg(2) & 0xffffffffL;
        if (length < 2) throw new IllegalArgumentException("sockaddr length " + length);
        return ConnectTarget.decode(SeccompNotify.readProcessMemory(n.pid(), n.arg(1), (int) Math.min(length, MAX_SOCKADDR)));
    }

    /** Stops the thread and closes every held fd: the governed containers' supervised calls then fail (ENOSYS). */
    @Override
    public void close() throws InterruptedException {
        if (stopping) return;
        stopping = true;
        try { wake(); } catch (LinuxException e) { LOG.log(System.Logger.Level.WARNING, e.getMessage()); }
        thread.join();
        for (Pending p; (p = pending.poll()) != null; ) { // raced with close: never supervised
            held.remove(p.container.containerId());
            p.roots.close();
            try { SYS.close(p.fd); } catch (LinuxException e) { LOG.log(System.Logger.Level.WARNING, e.getMessage()); }
        }
        try { SYS.close(wakeRead); SYS.close(wakeWrite); }
        catch (LinuxException e) { LOG.log(System.Logger.Level.WARNING, e.getMessage()); }
    }
}
