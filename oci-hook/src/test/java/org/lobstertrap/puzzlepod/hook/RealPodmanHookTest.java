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
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/**
 * The shipped hooks.d files on real podman 4.3.1 + runc: the hook runs as a real process from this build's
 * class path, against a stand-in puzzled on a private bus ({@code PUZZLEPOD_BUS} in the hook's env).
 */
@Tag("slow")
class RealPodmanHookTest {
    static final String IMAGE = "localhost/puzzlepod-test:latest";

    @TempDir Path dir;
    DbusDaemon bus;
    StandInManager daemon;
    Path base, upper, work, hooks, rules;
    final List<String> containers = new ArrayList<>();
    final org.lobstertrap.puzzlepod.daemon.seccomp.InMemoryDecisionSink decisions =
            new org.lobstertrap.puzzlepod.daemon.seccomp.InMemoryDecisionSink(10_000);
    org.lobstertrap.puzzlepod.daemon.seccomp.SeccompSupervisor supervisor;
    org.lobstertrap.puzzlepod.daemon.seccomp.SeccompListenerSocket listener;

    /** One podman run. */
    record Result(int status, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        Result image = exec(List.of("podman", "image", "exists", IMAGE));
        assertThat(image.status()).as("the test image " + IMAGE + " is missing (built by .ci/setup-machine.sh); " + image.err()).isZero();
        bus = DbusDaemon.startSession(dir.resolve("bus"), false);
        base = Files.createDirectories(dir.resolve("project"));
        Files.writeString(base.resolve("README"), "the project\n");
        upper = Files.createDirectories(dir.resolve("branch/upper"));
        work = Files.createDirectories(dir.resolve("branch/work"));
        hooks = installHooks(bus.address());
        // the daemon's containment side, real: a supervisor allowing everything, and a rules file granting everything
        supervisor = new org.lobstertrap.puzzlepod.daemon.seccomp.SeccompSupervisor(decisions, java.time.Clock.systemUTC());
        var allowAll = new org.lobstertrap.puzzlepod.daemon.seccomp.StandardSyscallPolicy(
                new org.lobstertrap.puzzlepod.daemon.seccomp.ExecRules(List.of(), List.of()),
                org.lobstertrap.puzzlepod.daemon.seccomp.NetworkMode.UNRESTRICTED, null);
        listener = org.lobstertrap.puzzlepod.daemon.seccomp.SeccompListenerSocket.start(dir.resolve("seccomp.sock"), supervisor, c -> allowAll);
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
        if (bus != null) bus.close();
        if (listener != null) listener.close();
        if (supervisor != null) supervisor.close();
    }

    @Test
    void aGovernedContainerWritesIntoItsBranchAndTheDaemonHearsEveryStage() throws Exception {
        daemon = StandInManager.export(bus.address());
        daemon.create = args -> {
            String b = branch("real-1", args.get(0), args.get(1));
            daemon.branches = Map.of("real-1", b);
            return b;
        };
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
        assertThat(daemon.calls("AttachGovernance")).singleElement().satisfies(c -> {
            assertThat(c.args().get(0)).isEqualTo("real-1");
            JsonNode a = HookJson.parseObject(c.args().get(1).getBytes(StandardCharsets.UTF_8), "attach");
            assertThat(a.get("pid").asLong()).isPositive();
            String id = a.get("container_id").asText();
            assertThat(id).matches("[0-9a-f]{64}");
            assertThat(a.get("cgroup").asText()).contains(id);
            assertThat(a.get("bundle").asText()).contains(id);
        });
        awaitTrigger();
        assertThat(daemon.calls("TriggerGovernance")).singleElement()
                .satisfies(c -> assertThat(c.args()).containsExactly("real-1", "{\"reason\":\"stopped\"}"));
        // the agent ran under puzzle-init and its exec went through the supervisor
        assertThat(decisions.decisions()).anySatisfy(d -> {
            assertThat(d.branchId()).isEqualTo("real-1");
            assertThat(d.syscall()).isEqualTo("execve");
            assertThat(d.subject()).contains("sh");
            assertThat(d.allowed()).isTrue();
        });
    }

    @Test
    void theWrappersBranchOnAnOverlayVolumeIsReusedAndPoststopReadsItFromTheState() throws Exception {
        daemon = StandInManager.export(bus.address());
        daemon.branches = Map.of("wrap-1", branch("wrap-1", "standard", base.toRealPath().toString()));
        Result r = podmanRun("echo hi > /workspace/new", List.of("--annotation", Annotations.BRANCH + "=wrap-1"),
                base + ":/workspace:O,upperdir=" + upper + ",workdir=" + work);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(upper.resolve("new")).hasContent("hi");
        assertThat(base.resolve("new")).doesNotExist();
        assertThat(daemon.calls("CreateBranch")).isEmpty();
        assertThat(daemon.calls("InspectBranch")).hasSize(1);
        assertThat(daemon.calls("AttachGovernance")).singleElement().satisfies(c -> assertThat(c.args().get(0)).isEqualTo("wrap-1"));
        awaitTrigger();
        assertThat(daemon.calls("TriggerGovernance")).singleElement().satisfies(c -> assertThat(c.args().get(0)).isEqualTo("wrap-1"));
    }

    @Test
    void withoutTheDaemonTheContainerDoesNotStartAndThePersonSeesWhy() throws Exception {
        Result r = podmanRun("echo hi > /workspace/new");
        assertThat(r.status()).as(r.out()).isNotZero();
        assertThat(r.err()).contains("puzzle-hook: puzzled is not reachable on the bus at unix:path=")
                .contains("refusing to start an ungoverned container");
        assertThat(upper.resolve("new")).doesNotExist();
        assertThat(base.resolve("new")).doesNotExist();
    }

    private void awaitTrigger() throws InterruptedException {
        // podman runs poststop while cleaning up; `run --rm` normally waits for it, but give it a moment
        for (int i = 0; i < 100 && daemon.calls("TriggerGovernance").isEmpty(); i++) Thread.sleep(100);
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

    /** The shipped hook files, pointed at a script that runs this build's hook with the test's bus. */
    private Path installHooks(String busAddress) throws Exception {
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
            h.withArray("env").add(HookEnvironment.BUS_VARIABLE + "=" + busAddress);
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
