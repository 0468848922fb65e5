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

    private static List<String> rules(JsonNode decision) {
        List<String> out = new ArrayList<>();
        decision.path("violations").forEach(v -> out.add(v.path("rule").asText()));
        return out;
    }

    private void assertGateDecisionAudited(String branch, String outcome) throws Exception {
        List<JsonNode> records = stack.gateDecisions(branch);
        assertThat(records).as("gate.decision records of " + branch).hasSize(1);
        assertThat(records.getFirst().path("data").toString()).contains("\"" + outcome + "\"");
    }
}
