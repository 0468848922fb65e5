package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.Annotations;
import org.lobstertrap.puzzlepod.client.hook.HookSocketLocation;
import org.lobstertrap.puzzlepod.daemon.seccomp.ContainerAdmission;
import org.lobstertrap.puzzlepod.daemon.seccomp.InitExitWatcher;
import org.lobstertrap.puzzlepod.daemon.seccomp.RuncSeccompMessage;
import org.lobstertrap.puzzlepod.daemon.seccomp.SeccompMessageException;

/**
 * The shipped hooks.d file on real podman 4.3.1 + runc: the hook runs as a real process from this build's
 * class path, against a stand-in puzzled behind the daemon's real hook socket ({@code PUZZLEPOD_RUNTIME_DIR}
 * in the hook's env), and the daemon's real seccomp listener admits each container (what puzzled's attach
 * does) and watches its init's exit.
 */
@Tag("slow")
class RealPodmanHookTest {
    static final String IMAGE = "localhost/puzzlepod-test:latest";

    @TempDir Path dir;
    Path runtimeDir;
    StandInManager daemon;
    Path base, upper, work, hooks, rules;
    final List<String> containers = new ArrayList<>();
    final org.lobstertrap.puzzlepod.daemon.seccomp.InMemoryDecisionSink decisions =
            new org.lobstertrap.puzzlepod.daemon.seccomp.InMemoryDecisionSink(10_000);
    org.lobstertrap.puzzlepod.daemon.seccomp.SeccompSupervisor supervisor;
    org.lobstertrap.puzzlepod.daemon.seccomp.SeccompListenerSocket listener;
    InitExitWatcher exits;
    /** What the listener's admission saw: the message, runc's uid and the init's command name at that moment. */
    record Admitted(RuncSeccompMessage message, int peerUid, String initComm) {}
    final List<Admitted> admitted = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> exited = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile boolean refuse;

    /** One podman run. */
    record Result(int status, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        Result image = exec(List.of("podman", "image", "exists", IMAGE));
        assertThat(image.status()).as("the test image " + IMAGE + " is missing (built by .ci/setup-machine.sh); " + image.err()).isZero();
        runtimeDir = dir.resolve("run");
        base = Files.createDirectories(dir.resolve("project"));
        Files.writeString(base.resolve("README"), "the project\n");
        upper = Files.createDirectories(dir.resolve("branch/upper"));
        work = Files.createDirectories(dir.resolve("branch/work"));
        hooks = installHooks(runtimeDir);
        // the daemon's containment side, real: a supervisor allowing everything, and a rules file granting everything
        supervisor = new org.lobstertrap.puzzlepod.daemon.seccomp.SeccompSupervisor(decisions, java.time.Clock.systemUTC());
        var allowAll = new org.lobstertrap.puzzlepod.daemon.seccomp.StandardSyscallPolicy(
                new org.lobstertrap.puzzlepod.daemon.seccomp.ExecRules(List.of(), List.of()),
                org.lobstertrap.puzzlepod.daemon.seccomp.NetworkMode.UNRESTRICTED, null);
        exits = new InitExitWatcher();
        ContainerAdmission admission = (RuncSeccompMessage m, int pidfd, int peerUid) -> {
            String comm;
            try {
                comm = Files.readString(Path.of("/proc", String.valueOf(m.pid()), "comm")).strip();
            } catch (IOException e) {
                comm = "unreadable: " + e;
            }
            admitted.add(new Admitted(m, peerUid, comm));
            if (refuse) throw new SeccompMessageException(SeccompMessageException.Code.NOT_ADMITTED, "refused by the test");
            try {
                exits.watch(pidfd, () -> exited.add(m.metadata()));
            } catch (org.lobstertrap.puzzlepod.core.linux.LinuxException e) {
                throw new IllegalStateException(e);
            }
        };
        listener = org.lobstertrap.puzzlepod.daemon.seccomp.SeccompListenerSocket.start(dir.resolve("seccomp.sock"), supervisor, c -> allowAll,
                PosixFilePermissions.fromString("rw-------"), admission);
        rules = Files.writeString(dir.resolve("branch.rules"), "version 1\nrequire landlock\nwrite /\ntcp-connect any\ntcp-bind any\n");
    }

    String branch(String id, String profile, String base) {
        return StandInManager.branchJson(id, profile, base, "ready", upper.toString(), work.toString(), "kernel", rules.toString(),
                listener.path().toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String name : containers) exec(List.of("podman", "rm", "-f", "--ignore", name));
        if (daemon != null) daemon.close();
        if (listener != null) listener.close();
        if (exits != null) exits.close();
        if (supervisor != null) supervisor.close();
    }

    @Test
    void aGovernedContainerIsAttachedBeforeItsFirstExecAndItsExitIsSeen() throws Exception {
        daemon = StandInManager.serve(runtimeDir);
        daemon.create = args -> branch("real-1", args.get(0), args.get(1));
        Result r = podmanRun("echo hi > /workspace/new && cat /workspace/README");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("the project\n");

        assertThat(upper.resolve("new")).hasContent("hi");
        assertThat(base.resolve("new")).doesNotExist();
        try (var files = Files.list(base)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("README");
        }
        assertThat(base.resolve("README")).hasContent("the project");

        assertThat(daemon.calls("CreateBranch")).singleElement()
                .satisfies(c -> assertThat(c.args().subList(0, 2)).containsExactly("standard", base.toRealPath().toString()));
        assertThat(admitted).singleElement().satisfies(a -> {
            assertThat(a.message().metadata()).isEqualTo("real-1");
            assertThat(a.message().pid()).isPositive();
            assertThat(a.message().containerId()).matches("[0-9a-f]{64}");
            assertThat(a.message().bundle()).contains(a.message().containerId());
            assertThat(a.message().annotations()).containsEntry(Annotations.BRANCH, "real-1");
            assertThat(a.peerUid()).isZero();
            // still runc's init: the container's first execve waits until the admission is done
            assertThat(a.initComm()).startsWith("runc");
        });
        awaitExit("real-1");
        assertThat(exited).containsExactly("real-1");
        // the agent ran under puzzle-init and its exec went through the supervisor
        assertThat(decisions.decisions()).anySatisfy(d -> {
            assertThat(d.branchId()).isEqualTo("real-1");
            assertThat(d.syscall()).isEqualTo("execve");
            assertThat(d.subject()).contains("sh");
            assertThat(d.allowed()).isTrue();
        });
    }

