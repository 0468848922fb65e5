package org.lobstertrap.puzzlepod.it.security;

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
import org.lobstertrap.puzzlepod.it.GovernedStack;
import org.lobstertrap.puzzlepod.it.TreeSnapshot;

/**
 * {@code puzzle-podman run} on root's podman runs no precreate hook (the stack's hook script counts its
 * runs), and its container is contained exactly as a hook-run one: puzzle-init is its first process and
 * applies Landlock, puzzled's supervisor refuses a denylisted exec, the kernel refuses ptrace, and the
 * work is committed through the gate. A plain {@code podman run} with the profile annotation still runs the hook.
 * With no hook to check the final spec, puzzled's admission does: a volume of the base that podman adds
 * system-wide (containers.conf {@code volumes}, which the wrapper never sees) refuses the container.
 */
@Tag("slow")
class WrapperWithoutHookTest {
    private static final String SCRIPT = String.join("; ",
            "cat /secrets/token 2>&1; echo read=$?",
            "nsenter true 2>&1; echo exec-denied=$?",
            "/workspace/tools/syscall-probe ptrace:1",
            "echo pid=$$",
            "printf 'done\\n' > /workspace/result.txt; echo work=$?");

    @TempDir Path dir;
    GovernedStack stack;
    Path base, secrets;

    @BeforeEach
    void setUp() throws Exception {
        Path probe = SyscallProbe.build(dir.resolve("probe"));
        stack = GovernedStack.start(Files.createDirectories(dir.resolve("stack")));
        base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("README.md"), "the project\n");
        Files.copy(probe, Files.createDirectories(base.resolve("tools")).resolve("syscall-probe"));
        secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("token"), "s3cr3t\n");
    }

    @AfterEach
    void tearDown() {
        if (stack != null) stack.close();
    }

    @Test
    void aWrapperRunIsContainedWithoutTheHookAndAPlainAnnotatedRunStillUsesIt() throws Exception {
        List<String> args = new ArrayList<>(List.of("--profile", "standard", "--base", base.toString(), "--auto-commit",
                "--rm", "--name", stack.containerName(), "-v", secrets + ":/secrets:ro", GovernedStack.IMAGE, "sh", "-c", SCRIPT));
        GovernedStack.Result r = stack.puzzlePodmanRun(args);
        assertThat(r.status()).as(r.both()).isZero();
        assertThat(stack.hookRuns()).as("precreate hook runs for the puzzle-podman run").isZero();

        String out = r.out();
        assertThat(out).as(r.both()).containsPattern("(?s)/secrets/token'?: Permission denied.*read=1").doesNotContain("s3cr3t");
        assertThat(out).containsPattern("exec-denied=12[67]");
        assertThat(out).contains("ptrace EPERM");
        assertThat(out).as("puzzle-init executed the agent as the container's init").contains("pid=1\n");
        assertThat(r.err()).as("puzzle-init read the branch's rules").contains("puzzle-init: warning: rules:");
        assertThat(out).contains("work=0");
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("committed");
        assertThat(base.resolve("result.txt")).hasContent("done");
        assertThat(stack.auditEvents(branch.path("id").asText(), "seccomp.decision")).as("the supervisor answered the exec")
                .anySatisfy(e -> {
                    assertThat(e.path("data").path("allowed").asBoolean()).isFalse();
                    assertThat(e.path("data").path("reason").asText()).contains("nsenter");
                });

        Path plainBase = Files.createDirectories(dir.resolve("plain"));
        GovernedStack.Result plain = stack.podman(List.of("run", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=standard", "-v", plainBase + ":/workspace",
                GovernedStack.IMAGE, "sh", "-c", "printf x > /workspace/x"));
        assertThat(plain.status()).as(plain.both()).isZero();
        assertThat(stack.hookRuns()).as("the plain podman run went through the precreate hook").isEqualTo(1);
    }

    @Test
    void aSystemWideVolumeOfTheBaseRefusesTheContainerBeforeTheAgentRuns() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(base);
        // CONTAINERS_CONF replaces the system's containers.conf files in podman 4.3, so this one also carries what
        // the test machine's drop-in sets (.ci/setup-machine.sh: ulimits this root can grant, runc)
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, "[containers]\nvolumes = [\"" + base + ":/other\"]\n"
                + "default_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]\n[engine]\nruntime = \"runc\"\n");
        List<String> args = List.of("--profile", "standard", "--base", base.toString(), "--auto-commit", "--rm",
                "--name", stack.containerName(), GovernedStack.IMAGE, "sh", "-c",
                "echo agent-ran; printf x > /workspace/new.txt; printf escaped > /other/escaped.txt");
        GovernedStack.Result r = stack.puzzlePodmanRun(args, Map.of("CONTAINERS_CONF", conf.toString()));

        assertThat(r.status()).as(r.both()).isNotZero();
        assertThat(stack.hookRuns()).as("precreate hook runs for the puzzle-podman run").isZero();
        assertThat(r.err()).contains("puzzled never admitted the container").contains("--type container.refused");
        // Landlock would keep the agent off /other; the refusal keeps it from running at all (its output is the marker
        // the wrapper hands through; a run would also commit new.txt into the base under --auto-commit)
        assertThat(r.out()).as("the agent ran: " + r.both()).doesNotContain("agent-ran");
        assertThat(TreeSnapshot.of(base)).as(r.both()).isEqualTo(before);
        JsonNode branch = stack.onlyBranchOf(base);
        List<JsonNode> refused = stack.auditEvents(branch.path("id").asText(), "container.refused");
        assertThat(refused).as(branch + "\n" + r.both()).singleElement().satisfies(e -> {
            assertThat(e.path("data").path("code").asText()).isEqualTo("AccessDenied");
            assertThat(e.path("data").path("error").asText()).contains("outside its branch")
                    .contains("binds \"" + base + "\" read-write at \"/other\"");
        });
        assertThat(stack.auditEvents(branch.path("id").asText(), "branch.attached")).isEmpty();
    }
}
