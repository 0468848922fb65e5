package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** posix_spawn children of the calling thread, on the real kernel. */
class SpawnTest {
    private static final String SH = "/bin/sh";

    private static Spawn.Outcome sh(String script, String input) throws LinuxException {
        return Spawn.run(SH, List.of("sh", "-c", script), Map.of("PATH", "/usr/bin:/bin", "GREETING", "hi"),
                input.getBytes(StandardCharsets.UTF_8), 10_000, 1 << 20);
    }

    @Test
    void feedsStdinCollectsStdoutAndStderrAndReportsTheExitStatus() throws Exception {
        Spawn.Outcome o = sh("tr a-z A-Z; echo \"$GREETING\" >&2; exit 3", "ruleset\n");
        assertThat(o.exitStatus()).isEqualTo(3);
        assertThat(new String(o.output(), StandardCharsets.UTF_8)).isEqualTo("RULESET\nhi\n");
    }

    @Test
    void aSignalledChildReports128PlusTheSignal() throws Exception {
        assertThat(sh("kill -9 $$", "").exitStatus()).isEqualTo(128 + 9);
    }

    @Test
    void aChildThatIgnoresItsInputStillGetsItsStatusReported() throws Exception {
        // more than a pipe holds, to a child that never reads: the write fails (EPIPE) or blocks until it exits
        Spawn.Outcome o = sh("exit 0", "x".repeat(64).repeat(256));
        assertThat(o.exitStatus()).isZero();
    }

    @Test
    void inheritsNoDescriptorOfThisProcessBeyondItsStandardOnes() throws Exception {
        Spawn.Outcome o = sh("ls /proc/self/fd", "");
        assertThat(Set.of(new String(o.output(), StandardCharsets.UTF_8).trim().split("\\s+"))).containsOnly("0", "1", "2", "3");
        // 3 is the directory ls itself has open while listing
    }

    @Test
    void aMissingProgramIsENOENT() {
        assertThatThrownBy(() -> Spawn.run("/nonexistent/nft", List.of("nft"), Map.of(), new byte[0], 1_000, 100))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void aCommandOverItsTimeIsKilledAndReported() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Spawn.run(SH, List.of("sh", "-c", "exec sleep 30"), Map.of(), new byte[0], 300, 100))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT));
        assertThat((System.nanoTime() - start) / 1_000_000).as("not waiting for the sleep").isLessThan(25_000);
    }

    @Test
    void aChildThatNeitherReadsNorExitsTimesOutEvenWithMoreInputThanAPipeHolds() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Spawn.run(SH, List.of("sh", "-c", "exec sleep 30"), Map.of(), new byte[1 << 20], 300, 100))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT));
        assertThat((System.nanoTime() - start) / 1_000_000).as("not waiting for the sleep").isLessThan(25_000);
    }

    @Test
    void outputBeyondTheLimitIsDropped() throws Exception {
        Spawn.Outcome o = Spawn.run(SH, List.of("sh", "-c", "yes | head -c 100000"), Map.of("PATH", "/usr/bin:/bin"), new byte[0],
                10_000, 1000);
        assertThat(o.exitStatus()).isZero();
        assertThat(o.output()).hasSize(1000);
    }

    @Test
    void theChildIsInTheNetworkNamespaceOfTheThreadThatStartedIt() throws Exception {
        String ns = "puzzlepod-spawn-" + ProcessHandle.current().pid();
        run("ip", "netns", "add", ns);
        try {
            String inode = Long.toString((Long) Files.getAttribute(Path.of("/run/netns", ns), "unix:ino"));
            String own = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            AtomicReference<Object> seen = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    int fd = FileSyscalls.linux().open(("/run/netns/" + ns).getBytes(StandardCharsets.UTF_8),
                            FileSyscalls.O_RDONLY | FileSyscalls.O_CLOEXEC, 0);
                    Processes.setns(fd, Processes.CLONE_NEWNET);
                    FileSyscalls.linux().close(fd);
                    seen.set(new String(sh("readlink /proc/self/ns/net", "").output(), StandardCharsets.UTF_8).trim());
                } catch (Exception e) {
                    seen.set(e);
                }
            });
            t.join();
            assertThat(seen.get()).as("the child's netns (expected net:[%s], not this process's %s)", inode, own)
                    .isEqualTo("net:[" + inode + "]");
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString()).as("this thread stayed").isEqualTo(own);
        } finally {
            run("ip", "netns", "delete", ns);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
}
