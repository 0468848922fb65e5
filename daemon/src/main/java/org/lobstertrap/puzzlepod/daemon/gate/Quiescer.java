package org.lobstertrap.puzzlepod.daemon.gate;

import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Stops a running container so that its branch holds still while it is judged: freezes its cgroup
 * (cgroup v2 {@code cgroup.freeze}, or the v1 freezer), and ends it with SIGKILL through a pidfd (never
 * a recycled pid) plus {@code cgroup.kill} where there is one, before a commit or a rollback touches the
 * upper dir. A container that has already stopped needs nothing.
 */
public final class Quiescer {
    private static final System.Logger LOG = System.getLogger(Quiescer.class.getName());
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /** Where cgroup file systems are mounted: the unified (v2) hierarchy and the v1 freezer, either may be null. */
    public record CgroupMounts(Path unified, Path freezer) {
        /** Reads {@code /proc/self/mountinfo}. */
        public static CgroupMounts detect() {
            Path unified = null, freezer = null;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                    int sep = line.indexOf(" - ");
                    if (sep < 0) continue;
                    String[] pre = line.substring(0, sep).split(" ");
                    String[] post = line.substring(sep + 3).split(" ");
                    if (pre.length < 5 || post.length < 3) continue;
                    Path mountPoint = Path.of(pre[4].replace("\\040", " "));
                    if (post[0].equals("cgroup2") && unified == null) unified = mountPoint;
                    if (post[0].equals("cgroup") && List.of(post[2].split(",")).contains("freezer") && freezer == null) freezer = mountPoint;
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot read /proc/self/mountinfo: " + e.getMessage());
            }
            return new CgroupMounts(unified, freezer);
        }
    }

    /** A container the gate has stopped (or found stopped); {@link #close()} releases the pidfd. */
    public final class Quiesced implements AutoCloseable {
        private final int pidfd;
        private final Path cgroupDir;
        private final boolean v2;
        private final boolean running;

        private final boolean ended;

        private Quiesced(int pidfd, Path cgroupDir, boolean v2, boolean running) {
            this(pidfd, cgroupDir, v2, running, false);
        }

        private Quiesced(int pidfd, Path cgroupDir, boolean v2, boolean running, boolean ended) {
            this.pidfd = pidfd;
            this.cgroupDir = cgroupDir;
            this.v2 = v2;
            this.running = running;
            this.ended = ended;
        }

        /**
         * True when the container could not be frozen and was ended instead (its PID namespace killed through
         * its init's pidfd: rootless podman on cgroups v1 has no freezer the user may write). {@link #thaw()}
         * cannot bring it back.
         */
        public boolean ended() { return ended; }

        /** True when a live process was found and frozen. */
        public boolean wasRunning() { return running; }

        /** The frozen cgroup directory, or null (process stopped, or no freezer: then it was SIGSTOPped). */
        public Path cgroup() { return cgroupDir; }

        /** Ends the container: SIGKILL to the process (and its cgroup), waits for it to exit, thaws the cgroup. */
        public void kill() {
            if (!running || ended) return;
            if (v2 && cgroupDir != null && Files.exists(cgroupDir.resolve("cgroup.kill"))) writeQuietly(cgroupDir.resolve("cgroup.kill"), "1");
            if (pidfd < 0) {
                killMembers();
                thaw(); // v1 frozen tasks only die once thawed
                awaitEmpty();
                return;
            }
            try {
                Processes.pidfdSendSignal(pidfd, Processes.SIGKILL);
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.DEBUG, "SIGKILL: " + e.getMessage());
            }
            thaw(); // v1 frozen tasks only die once thawed
            try {
                short[] ev = Processes.poll(new int[]{pidfd}, Processes.POLLIN, (int) SETTLE.toMillis());
                if (ev[0] == 0) LOG.log(System.Logger.Level.WARNING, "container process still alive " + SETTLE + " after SIGKILL");
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.WARNING, "waiting for the killed container: " + e.getMessage());
            }
        }

        /** SIGKILL to every process of the cgroup (a frozen cgroup cannot fork new ones meanwhile). */
        private void killMembers() {
            if (cgroupDir == null) return;
            try {
                for (String pid : Files.readAllLines(cgroupDir.resolve("cgroup.procs"))) {
                    if (pid.isBlank()) continue;
                    try {
                        Processes.kill(Integer.parseInt(pid.trim()), Processes.SIGKILL);
                    } catch (LinuxException | NumberFormatException e) {
                        LOG.log(System.Logger.Level.DEBUG, "SIGKILL " + pid + ": " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot list " + cgroupDir + "/cgroup.procs: " + e.getMessage());
            }
        }

        private void awaitEmpty() {
            if (cgroupDir == null) return;
            long deadline = System.nanoTime() + SETTLE.toNanos();
            try {
                while (!Files.readString(cgroupDir.resolve("cgroup.procs")).isBlank()) {
                    if (System.nanoTime() > deadline) {
                        LOG.log(System.Logger.Level.WARNING, "processes left in " + cgroupDir + " " + SETTLE + " after SIGKILL");
                        return;
                    }
                    Thread.sleep(5);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "waiting for " + cgroupDir + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Lets the container run again. */
        public void thaw() {
            if (!running) return;
            if (ended) {
                LOG.log(System.Logger.Level.WARNING, "the container was ended to quiesce it (no freezer); it cannot be thawed");
                return;
            }
            if (cgroupDir == null) {
                try {
                    Processes.pidfdSendSignal(pidfd, Processes.SIGCONT);
                } catch (LinuxException e) {
                    LOG.log(System.Logger.Level.DEBUG, "SIGCONT: " + e.getMessage());
                }
            } else if (v2) {
                writeQuietly(cgroupDir.resolve("cgroup.freeze"), "0");
            } else {
                writeQuietly(cgroupDir.resolve("freezer.state"), "THAWED");
            }
        }

        @Override public void close() {
            if (pidfd >= 0) {
                try {
                    FileSyscalls.linux().close(pidfd);
                } catch (LinuxException e) {
                    LOG.log(System.Logger.Level.DEBUG, "close pidfd: " + e.getMessage());
                }
            }
        }
    }

    private final CgroupMounts mounts;

    public Quiescer(CgroupMounts mounts) { this.mounts = mounts; }

    /** A quiescer for the cgroup mounts of this machine. */
    public static Quiescer onLinux() { return new Quiescer(CgroupMounts.detect()); }

    public CgroupMounts mounts() { return mounts; }

    /**
     * Freezes the container if its process still runs. Throws {@link IOException} when it runs but cannot
     * be stopped (the gate then fails closed rather than judge a moving target).
     */
    public Quiesced freeze(ContainerRef ref) throws IOException {
        int pidfd;
        try {
            pidfd = Processes.pidfdOpen(ref.pid());
        } catch (LinuxException e) {
            return new Quiesced(-1, null, false, false); // gone already: nothing to stop
        }
        try {
            if (exited(pidfd)) return new Quiesced(pidfd, null, false, false);
            Resolved cg;
            try {
                cg = resolve(ref);
            } catch (IOException e) {
                if (rootDaemon()) throw e;
                // rootless podman on cgroups v1 leaves the container in the user's own cgroup, often one without a freezer
                LOG.log(System.Logger.Level.INFO, "container " + ref.containerId() + ": " + e.getMessage());
                cg = null;
            }
            if (cg != null && memberOf((int) ProcessHandle.current().pid(), cg)) {
                // rootless: the container shares the user's cgroup with this daemon; freezing it would freeze us
                LOG.log(System.Logger.Level.INFO, "container " + ref.containerId() + " has no cgroup of its own (" + cg.dir + " holds this daemon too)");
                cg = null;
            }
            if (cg != null && !memberOf(ref.pid(), cg)) {
                // the pid is not (or no longer) the container's: never signal it, act on the cgroup alone
                LOG.log(System.Logger.Level.WARNING, "pid " + ref.pid() + " is not in cgroup " + cg.dir + " of container "
                        + ref.containerId() + "; freezing and killing the cgroup only");
                FileSyscalls.linux().close(pidfd);
                pidfd = -1;
            }
            if (cg != null) {
                if (cg.v2) {
                    write(cg.dir.resolve("cgroup.freeze"), "1");
                    awaitState(cg.dir.resolve("cgroup.events"), "frozen 1");
                } else {
                    write(cg.dir.resolve("freezer.state"), "FROZEN");
                    awaitState(cg.dir.resolve("freezer.state"), "FROZEN");
                }
                return new Quiesced(pidfd, cg.dir, cg.v2, true);
            }
            if (pidNamespaceInit(ref.pid())) {
                // no usable freezer, but the pid is the init of its own PID namespace: killing it ends every
                // process of the container at once (the kernel kills the namespace), through the pidfd, so never
                // a recycled pid; stopping only the init would leave its children running
                Processes.pidfdSendSignal(pidfd, Processes.SIGKILL);
                short[] ev = Processes.poll(new int[]{pidfd}, Processes.POLLIN, (int) SETTLE.toMillis());
                if (ev[0] == 0) throw new IOException("container " + ref.containerId() + " (pid " + ref.pid() + ") still runs " + SETTLE + " after SIGKILL");
                LOG.log(System.Logger.Level.WARNING, "container " + ref.containerId() + " has no freezer cgroup this daemon may use;"
                        + " it was ended (SIGKILL to its PID namespace) so that its branch holds still");
                return new Quiesced(pidfd, null, false, true, true);
            }
            if (!rootDaemon())
                throw new IOException("cannot quiesce container " + ref.containerId() + ": no freezer cgroup this daemon may write,"
                        + " and pid " + ref.pid() + " is not the init of a PID namespace of its own (stopping one process would leave the others running)");
            // no usable freezer: stop the init process itself
            Processes.pidfdSendSignal(pidfd, Processes.SIGSTOP);
            return new Quiesced(pidfd, null, false, true);
        } catch (IOException | RuntimeException e) {
            try {
                FileSyscalls.linux().close(pidfd);
            } catch (LinuxException ignored) {
                // the freeze error is the one to report
            }
            throw e instanceof IOException io ? io : new IOException("cannot freeze container " + ref.containerId() + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code pid} sits in {@code cg} or below it (per {@code /proc/PID/cgroup}). */
    private boolean memberOf(int pid, Resolved cg) throws IOException {
        Path mount = cg.v2 ? mounts.unified() : mounts.freezer();
        String rel = "/" + mount.relativize(cg.dir);
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            boolean hierarchy = cg.v2 ? f[0].equals("0") && f[1].isEmpty() : List.of(f[1].split(",")).contains("freezer");
            if (hierarchy && (f[2].equals(rel) || f[2].startsWith(rel + "/"))) return true;
        }
        return false;
    }

    /** True when the process is pid 1 of a PID namespace below this daemon's ({@code NSpid} ends in 1). */
    static boolean pidNamespaceInit(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (!line.startsWith("NSpid:")) continue;
            String[] ids = line.substring(6).trim().split("\\s+");
            return ids.length > 1 && ids[ids.length - 1].equals("1");
        }
        return false;
    }

    private static boolean rootDaemon() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("Uid:")) return line.substring(4).trim().split("\\s+")[1].equals("0");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "reading /proc/self/status: " + e.getMessage());
        }
        return false;
    }

    private static boolean exited(int pidfd) throws LinuxException {
        return Processes.poll(new int[]{pidfd}, Processes.POLLIN, 0)[0] != 0;
    }

    private record Resolved(Path dir, boolean v2) {}

    private Resolved resolve(ContainerRef ref) throws IOException {
        String cgroup = ref.cgroup();
        if (cgroup != null) {
            Path p = Path.of(cgroup).normalize();
            if (mounts.unified() != null && p.startsWith(mounts.unified()) && Files.exists(p.resolve("cgroup.freeze"))) return new Resolved(p, true);
            if (mounts.freezer() != null && p.startsWith(mounts.freezer()) && Files.exists(p.resolve("freezer.state"))) return new Resolved(p, false);
            Resolved r = under(cgroup, cgroup);
            if (r != null) return r;
            throw new IOException("cgroup " + cgroup + " of container " + ref.containerId() + " has no cgroup.freeze or freezer.state");
        }
        String v2 = null, v1 = null;
        for (String line : Files.readAllLines(Path.of("/proc/" + ref.pid() + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) v2 = f[2];
            else if (List.of(f[1].split(",")).contains("freezer")) v1 = f[2];
        }
        return under(v2 == null || v2.equals("/") ? null : v2, v1 == null || v1.equals("/") ? null : v1);
    }

    private Resolved under(String v2Rel, String v1Rel) {
        if (v2Rel != null && mounts.unified() != null) {
            Path p = sub(mounts.unified(), v2Rel);
            if (p != null && Files.exists(p.resolve("cgroup.freeze"))) return new Resolved(p, true);
        }
        if (v1Rel != null && mounts.freezer() != null) {
            Path p = sub(mounts.freezer(), v1Rel);
            if (p != null && Files.exists(p.resolve("freezer.state"))) return new Resolved(p, false);
        }
        return null;
    }

    private static Path sub(Path mount, String rel) {
        Path p = mount.resolve(rel.startsWith("/") ? rel.substring(1) : rel).normalize();
        return p.startsWith(mount) && !p.equals(mount) ? p : null; // never the root cgroup, never outside the mount
    }

    private static void awaitState(Path file, String wanted) throws IOException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            String s = Files.readString(file);
            if (s.lines().anyMatch(l -> l.trim().equals(wanted))) return;
            if (System.nanoTime() > deadline) throw new IOException(file + " did not reach \"" + wanted + "\" within " + SETTLE);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while freezing", e);
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.write(file, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeQuietly(Path file, String value) {
        try {
            write(file, value);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "writing " + value + " to " + file + ": " + e.getMessage());
        }
    }
}
