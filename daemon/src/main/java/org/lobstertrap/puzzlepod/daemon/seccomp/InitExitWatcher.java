package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.core.linux.UnixSockets;

/**
 * Watches the pidfds of attached containers' init processes on one poll thread and runs each one's action
 * once its process has exited (a pidfd becomes readable then). This is how puzzled learns that a governed
 * container stopped without a poststop hook. Actions run on the watcher's thread, one after another, and
 * must be short (hand long work elsewhere); one that throws is logged and does not stop the others.
 */
public final class InitExitWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(InitExitWatcher.class.getName());
    private static final FileSyscalls SYS = FileSyscalls.linux();

    private final Map<Integer, Runnable> watched = new LinkedHashMap<>();
    private final int wakeRead, wakeWrite;
    private final Thread thread;
    private volatile boolean stopping;

    public InitExitWatcher() throws LinuxException {
        int[] pair = UnixSockets.socketpair();
        wakeRead = pair[0];
        wakeWrite = pair[1];
        thread = Thread.ofPlatform().name("init-exit-watcher").daemon(true).start(this::loop);
    }

    /**
     * Runs {@code onExit} once the process of {@code pidfd} has exited; the watcher owns the pidfd from now
     * on and closes it then (or at {@link #close}).
     */
    public void watch(int pidfd, Runnable onExit) throws LinuxException {
        Objects.requireNonNull(onExit, "onExit");
        synchronized (watched) {
            if (stopping) {
                SYS.close(pidfd);
                throw new IllegalStateException("the exit watcher is closed");
            }
            watched.put(pidfd, onExit);
        }
        wake();
    }

    /** How many processes are watched now. */
    public int size() {
        synchronized (watched) {
            return watched.size();
        }
    }

    private void wake() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            SYS.write(wakeWrite, arena.allocate(1), 1);
        }
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment drain = arena.allocate(64);
            while (!stopping) {
                int[] fds;
                synchronized (watched) {
                    fds = new int[watched.size() + 1];
                    fds[0] = wakeRead;
                    int i = 1;
                    for (int fd : watched.keySet()) fds[i++] = fd;
                }
                short[] r;
                try {
                    r = Processes.poll(fds, Processes.POLLIN, -1);
                } catch (LinuxException e) {
                    LOG.log(System.Logger.Level.ERROR, "exit watcher: " + e.getMessage());
                    continue;
                }
                if (r[0] != 0) {
                    try {
                        SYS.read(wakeRead, drain, drain.byteSize());
                    } catch (LinuxException e) {
                        LOG.log(System.Logger.Level.ERROR, "exit watcher: " + e.getMessage());
                    }
                }
                for (int i = 1; i < fds.length && !stopping; i++) {
                    if (r[i] == 0) continue;
                    Runnable action;
                    synchronized (watched) {
                        action = watched.remove(fds[i]);
                    }
                    close(fds[i]);
                    if (action == null) continue;
                    try {
                        action.run();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, "exit watcher: the action after a container's exit failed", e);
                    }
                }
            }
        }
    }

    private static void close(int fd) {
        try {
            SYS.close(fd);
        } catch (LinuxException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    /** Stops watching; the actions of processes still running are not run. */
    @Override
    public void close() throws InterruptedException {
        synchronized (watched) {
            if (stopping) return;
            stopping = true;
        }
        try {
            wake();
        } catch (LinuxException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
        thread.join();
        synchronized (watched) {
            for (int fd : watched.keySet()) close(fd);
            watched.clear();
        }
        close(wakeRead);
        close(wakeWrite);
    }
}
