package org.lobstertrap.puzzlepod.daemon.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A real process in a fresh cgroup is frozen, then killed through its pidfd; cgroup v2 and the v1 freezer. */
class QuiescerTest {
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> cgroups = new ArrayList<>();

    @AfterEach void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (Path cg : cgroups) {
            for (int i = 0; i < 100 && Files.exists(cg); i++) {
                try {
                    Files.delete(cg);
                } catch (IOException e) {
                    Thread.sleep(50); // the killed task leaves the cgroup asynchronously
                }
            }
        }
    }

    private Process sleeper() throws IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        processes.add(p);
        return p;
    }

    private Path freshCgroup(Path mount) throws IOException {
        Path cg = mount.resolve("puzzlepod-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(cg);
        cgroups.add(cg);
        return cg;
    }

    private static String procState(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) if (l.startsWith("State:")) return l;
        return "";
    }

    @Test void cgroupV2ProcessIsFrozenThenKilled() throws Exception {
        Quiescer q = Quiescer.onLinux();
        if (q.mounts().unified() == null) fail("no cgroup2 mount on this machine (needed to test cgroup.freeze)");
        Path cg = freshCgroup(q.mounts().unified());
        assertThat(cg.resolve("cgroup.freeze")).as("cgroup v2 freezer").exists();
        Process p = sleeper();
        Files.writeString(cg.resolve("cgroup.procs"), Long.toString(p.pid()));
        String rel = "/" + q.mounts().unified().relativize(cg);
        try (Quiescer.Quiesced frozen = q.freeze(new ContainerRef("c1", (int) p.pid(), rel, null))) {
            assertThat(frozen.wasRunning()).isTrue();
            assertThat(frozen.cgroup()).isEqualTo(cg);
            assertThat(Files.readString(cg.resolve("cgroup.events"))).contains("frozen 1");
            assertThat(p.isAlive()).isTrue();
            frozen.kill();
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    @Test void v1FreezerFoundFromProcCgroupFreezesThenKills() throws Exception {
        Quiescer q = Quiescer.onLinux();
        if (q.mounts().freezer() == null && q.mounts().unified() == null) fail("no cgroup freezer of either version on this machine");
        Path mount = q.mounts().freezer() != null ? q.mounts().freezer() : q.mounts().unified();
        Path cg = freshCgroup(mount);
        Process p = sleeper();
        Files.writeString(cg.resolve("cgroup.procs"), Long.toString(p.pid()));
        try (Quiescer.Quiesced frozen = q.freeze(new ContainerRef("c2", (int) p.pid(), null, null))) {
            assertThat(frozen.cgroup()).as("cgroup read from /proc/PID/cgroup").isNotNull();
            if (q.mounts().freezer() != null) {
                assertThat(Files.readString(cg.resolve("freezer.state")).trim()).isEqualTo("FROZEN");
                assertThat(procState(p.pid())).as("frozen tasks sleep in the freezer").doesNotContain("R (running)");
            }
            frozen.kill();
        }
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    @Test void aPidOutsideTheContainersCgroupIsNeverSignalled() throws Exception {
        Quiescer q = Quiescer.onLinux();
        if (q.mounts().unified() == null) fail("no cgroup2 mount on this machine (needed to test cgroup.kill)");
        Path cg = freshCgroup(q.mounts().unified());
        Process inside = sleeper(), bystander = sleeper();
        Files.writeString(cg.resolve("cgroup.procs"), Long.toString(inside.pid()));
        String rel = "/" + q.mounts().unified().relativize(cg);
        // a stale or wrong pid (e.g. reused) must not be killed: the cgroup is what is frozen and ended
        try (Quiescer.Quiesced frozen = q.freeze(new ContainerRef("c3", (int) bystander.pid(), rel, null))) {
            assertThat(Files.readString(cg.resolve("cgroup.events"))).contains("frozen 1");
            frozen.kill();
        }
        assertThat(inside.waitFor(10, TimeUnit.SECONDS)).as("the container's process was killed").isTrue();
        assertThat(bystander.isAlive()).as("the pid outside the cgroup was left alone").isTrue();
    }

    /** Rootless podman on cgroups v1: no freezer to write, but the container has its own PID namespace. */
    @Test void withoutAFreezerTheInitOfAPidNamespaceIsEndedWithEveryProcessInIt() throws Exception {
        Process unshare = new ProcessBuilder("unshare", "--pid", "--fork", "--kill-child", "sh", "-c", "sleep 600 & exec sleep 601").start();
        processes.add(unshare);
        ProcessHandle init = null;
        for (int i = 0; i < 200 && init == null; i++) {
            init = unshare.toHandle().children().findFirst().orElse(null);
            if (init == null) Thread.sleep(10);
        }
        assertThat(init).as("the namespace's init").isNotNull();
        ProcessHandle member = null;
        for (int i = 0; i < 200 && member == null; i++) {
            member = init.children().findFirst().orElse(null);
            if (member == null) Thread.sleep(10);
        }
        assertThat(member).as("a second process in the namespace").isNotNull();
        assertThat(Quiescer.pidNamespaceInit((int) init.pid())).isTrue();
        assertThat(Quiescer.pidNamespaceInit((int) ProcessHandle.current().pid())).isFalse();

        Quiescer q = new Quiescer(new Quiescer.CgroupMounts(null, null));
        try (Quiescer.Quiesced quiesced = q.freeze(new ContainerRef("ns", (int) init.pid(), null, null))) {
            assertThat(quiesced.wasRunning()).isTrue();
            assertThat(quiesced.ended()).as("ended rather than frozen").isTrue();
            quiesced.thaw(); // cannot bring it back; no error
            quiesced.kill(); // already done
        }
        assertThat(init.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(member.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("the other process of the namespace").isFalse();
    }

    @Test void aStoppedProcessNeedsNothing() throws Exception {
        Process p = sleeper();
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        try (Quiescer.Quiesced q = Quiescer.onLinux().freeze(new ContainerRef("gone", (int) p.pid(), null, null))) {
            assertThat(q.wasRunning()).isFalse();
            q.kill(); // nothing to do, no error
        }
    }
}
