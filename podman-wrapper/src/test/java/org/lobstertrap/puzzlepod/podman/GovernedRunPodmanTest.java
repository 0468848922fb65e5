package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code puzzle-podman run} end to end: a stand-in puzzled on a real private bus, real podman + runc
 * mounting the branch the stand-in created (kernel overlay), no hooks installed.
 */
@Tag("slow")
class GovernedRunPodmanTest {
    static final String IMAGE = "localhost/puzzlepod-test:latest";

    @TempDir Path dir;
    Path base;
    StandInBus bus;
    final String name = "puzzlepod-wrapper-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void imageIsThere() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("podman", "image", "exists", IMAGE).inheritIO().start();
        } catch (java.io.IOException e) {
            throw new AssertionError("podman is missing (apt-get install podman; .ci/setup-machine.sh does this)", e);
        }
        assertThat(p.waitFor()).as("the test image " + IMAGE + " is missing: .ci/setup-machine.sh builds it").isZero();
    }

    @BeforeEach
    void setUp() throws Exception {
        base = Files.createDirectories(dir.resolve("project"));
        Files.writeString(base.resolve("existing.txt"), "original\n");
        bus = StandInBus.start(dir, true);
    }

    @AfterEach
    void tearDown() throws Exception {
        bus.close();
        new ProcessBuilder("podman", "rm", "-f", "--ignore", name).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
    }

    private int run(List<String> answers, String... args) {
        List<String> all = new ArrayList<>(List.of("run", "--runtime-dir", bus.runtimeDir(), "--base", base.toString()));
        all.addAll(List.of(args));
        return bus.run(dir, List.of("podman"), answers, all);
    }

    @Test
    void committedRunWritesOnlyTheBranchAndReturnsTheContainersExitCode() throws Exception {
        int code = run(null, "--auto-commit", "--rm", "--name", name, IMAGE,
                "sh", "-c", "echo hi > /workspace/new.txt; echo changed > /workspace/existing.txt");
        assertThat(code).as(bus.err()).isZero();
        Path upper = bus.manager.upper("b1");
        assertThat(upper.resolve("new.txt")).hasContent("hi");
        assertThat(upper.resolve("existing.txt")).hasContent("changed");
        assertThat(base.resolve("existing.txt")).hasContent("original");
        assertThat(base.resolve("new.txt")).doesNotExist();
        assertThat(bus.manager.methods()).containsExactly("ShowProfile", "CreateBranch", "TriggerGovernance", "WaitBranch");
        assertThat(bus.manager.calls.get(1)).isEqualTo("CreateBranch standard " + base.toRealPath());
        assertThat(bus.manager.createOptions.get("b1").toString())
                .isEqualTo("{\"workspace\":\"/workspace\",\"on_exit\":\"commit\",\"require_clean_exit\":true,\"podman_seccomp\":true}");
        assertThat(bus.manager.events.get("b1").toString()).isEqualTo("{\"reason\":\"stopped\",\"exit_code\":0}");
        assertThat(bus.err()).contains("puzzle-podman: committed branch b1: 2 files, 9 bytes (2 changes)");
    }

    @Test
    void theProfilesLimitsBlockedNetworkAndAnnotationsReachTheContainer() throws Exception {
        int code = run(null, "--auto-commit", "--name", name, IMAGE, "sh", "-c", "ls /sys/class/net > /workspace/net");
        assertThat(code).as(bus.err()).isZero();
        assertThat(Files.readAllLines(bus.manager.upper("b1").resolve("net"))).containsExactly("lo");
        Process p = new ProcessBuilder("podman", "inspect", "--format",
                "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpuShares}} {{.HostConfig.NetworkMode}}"
                        + " {{index .Config.Annotations \"org.lobstertrap.puzzlepod.branch\"}}"
                        + " {{index .Config.Annotations \"org.lobstertrap.puzzlepod.profile\"}}"
                        + " {{index .Config.Annotations \"org.lobstertrap.puzzlepod.base\"}}"
                        + " {{index .Config.Annotations \"org.lobstertrap.puzzlepod.workspace\"}}", name)
                .redirectErrorStream(true).start();
        String inspect = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(inspect).isZero();
        assertThat(inspect).isEqualTo("268435456 64 512 none b1 standard " + base.toRealPath() + " /workspace");
    }

    @Test
    void aFailedContainerReportsItsExitCodeAndTheRollback() throws Exception {
        ObjectNode d = StandInManager.decision("rolled-back").put("reason", "the agent exited with 3 (require_clean_exit)");
        bus.manager.decision = d;
        int code = run(null, "--auto-commit", "--rm", "--name", name, IMAGE, "sh", "-c", "echo x > /workspace/y; exit 3");
        assertThat(bus.manager.events.get("b1").toString()).isEqualTo("{\"reason\":\"stopped\",\"exit_code\":3}");
        assertThat(code).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(bus.err()).contains("puzzle-podman: branch b1 rolled back: the agent exited with 3 (require_clean_exit)");
    }

    @Test
    void rejectedByPolicyPrintsEachViolation() throws Exception {
        ObjectNode d = StandInManager.decision("rejected");
        d.withArray("violations").addObject().put("rule", "sensitive_file").put("severity", "critical")
                .put("message", ".ssh/id_rsa must not be written");
        d.withArray("violations").addObject().put("rule", "persistence").put("severity", "high")
                .put("message", "etc/cron.d/backdoor");
        bus.manager.decision = d;
        int code = run(null, "--auto-commit", "--rm", "--name", name, IMAGE, "sh", "-c", "mkdir /workspace/.ssh; echo k > /workspace/.ssh/id_rsa");
        assertThat(code).isEqualTo(ExitCodes.REJECTED);
        assertThat(bus.err()).contains("puzzle-podman: rejected by policy; branch b1 rolled back",
                "  [critical] sensitive_file: .ssh/id_rsa must not be written",
                "  [high] persistence: etc/cron.d/backdoor");
        assertThat(base.resolve(".ssh")).doesNotExist();
    }

    @Test
    void autoRollbackAsksForARollback() throws Exception {
        bus.manager.decision = StandInManager.decision("rolled-back").put("reason", "on_exit=rollback");
        int code = run(null, "--auto-rollback", "--rm", "--name", name, IMAGE, "true");
        assertThat(code).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(bus.manager.createOptions.get("b1").toString()).isEqualTo("{\"workspace\":\"/workspace\",\"on_exit\":\"rollback\",\"podman_seccomp\":true}");
    }

    @Test
    void withoutATerminalOrFlagTheGateDecides() throws Exception {
        int code = run(null, "--rm", "--name", name, IMAGE, "sh", "-c", "exit 5");
        assertThat(code).as("committed: the container's code").isEqualTo(5);
        assertThat(bus.manager.createOptions.get("b1").path("on_exit").asText()).isEqualTo("commit");
        assertThat(bus.manager.createOptions.get("b1").has("require_clean_exit")).isFalse();
    }

    @Test
    void onATerminalThePersonInspectsAndCommits() throws Exception {
        int code = run(List.of("x", "i", "c"), "--rm", "--name", name, IMAGE, "sh", "-c", "echo hello > /workspace/a.txt");
        assertThat(code).as(bus.err()).isZero();
        assertThat(bus.manager.createOptions.get("b1").path("on_exit").asText()).isEqualTo("hold");
        assertThat(bus.manager.methods()).containsExactly("ShowProfile", "CreateBranch", "TriggerGovernance", "DiffBranch", "CommitBranch");
        assertThat(bus.err()).contains("the container exited with 0; branch b1: 1 change, 6 bytes: 1 Added",
                "answer c, r or i", "Added           a.txt  6 bytes", "committed branch b1");
    }

    @Test
    void onATerminalThePersonRollsBack() throws Exception {
        int code = run(List.of("r"), "--rm", "--name", name, IMAGE, "sh", "-c", "echo hello > /workspace/a.txt");
        assertThat(code).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(bus.manager.methods()).endsWith("DiffBranch", "RollbackBranch");
        assertThat(bus.manager.calls.getLast()).isEqualTo("RollbackBranch b1 rolled back by the user at the prompt");
    }

    @Test
    void detachedPrintsTheBranchAndDoesNotWait() throws Exception {
        int code = run(null, "-d", "--rm", "--name", name, IMAGE, "true");
        assertThat(code).as(bus.err()).isZero();
        assertThat(bus.err()).contains("puzzle-podman: branch b1 (profile standard, on exit: commit)", "puzzle-podman agent inspect b1");
        assertThat(bus.manager.methods()).containsExactly("ShowProfile", "CreateBranch");
    }

    @Test
    void unreachableDaemonMeansNoContainerAndNothingWritten() throws Exception {
        Path marker = dir.resolve("podman-ran");
        Path fakePodman = dir.resolve("podman");
        Files.writeString(fakePodman, "#!/bin/sh\ntouch " + marker + "\nexec podman \"$@\"\n");
        Files.setPosixFilePermissions(fakePodman, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (StandInBus empty = StandInBus.start(dir.resolve("nodaemon"), false)) {
            int code = empty.run(dir, List.of(fakePodman.toString()), null, List.of("run", "--auto-commit", "--runtime-dir", empty.runtimeDir(),
                    "--base", base.toString(), "--rm", "--name", name, IMAGE, "sh", "-c", "echo x > /workspace/z"));
            assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(empty.err()).contains("puzzled is not reachable on its hook socket " + empty.runtimeDir() + "/hook.sock", "the container was not started");
        }
        assertThat(marker).doesNotExist();
        assertThat(containerExists()).isFalse();
        try (var s = Files.list(base)) { assertThat(s.map(p -> p.getFileName().toString())).containsExactly("existing.txt"); }
    }

    @Test
    void refusalsStartNothingAndCreateNoBranch() throws Exception {
        for (String[] args : List.of(new String[] {"--privileged", IMAGE}, new String[] {"--pid", "host", IMAGE},
                new String[] {"--security-opt", "seccomp=unconfined", IMAGE}, new String[] {"-v", base + ":/b:ro", IMAGE},
                new String[] {"--no-such", IMAGE})) {
            bus.err.reset();
            List<String> all = new ArrayList<>(List.of("--name", name));
            all.addAll(List.of(args));
            all.add("true");
            assertThat(run(null, all.toArray(String[]::new))).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(bus.err()).startsWith("puzzle-podman: ").contains("See 'puzzle-podman run --help'.");
        }
        bus.err.reset();
        int code = bus.run(dir, List.of("podman"), null, List.of("run", "--runtime-dir", bus.runtimeDir(), "--base", dir.resolve("nope").toString(), IMAGE));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(bus.err()).contains("is not a directory");
        assertThat(bus.manager.calls).isEmpty();
        assertThat(containerExists()).isFalse();
    }

    @Test
    void anUnknownProfileLeavesNoBranch() throws Exception {
        int code = run(null, "--profile", "nope", "--rm", "--name", name, IMAGE, "true");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(bus.err()).contains("no profile nope");
        assertThat(bus.manager.methods()).containsExactly("ShowProfile");
    }

    @Test
    void sigtermToTheWrapperStopsTheContainerAndGovernanceStillHappens() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(javaExe.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                PuzzlePodman.class.getName(), "run", "--auto-commit", "--runtime-dir", bus.runtimeDir(), "--base", base.toString(),
                "--rm", "--name", name, IMAGE, "sh", "-c",
                "trap 'echo stopped > /workspace/stopped; exit 143' TERM; echo up > /workspace/started; while true; do sleep 0.1; done"));
        Path log = dir.resolve("wrapper.log");
        Process wrapper = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path started = dir.resolve("branches/b1/upper/started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(started) && wrapper.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(started).as(Files.exists(log) ? Files.readString(log) : "").exists();
            wrapper.destroy();  // SIGTERM to the wrapper only
            assertThat(wrapper.waitFor(60, TimeUnit.SECONDS)).as("the wrapper ends once the container stopped").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(wrapper.exitValue()).as(output).isEqualTo(143);
            assertThat(bus.manager.upper("b1").resolve("stopped")).hasContent("stopped");
            assertThat(bus.manager.events.get("b1").toString()).isEqualTo("{\"reason\":\"stopped\",\"exit_code\":143}");
            assertThat(bus.manager.methods()).endsWith("TriggerGovernance", "WaitBranch");
            assertThat(output).contains("committed branch b1");
        } finally {
            wrapper.destroyForcibly();
        }
        assertThat(containerExists()).isFalse();
    }

    private boolean containerExists() throws Exception {
        Process p = new ProcessBuilder("podman", "container", "exists", name).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }

    static String join(List<String> parts) { return String.join(File.pathSeparator, parts); }
}
