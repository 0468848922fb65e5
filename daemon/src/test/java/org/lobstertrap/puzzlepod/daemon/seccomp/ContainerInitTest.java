package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Identity of a container's init against real processes of this machine. */
class ContainerInitTest {
    /** The last component of a cgroup path of this JVM (any hierarchy): a name its children's cgroups carry, like a container id. */
    private static String ownCgroupName() throws Exception {
        String name = "";
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String path = line.substring(line.lastIndexOf(':') + 1);
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (last.length() > name.length()) name = last;
        }
        return name;
    }

    @Test
    void aProcessInTheContainersCgroupStartedAfterTheBranchIsItsInit() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            String name = ownCgroupName();
            assertThat(name).as("this test needs a named cgroup: " + Files.readString(Path.of("/proc/self/cgroup"))).isNotEmpty();
            Instant before = Instant.now().minus(Duration.ofMinutes(1));
            assertThat(ContainerInit.mismatch((int) p.pid(), name, before)).isNull();
            assertThat(ContainerInit.mismatch((int) p.pid(), "0123456789abcdef-not-this", before)).contains("is not in a cgroup of container");
            assertThat(ContainerInit.mismatch((int) p.pid(), name, Instant.now().plus(Duration.ofMinutes(5))))
                    .as("a process older than the branch cannot be the branch's container")
                    .contains("before its branch was made");
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aGoneProcessIsReportedAsGone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Thread.sleep(50);
        assertThat(ContainerInit.mismatch((int) p.pid(), "x", Instant.EPOCH)).startsWith("gone");
    }

    @Test
    void startTimesComeFromProcStat() throws Exception {
        Instant self = ContainerInit.startTime(Files.readString(Path.of("/proc/self/stat")));
        assertThat(self).isBefore(Instant.now().plusSeconds(2)).isAfter(Instant.now().minus(Duration.ofHours(2)));
    }
}