    @Test
    void theWrappersBranchOnAnOverlayVolumeIsReusedAndTheTriggerAnnotationReachesTheDaemon() throws Exception {
        daemon = StandInManager.serve(runtimeDir);
        daemon.branches = Map.of("wrap-1", branch("wrap-1", "standard", base.toRealPath().toString()));
        Result r = podmanRun("echo hi > /workspace/new", List.of("--annotation", Annotations.BRANCH + "=wrap-1",
                        "--annotation", Annotations.TRIGGER + "=" + Annotations.TRIGGER_WRAPPER),
                base + ":/workspace:O,upperdir=" + upper + ",workdir=" + work);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(upper.resolve("new")).hasContent("hi");
        assertThat(base.resolve("new")).doesNotExist();
        assertThat(daemon.calls("CreateBranch")).isEmpty();
        assertThat(daemon.calls("InspectBranch")).hasSize(1);
        assertThat(admitted).singleElement().satisfies(a -> {
            assertThat(a.message().metadata()).isEqualTo("wrap-1");
            assertThat(a.message().annotations()).containsEntry(Annotations.TRIGGER, Annotations.TRIGGER_WRAPPER);
        });
    }

    @Test
    void aContainerTheDaemonDoesNotAdmitNeverRunsItsCommand() throws Exception {
        daemon = StandInManager.serve(runtimeDir);
        daemon.create = args -> branch("refused-1", args.get(0), args.get(1));
        refuse = true;
        Result r = podmanRun("echo hi > /workspace/new");
        assertThat(r.status()).as(r.out()).isNotZero();
        assertThat(admitted).hasSize(1);
        assertThat(upper.resolve("new")).doesNotExist();
        assertThat(base.resolve("new")).doesNotExist();
        assertThat(decisions.decisions()).noneSatisfy(d -> assertThat(d.allowed()).isTrue());
    }

    @Test
    void withoutTheDaemonTheContainerDoesNotStartAndThePersonSeesWhy() throws Exception {
        Result r = podmanRun("echo hi > /workspace/new");
        assertThat(r.status()).as(r.out()).isNotZero();
        assertThat(r.err()).contains("puzzle-hook: puzzled is not reachable on its hook socket " + runtimeDir.resolve("hook.sock"))
                .contains("refusing to start an ungoverned container");
        assertThat(upper.resolve("new")).doesNotExist();
        assertThat(base.resolve("new")).doesNotExist();
        assertThat(admitted).isEmpty();
    }

    private void awaitExit(String branch) throws InterruptedException {
        // `run --rm` returns once the container is gone; the watcher's poll thread may be a moment behind
        for (int i = 0; i < 100 && !exited.contains(branch); i++) Thread.sleep(50);
    }

    private Result podmanRun(String script) throws Exception {
        return podmanRun(script, List.of(), base + ":/workspace");
    }

    private Result podmanRun(String script, List<String> options, String volume) throws Exception {
        String name = "puzzle-hook-test-" + ProcessHandle.current().pid() + "-" + containers.size();
        containers.add(name);
        List<String> command = new ArrayList<>(List.of("podman", "--hooks-dir", hooks.toString(), "run", "--rm", "--name", name,
                "--annotation", Annotations.PROFILE + "=standard", "-v", volume));
        command.addAll(options);
        command.addAll(List.of(IMAGE, "sh", "-c", script));
        return exec(command);
    }

    /** The shipped hook file, pointed at a script that runs this build's hook with the test's runtime dir. */
    private Path installHooks(Path runtimeDir) throws Exception {
        Path hooksDir = Files.createDirectories(dir.resolve("hooks.d"));
        Path script = dir.resolve("puzzle-hook");
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new IOException("cannot tell this JVM's java binary"));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Files.writeString(script, "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
                + "--enable-native-access=ALL-UNNAMED -cp '" + classPath + "' org.lobstertrap.puzzlepod.hook.PuzzleHook \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String file : HooksDirTest.STAGE_OF_FILE.keySet()) {
            ObjectNode hook = (ObjectNode) HookJson.readObject(HooksDirTest.hooksDir().resolve(file), file);
            ObjectNode h = (ObjectNode) hook.get("hook");
            h.put("path", script.toString());
            h.withArray("env").add(HookSocketLocation.RUNTIME_DIR_VARIABLE + "=" + runtimeDir);
            Path shim = Path.of("..", "init-shim", "target", "puzzle-init").toAbsolutePath().normalize();
            assertThat(shim).as("this build's puzzle-init (the init-shim module)").isExecutable();
            h.withArray("env").add(InitShimExtension.SHIM_VARIABLE + "=" + shim);
            Files.writeString(hooksDir.resolve(file), HookJson.write(hook));
        }
        return hooksDir;
    }

    private static Result exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var errText = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try { return new String(err.readAllBytes(), StandardCharsets.UTF_8); } catch (IOException e) { return e.toString(); }
        });
        String outText = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), outText, errText.get());
    }
}
