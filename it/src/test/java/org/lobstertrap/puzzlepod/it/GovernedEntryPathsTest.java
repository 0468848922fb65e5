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
 * The governed-container entry paths end to end: real podman + runc, the shipped OCI hooks, puzzle-podman
 * and the real puzzled with the shipped profiles and policies ({@link GovernedStack}).
 */
@Tag("slow")
class GovernedEntryPathsTest {
    // puzzle-podman's exit codes (podman-wrapper/README.md)
    static final int REJECTED = 70, ROLLED_BACK = 71, UNREACHABLE = 74;

    @TempDir Path dir;
    GovernedStack stack;
    Path base;

    @BeforeEach
    void setUp() throws Exception {
        stack = GovernedStack.start(dir);
        base = Files.createDirectories(dir.resolve("project"));
        Files.writeString(base.resolve("README.md"), "the project\n");
        Files.writeString(base.resolve("old.txt"), "to be deleted\n");
        Files.createDirectories(base.resolve("src"));
        Files.writeString(base.resolve("src/main.c"), "int main(void) { return 0; }\n");
    }

    @AfterEach
    void tearDown() {
        if (stack != null) stack.close();
    }

    private List<String> wrapperRun(String script, String... wrapperOptions) {
        List<String> args = new ArrayList<>(List.of("--profile", "standard", "--base", base.toString()));
        args.addAll(List.of(wrapperOptions));
        args.addAll(List.of("--rm", "--name", stack.containerName(), GovernedStack.IMAGE, "sh", "-c", script));
        return args;
    }

