package org.lobstertrap.puzzlepod.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * The kernel containment every governed container gets, on real podman + runc with the real puzzled
 * ({@link GovernedStack}) under the shipped {@code standard} profile: puzzle-init's Landlock rules (reads
 * outside the read allowlist and writes outside the workspace and /tmp fail with EACCES), puzzled's seccomp
 * supervisor (a denylisted program fails with EPERM, by name or by path, and the decision is audited), the
 * agent's ordinary work still commits, without puzzled's listener (or without a seccomp profile) no governed
 * container starts, when puzzled stops, a running container's execs fail with ENOSYS, and a restarted puzzled
 * kills the containers it cannot supervise.
 */
@Tag("slow")
class KernelContainmentTest {
    @TempDir Path dir;
    GovernedStack stack;
    Path base, secrets, outside;

    @BeforeEach
    void setUp() throws Exception {
        stack = GovernedStack.start(dir);
        base = Files.createDirectories(dir.resolve("project"));
        Files.writeString(base.resolve("README.md"), "the project\n");
        secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("token"), "s3cr3t\n");
        outside = Files.createDirectories(dir.resolve("outside"));
    }

    @AfterEach
    void tearDown() {
        if (stack != null) stack.close();
    }

    /** One line per probe: NAME=EXIT, with the command's error text on the line before it. */
    static final String PROBES = String.join("; ",
            "cat /secrets/token 2>&1; echo read=$?",
            "(echo x > /outside/evil) 2>&1; echo write-outside=$?",
            "(echo x > /etc/evil) 2>&1; echo write-etc=$?",
            "cp /bin/busybox /tmp/nsenter; /tmp/nsenter true 2>&1; echo exec-copy=$?",
            "/bin/mount 2>&1; echo exec-path=$?",
            "PATH=/tmp:$PATH nsenter true 2>&1; echo exec-name=$?",
            "cp /bin/busybox /workspace/mount && /workspace/mount 2>&1; echo exec-workspace=$?; rm -f /workspace/mount",
            "echo fine > /tmp/t && cat /tmp/t >/dev/null; echo tmp=$?",
            "printf 'done\\n' > /workspace/result.txt; echo work=$?");

    @Test
    void landlockAndTheSeccompSupervisorContainTheAgentAndItsWorkStillCommits() throws Exception {
        List<String> args = new ArrayList<>(List.of("--profile", "standard", "--base", base.toString(), "--auto-commit",
                "--rm", "--name", stack.containerName(), "-v", secrets + ":/secrets:ro", "-v", outside + ":/outside",
                GovernedStack.IMAGE, "sh", "-c", PROBES));
        GovernedStack.Result r = stack.puzzlePodmanRun(args);
        assertThat(r.status()).as(r.both()).isZero();
        String out = r.out();
        // Landlock: the files are there and mounted for the agent, but outside its allowlists
        assertThat(out).as(r.both()).contains("read=1").doesNotContain("s3cr3t");
        assertThat(out).contains("write-outside=").doesNotContain("write-outside=0");
        assertThat(out).doesNotContain("write-etc=0");
        assertThat(out).containsPattern("(?s)/secrets/token'?: Permission denied.*read=1");
        assertThat(out).containsPattern("(?s)can't create /outside/evil: Permission denied.*write-outside=");
        // seccomp: EPERM for the denylisted names, whatever the file is called by
        assertThat(out).containsPattern("(?s)/tmp/nsenter: Operation not permitted.*exec-copy=12[67]");
        assertThat(out).containsPattern("(?s)/bin/mount: Operation not permitted.*exec-path=12[67]");
        assertThat(out).containsPattern("exec-name=12[67]");
        assertThat(out).containsPattern("(?s)/workspace/mount: Operation not permitted.*exec-workspace=12[67]");
        assertThat(out).contains("tmp=0", "work=0");
        assertThat(outside).isEmptyDirectory();

        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("committed");
        assertThat(base.resolve("result.txt")).hasContent("done");
        String id = branch.path("id").asText();
        List<JsonNode> decisions = stack.auditEvents(id, "seccomp.decision");
        assertThat(decisions).as("seccomp decisions of branch " + id).anySatisfy(e -> {
            assertThat(e.path("data").path("allowed").asBoolean()).isFalse();
            assertThat(e.path("data").path("syscall").asText()).isEqualTo("execve");
            assertThat(e.path("data").path("subject").asText()).contains("/tmp/nsenter");
            assertThat(e.path("data").path("reason").asText()).contains("nsenter");
        }).anySatisfy(e -> {
            assertThat(e.path("data").path("allowed").asBoolean()).isFalse();
            assertThat(e.path("data").path("subject").asText()).contains("/bin/mount");
        }).anySatisfy(e -> assertThat(e.path("data").path("allowed").asBoolean()).isTrue());
        JsonNode status = stack.call(c -> c.status());
        assertThat(status.path("seccomp_listener").asText()).isEqualTo(stack.runtimeDir().resolve("seccomp.sock").toString());
    }

    @Test
    void aGatedContainerReachesOnlyTheProxyFromItsFirstInstruction() throws Exception {
        // the agent's very first instruction is a request: a 403 from the allowlisting proxy proves the steering
        // rules were in its network namespace already (without them it would go out directly and find no route)
        GovernedStack.Result r = stack.podman(List.of("run", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace", GovernedStack.IMAGE,
                "sh", "-c", "wget -q -O- --header 'Host: evil.example.com' http://93.184.216.34/"));
        assertThat(r.status()).as(r.both()).isNotZero();
        assertThat(r.both()).contains("403 Forbidden");
        String branch = stack.onlyBranchOf(base).path("id").asText();
        List<JsonNode> attached = stack.auditEvents(branch, "branch.attached");
        assertThat(attached).as("attached once").hasSize(1);
        assertThat(attached.getFirst().path("data").path("network").asText()).as(attached.toString()).isNotEqualTo("not enforced");
        long attachedAt = attached.getFirst().path("seq").asLong();
        List<JsonNode> decisions = stack.auditEvents(branch, "seccomp.decision");
        assertThat(decisions).as("the container's execs were supervised").isNotEmpty();
        assertThat(decisions).as("every supervised call comes after the attachment (network rules in place)")
                .allSatisfy(d -> assertThat(d.path("seq").asLong()).isGreaterThan(attachedAt));
        assertThat(stack.auditEvents(branch, "network.decision")).anySatisfy(d ->
                assertThat(d.path("data").path("host").asText()).isEqualTo("evil.example.com"));
    }

    @Test
    void withoutPuzzledsSeccompListenerNoGovernedContainerStarts() throws Exception {
        Path marker = Files.createDirectories(dir.resolve("marker"));
        Path socket = stack.runtimeDir().resolve("seccomp.sock");
        assertThat(socket).as("puzzled's listener").exists();
        Files.delete(socket); // puzzled is up, but nothing listens where the spec says
        GovernedStack.Result r = stack.podman(List.of("run", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace", "-v", marker + ":/marker",
                GovernedStack.IMAGE, "sh", "-c", "printf ran > /workspace/ran"));
        assertThat(r.status()).as(r.both()).isNotZero();
        assertThat(r.err()).as(r.both()).contains("seccomp");
        assertThat(base.resolve("ran")).doesNotExist();
        assertThat(TreeSnapshot.fileContents(base)).isEqualTo(Map.of("README.md", "the project\n"));
    }

    @Test
    void whenPuzzledStopsARunningContainersExecsFailWithEnosys() throws Exception {
        Path control = Files.createDirectories(dir.resolve("control"));
        String script = "echo up > /workspace/started; while [ ! -e /control/go ]; do sleep 0.1; done; /bin/true 2>/workspace/err; "
                + "echo $? > /workspace/result";
        GovernedStack.Result r = stack.podman(List.of("run", "-d", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace", "-v", control + ":/control:ro",
                GovernedStack.IMAGE, "sh", "-c", script));
        assertThat(r.status()).as(r.both()).isZero();
        JsonNode branch = activeBranchOf(base);
        Path upper = Path.of(branch.path("upper").asText());
        // the agent must be running first: stopped earlier, puzzle-init's own exec of the agent gets ENOSYS
        for (int i = 0; i < 600 && !Files.exists(upper.resolve("started")); i++) Thread.sleep(100);
        assertThat(upper.resolve("started")).as("the agent started").exists();

        stack.stopPuzzled(); // the supervisor closes every notify fd
        Files.writeString(control.resolve("go"), "");
        Path result = upper.resolve("result");
        for (int i = 0; i < 900 && !Files.exists(result); i++) Thread.sleep(100);
        if (!Files.exists(result)) {
            // say what became of the container (a loaded machine is slow, but not this slow)
            GovernedStack.Result ps = stack.podman(List.of("ps", "-a", "--filter", "name=" + stack.containerName()));
            GovernedStack.Result logs = stack.podman(List.of("logs", stack.containerName()));
            throw new AssertionError("the container did not write its result within 90 s after puzzled stopped\n"
                    + ps.both() + "\n" + logs.both() + "\nupper: " + listing(upper) + "\npuzzled:\n" + stack.puzzledStderr());
        }
        assertThat(Files.readString(result).strip()).isNotEqualTo("0");
        assertThat(Files.readString(upper.resolve("err"))).contains("Function not implemented");
        assertThat(base.resolve("result")).doesNotExist();
    }

    @Test
    void aRestartedPuzzledKillsTheContainerItCannotSuperviseAndHoldsItsBranchAsFailed() throws Exception {
        GovernedStack.Result r = stack.podman(List.of("run", "-d", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace",
                GovernedStack.IMAGE, "sh", "-c", "echo partial > /workspace/partial.txt; exec sleep 600"));
        assertThat(r.status()).as(r.both()).isZero();
        JsonNode branch = activeBranchOf(base);
        String id = branch.path("id").asText();
        long pid = branch.path("pid").asLong();
        assertThat(pid).as(branch.toString()).isPositive();
        Path upper = Path.of(branch.path("upper").asText());
        for (int i = 0; i < 300 && !Files.exists(upper.resolve("partial.txt")); i++) Thread.sleep(100);
        assertThat(upper.resolve("partial.txt")).as("the agent ran").exists();
        ProcessHandle init = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("container init " + pid + " is not running"));

        stack.stopPuzzled(); // its notify fd is gone with it: the container now runs unsupervised
        assertThat(init.isAlive()).as("puzzled's stop alone does not end the container").isTrue();
        stack.restartPuzzled();

        // the restarted daemon killed it before it was ready
        for (int i = 0; i < 300 && init.isAlive(); i++) Thread.sleep(100);
        assertThat(init.isAlive()).as("the orphaned container's init " + pid + " is killed\n" + stack.puzzledStderr()).isFalse();
        JsonNode after = stack.call(c -> c.inspectBranch(id));
        assertThat(after.path("state").asText()).as(after.toString()).isEqualTo("failed");
        assertThat(after.path("failure_reason").asText()).contains("orphaned").contains(branch.path("container_id").asText());
        assertThat(after.path("on_exit").asText()).as("the stop that follows decides nothing").isEqualTo("hold");
        assertThat(upper.resolve("partial.txt")).as("the agent's work is kept for a person").hasContent("partial");
        List<JsonNode> orphaned = stack.auditEvents(id, "container.orphaned");
        assertThat(orphaned).as("container.orphaned records of " + id).singleElement().satisfies(e -> {
            assertThat(e.path("data").path("killed").asBoolean()).isTrue();
            assertThat(e.path("data").path("pid").asLong()).isEqualTo(pid);
            assertThat(e.path("data").path("container_id").asText()).isEqualTo(branch.path("container_id").asText());
            assertThat(e.path("data").path("state").asText()).isEqualTo("failed");
        });
        // podman's poststop comes after the kill: the branch stays failed and nothing reached the base
        Thread.sleep(2000);
        assertThat(stack.call(c -> c.inspectBranch(id)).path("state").asText()).isEqualTo("failed");
        assertThat(TreeSnapshot.fileContents(base)).isEqualTo(Map.of("README.md", "the project\n"));
    }

    private static String listing(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList().toString();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void anUnconfinedContainerIsRefusedBeforeAnythingRuns() throws Exception {
        GovernedStack.Result r = stack.podman(List.of("run", "--rm", "--name", stack.containerName(),
                "--security-opt", "seccomp=unconfined",
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace",
                GovernedStack.IMAGE, "sh", "-c", "printf ran > /workspace/ran"));
        assertThat(r.status()).as(r.both()).isNotZero();
        assertThat(r.err()).as(r.both()).contains("no seccomp profile");
        assertThat(TreeSnapshot.fileContents(base)).isEqualTo(Map.of("README.md", "the project\n"));
    }

    private JsonNode activeBranchOf(Path base) throws Exception {
        return stack.awaitActive(stack.onlyBranchOf(base).path("id").asText());
    }
}