    @Test
    void autoCommitPutsExactlyTheWrittenFilesIntoTheBase() throws Exception {
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun(
                "printf 'hello\\n' > /workspace/new.txt && mkdir /workspace/docs && printf 'a\\nb\\n' > /workspace/docs/notes.md"
                        + " && printf 'more\\n' >> /workspace/README.md && rm /workspace/old.txt",
                "--auto-commit"));
        assertThat(r.status()).as(r.both()).isZero();
        assertThat(r.err()).contains("committed");
        assertThat(TreeSnapshot.fileContents(base)).isEqualTo(Map.of(
                "README.md", "the project\nmore\n",
                "new.txt", "hello\n",
                "docs/notes.md", "a\nb\n",
                "src/main.c", "int main(void) { return 0; }\n"));
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).isEqualTo("committed");
        assertAttachedByTheHooks(branch);
        assertGateDecisionAudited(branch.path("id").asText(), "committed");
    }

    @Test
    void secretsAndCronFilesAreRejectedAndTheBaseIsUntouched() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun(
                "mkdir -p /workspace/.ssh /workspace/etc/cron.d && printf 'KEY\\n' > /workspace/.ssh/id_rsa"
                        + " && printf '* * * * * root sh /x\\n' > /workspace/etc/cron.d/x && printf 'ok\\n' > /workspace/fine.txt",
                "--auto-commit"));
        assertThat(r.status()).as(r.both()).isEqualTo(REJECTED);
        assertThat(r.err()).contains("sensitive-file").contains(".ssh/id_rsa").contains("persistence").contains("etc/cron.d/x");
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).isEqualTo("rolled-back");
        assertThat(branch.path("decision").path("outcome").asText()).isEqualTo("rejected");
        assertThat(rules(branch.path("decision"))).contains("sensitive-file", "persistence");
        assertGateDecisionAudited(branch.path("id").asText(), "rejected");
    }

    @Test
    void aFailingAgentUnderAutoCommitIsRolledBack() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun("printf 'half\\n' > /workspace/new.txt && rm /workspace/old.txt; exit 3",
                "--auto-commit"));
        assertThat(r.status()).as(r.both()).isEqualTo(ROLLED_BACK);
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).isEqualTo("rolled-back");
        assertThat(branch.path("decision").path("outcome").asText()).isEqualTo("rolled-back");
        assertThat(branch.path("decision").path("exit_code").asInt()).isEqualTo(3);
        assertGateDecisionAudited(branch.path("id").asText(), "rolled-back");
    }

    /** podman run (no wrapper) of a governed container: the annotation alone puts it under governance. */
    private GovernedStack.Result plainRun(String script, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace"));
        args.addAll(List.of(options));
        args.addAll(List.of(GovernedStack.IMAGE, "sh", "-c", script));
        return stack.podman(args);
    }

    @Test
    void plainPodmanWithTheAnnotationIsCommittedByTheDaemonAfterTheContainerStops() throws Exception {
        GovernedStack.Result r = plainRun("printf 'from plain podman\\n' > /workspace/plain.txt && rm /workspace/old.txt");
        assertThat(r.status()).as(r.both()).isZero();
        String id = stack.onlyBranchOf(base).path("id").asText();
        JsonNode branch = stack.awaitDecided(id);
        assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("committed");
        assertAttachedByTheHooks(branch);
        assertThat(TreeSnapshot.fileContents(base)).isEqualTo(Map.of(
                "README.md", "the project\n",
                "plain.txt", "from plain podman\n",
                "src/main.c", "int main(void) { return 0; }\n"));
        assertGateDecisionAudited(id, "committed");
    }

    /** The conmon bridge: without a wrapper, the agent's exit status still reaches the decision (podman's died event). */
    @Test
    void plainPodmanAgentsExitStatusReachesTheDecision() throws Exception {
        GovernedStack.Result r = plainRun("printf 'half done\\n' > /workspace/half.txt; exit 3");
        assertThat(r.status()).as(r.both()).isEqualTo(3);
        String id = stack.onlyBranchOf(base).path("id").asText();
        JsonNode branch = stack.awaitDecided(id);
        assertThat(branch.path("decision").path("exit_code").asInt(-99)).as(branch.toString()).isEqualTo(3);
        // the shipped policies warn about a failed agent; the work itself is judged as usual
        assertThat(branch.path("decision").path("warnings").toString()).contains("agent-failed");
    }

    @Test
    void plainPodmanWritingACronFileIsRejectedAndTheBaseIsUntouched() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = plainRun("mkdir -p /workspace/etc/cron.d && printf '* * * * * root sh /x\\n' > /workspace/etc/cron.d/x");
        assertThat(r.status()).as(r.both()).isZero();
        String id = stack.onlyBranchOf(base).path("id").asText();
        JsonNode branch = stack.awaitDecided(id);
        assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("rolled-back");
        assertThat(branch.path("decision").path("outcome").asText()).isEqualTo("rejected");
        assertThat(rules(branch.path("decision"))).containsOnly("persistence");
        assertThat(branch.path("decision").path("violations").toString()).contains("etc/cron.d/x");
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        assertGateDecisionAudited(id, "rejected");
    }

    @Test
    void withoutTheDaemonNoGovernedContainerStarts() throws Exception {
        Path marker = Files.createDirectories(dir.resolve("marker"));
        TreeSnapshot before = TreeSnapshot.of(base);
        stack.stopPuzzled();
        assertUngovernedStartsAreRefused(marker, before, "puzzled stopped, bus up");
        stack.stopBus();
        assertUngovernedStartsAreRefused(marker, before, "no bus at all");
    }

    private void assertUngovernedStartsAreRefused(Path marker, TreeSnapshot before, String situation) throws Exception {
        String script = "printf ran > /marker/ran; printf x > /workspace/new.txt";
        GovernedStack.Result plain = plainRun(script, "-v", marker + ":/marker");
        assertThat(plain.status()).as(situation + ": " + plain.both()).isNotZero();
        assertThat(plain.err()).as(situation).contains("puzzle-hook: puzzled is not reachable")
                .contains("refusing to start an ungoverned container");

        List<String> args = new ArrayList<>(List.of("--profile", "standard", "--base", base.toString(), "--auto-commit",
                "--rm", "--name", stack.containerName(), "-v", marker + ":/marker", GovernedStack.IMAGE, "sh", "-c", script));
        GovernedStack.Result wrapped = stack.puzzlePodmanRun(args);
        assertThat(wrapped.status()).as(situation + ": " + wrapped.both()).isEqualTo(UNREACHABLE);
        assertThat(wrapped.err()).as(situation).contains("puzzle-podman: the container was not started");

        assertThat(marker.resolve("ran")).as(situation + ": a container ran").doesNotExist();
        assertThat(TreeSnapshot.of(base)).as(situation).isEqualTo(before);
    }

    @Test
    void ofTwoBranchesChangingTheSameFileTheFirstCommitsAndTheLaterIsAConflict() throws Exception {
        Path control = Files.createDirectories(dir.resolve("control"));
        String first = startDetached("first", control);
        String second = startDetached("second", control);
        assertThat(first).isNotEqualTo(second);
        stack.awaitActive(first);
        stack.awaitActive(second);

        Files.writeString(control.resolve("go-first"), "");
        JsonNode a = stack.awaitDecided(first);
        assertThat(a.path("state").asText()).as(a.toString()).isEqualTo("committed");
        assertThat(base.resolve("README.md")).hasContent("written by first");

        Files.writeString(control.resolve("go-second"), "");
        JsonNode b = stack.awaitDecided(second);
        assertThat(b.path("decision").path("outcome").asText()).as(b.toString()).isEqualTo("conflict");
        assertThat(b.path("state").asText()).isEqualTo("failed");
        assertThat(base.resolve("README.md")).hasContent("written by first");
        assertGateDecisionAudited(first, "committed");
        assertGateDecisionAudited(second, "conflict");
    }

    /** A detached governed container that changes README.md, then waits for its go file; returns its branch. */
    private String startDetached(String who, Path control) throws Exception {
        List<String> before = stack.branchesOf(base).stream().map(b -> b.path("id").asText()).toList();
        String script = "printf 'written by " + who + "\\n' > /workspace/README.md; "
                + "while [ ! -e /control/go-" + who + " ]; do sleep 0.1; done";
        GovernedStack.Result r = stack.podman(List.of("run", "-d", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace", "-v", control + ":/control",
                GovernedStack.IMAGE, "sh", "-c", script));
        assertThat(r.status()).as(r.both()).isZero();
        List<String> now = stack.branchesOf(base).stream().map(b -> b.path("id").asText()).filter(id -> !before.contains(id)).toList();
        assertThat(now).as("the branch of " + who).hasSize(1);
        return now.getFirst();
    }

    @Test
    void aHostileAgentIsRejectedByTheRulesItBreaksAndTheDaemonStaysUp() throws Exception {
        Path bulk = Files.createDirectories(base.resolve("bulk"));
        for (int i = 0; i < 120; i++) Files.writeString(bulk.resolve("f" + i), "file " + i + "\n");
        TreeSnapshot before = TreeSnapshot.of(base);
        // held after the exit, so that the diff can be read before the gate decides
        GovernedStack.Result r = plainRun(HOSTILE_AGENT, "--annotation", Annotations.ON_EXIT + "=hold");
        assertThat(r.status()).as(r.both()).isZero();
        boolean deviceMade = r.out().contains("mknod=0");
        assertThat(r.out()).as("mknod ran and said how it went").containsAnyOf("mknod=0", "mknod=1");
        String id = stack.onlyBranchOf(base).path("id").asText();
        JsonNode held = stack.call(c -> c.inspectBranch(id));
        assertThat(held.path("decision").isNull()).as(held.toString()).isTrue();

        JsonNode diff = stack.call(c -> c.diffBranch(id));
        int special = deviceMade ? 1 : 0;
        JsonNode summary = diff.path("summary");
        // many/ + 10 000 files + big + three odd names; README, old.txt, src, src/main.c, bulk + 120 files
        assertThat(summary.path("Added").asInt()).as(summary.toString()).isEqualTo(10_005);
        assertThat(summary.path("Deleted").asInt()).isEqualTo(125);
        assertThat(summary.path("Fifo").asInt()).isEqualTo(1);
        assertThat(summary.path("CharDevice").asInt()).isEqualTo(special);
        assertThat(summary.path("changes").asInt()).isEqualTo(10_131 + special);
        long bytes = (1L << 30) + 48_890 + 3;  // the sparse file, "0\n".."9999\n", x y z
        assertThat(summary.path("bytes").asLong()).isEqualTo(bytes);
        assertThat(diff.path("skipped")).isEmpty();
        Map<String, String> kinds = new java.util.HashMap<>();
        diff.path("changes").forEach(c -> kinds.put(c.path("path").asText(), c.path("kind").asText()));
        // names with control characters are shown escaped (RelPath.display), never raw
        assertThat(kinds).containsEntry("new\\x0aline", "Added").containsEntry("tab\\x09here", "Added")
                .containsEntry("sp ace -dash", "Added").containsEntry("pipe", "Fifo").containsEntry("big", "Added")
                .containsEntry("many/f9999", "Added").containsEntry("bulk/f119", "Deleted").containsEntry("README.md", "Deleted");
        assertThat(kinds.keySet()).noneMatch(k -> k.contains("\n") || k.contains("\t"));
        if (deviceMade) assertThat(kinds).containsEntry("dev", "CharDevice");
        else assertThat(kinds).doesNotContainKey("dev");

        JsonNode decision = stack.call(c -> c.commitBranch(id));
        assertThat(decision.path("outcome").asText()).as(decision.toString()).isEqualTo("rejected");
        List<String> violations = new ArrayList<>();
        decision.path("violations").forEach(v -> violations.add(v.path("rule").asText() + ": " + v.path("message").asText()));
        List<String> expected = new ArrayList<>(List.of(
                "mass-deletion: 123 files deleted, the profile allows 100",
                "changeset-too-large: changeset has " + (10_131 + special) + " changes, more than 10000",
                "changeset-too-large: changeset writes " + bytes + " bytes, more than 1073741824",
                "storage-quota: changeset writes " + bytes + " bytes, quota is 1073741824",
                "special-file: pipe: fifo not allowed"));
        if (deviceMade) expected.add("special-file: dev: character device not allowed");
        assertThat(violations).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stack.call(c -> c.inspectBranch(id)).path("state").asText()).isEqualTo("rolled-back");
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        assertGateDecisionAudited(id, "rejected");

        assertThat(stack.puzzledAlive()).as(stack.puzzledStderr()).isTrue();
        JsonNode status = stack.call(c -> c.status());
        assertThat(status.path("policy").path("loaded").asBoolean()).as(status.toString()).isTrue();
        deleteIfPresent(Path.of(held.path("upper").asText()).resolve("big"));
    }

    private static void deleteIfPresent(Path p) throws java.io.IOException {
        Files.deleteIfExists(p);
    }

    /** Deletes the workspace, writes 10 000 files, a sparse 1 GiB file, a fifo, a device node and odd names. */
    static final String HOSTILE_AGENT = """
            cd /workspace && rm -rf /workspace/* /workspace/.[!.]*
            mkdir many && i=0 && while [ $i -lt 10000 ]; do echo $i > many/f$i; i=$((i+1)); done
            dd if=/dev/zero of=big bs=1 count=0 seek=1G 2>/dev/null
            mkfifo pipe
            mknod dev c 1 3; echo mknod=$?
            printf x > "$(printf 'new\nline')"
            printf y > "$(printf 'tab\there')"
            printf z > 'sp ace -dash'
            """;

    private static List<String> rules(JsonNode decision) {
        List<String> out = new ArrayList<>();
        decision.path("violations").forEach(v -> out.add(v.path("rule").asText()));
        return out;
    }

    /** The daemon attached the container when runc handed it to the seccomp listener. */
    private static void assertAttachedByTheHooks(JsonNode branch) {
        assertThat(branch.path("container_id").asText()).as(branch.toString()).matches("[0-9a-f]{64}");
        assertThat(branch.path("pid").asLong()).as(branch.toString()).isPositive();
    }

    private void assertGateDecisionAudited(String branch, String outcome) throws Exception {
        List<JsonNode> records = stack.gateDecisions(branch);
        assertThat(records).as("gate.decision records of " + branch).hasSize(1);
        assertThat(records.getFirst().path("data").toString()).contains("\"" + outcome + "\"");
    }
}
