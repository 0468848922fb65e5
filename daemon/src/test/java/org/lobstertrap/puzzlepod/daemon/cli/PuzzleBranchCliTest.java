package org.lobstertrap.puzzlepod.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.daemon.commit.CrashPoints;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real commands, in process, against a temp branch root and the real kernel (diff and commit use raw syscalls). */
class PuzzleBranchCliTest {
    @TempDir Path tmp;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path root() { return tmp.resolve("root"); }

    private Path base() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("keep.txt"), "original\n");
        Files.createDirectories(base.resolve("src"));
        Files.writeString(base.resolve("src/main.c"), "int main(){}\n");
        return base;
    }

    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).filter(p -> !p.isEmpty()).sorted().toList();
        }
    }

    @Test
    void createWriteDiffCommitPutsTheChangesIntoTheBase() throws Exception {
        Path base = base();
        CliRun created = CliRun.run(root(), "create", "--base", base.toString(), "--profile", "dev", "--lifetime", "1h30m");
        assertThat(created.exit()).as(created.toString()).isZero();
        String id = created.field("id");
        Path upper = Path.of(created.field("upper"));
        Path work = Path.of(created.field("work"));
        assertThat(created.field("podman")).isEqualTo("-v " + base.toRealPath() + ":/workspace:O,upperdir=" + upper + ",workdir=" + work);

        // what an agent would write through the overlay: a new file and a modified one
        Files.writeString(upper.resolve("new.txt"), "hello from the branch\n");
        Files.createDirectories(upper.resolve("src"));
        Files.writeString(upper.resolve("src/main.c"), "int main(){return 1;}\n");

        CliRun diff = CliRun.run(root(), "diff", id);
        assertThat(diff.exit()).as(diff.toString()).isZero();
        assertThat(diff.out()).containsPattern("Added\\s+new.txt").containsPattern("Modified\\s+src/main.c").contains("2 changes");
        CliRun diffJson = CliRun.run(root(), "diff", id, "--json");
        JsonNode changes = JSON.readTree(diffJson.out()).get("changes");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("path").asText()).isEqualTo("new.txt");
        assertThat(changes.get(0).get("kind").asText()).isEqualTo("Added");
        assertThat(Files.readString(base.resolve("src/main.c"))).as("diff changes nothing").isEqualTo("int main(){}\n");

        CliRun inspect = CliRun.run(root(), "inspect", id);
        JsonNode rec = JSON.readTree(inspect.out());
        assertThat(rec.get("state").asText()).isEqualTo("ready");
        assertThat(rec.get("profile").asText()).isEqualTo("dev");
        assertThat(rec.get("lifetime").asText()).isEqualTo("PT1H30M");
        assertThat(rec.get("upper").asText()).isEqualTo(upper.toString());

        CliRun commit = CliRun.run(root(), "commit", id);
        assertThat(commit.exit()).as(commit.toString()).isZero();
        assertThat(commit.out()).contains("committed " + id, "2 changes");
        assertThat(Files.readString(base.resolve("new.txt"))).isEqualTo("hello from the branch\n");
        assertThat(Files.readString(base.resolve("src/main.c"))).isEqualTo("int main(){return 1;}\n");
        assertThat(Files.readString(base.resolve("keep.txt"))).isEqualTo("original\n");
        assertThat(tree(base)).containsExactly("keep.txt", "new.txt", "src", "src/main.c");
        assertThat(upper).doesNotExist();
        assertThat(JSON.readTree(CliRun.run(root(), "inspect", id).out()).get("state").asText()).isEqualTo("committed");

        CliRun again = CliRun.run(root(), "commit", id);
        assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(again.err()).contains("branch " + id + " is committed");
        CliRun rollback = CliRun.run(root(), "rollback", id);
        assertThat(rollback.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(rollback.err()).contains("cannot go from committed to rolled-back");
    }

    @Test
    void rollbackLeavesTheBaseUntouchedAndIsIdempotent() throws Exception {
        Path base = base();
        List<String> before = tree(base);
        CliRun created = CliRun.run(root(), "create", "--base", base.toString(), "--id", "try-1");
        assertThat(created.exit()).as(created.toString()).isZero();
        Path upper = Path.of(created.field("upper"));
        Files.writeString(upper.resolve("keep.txt"), "clobbered\n");
        Files.writeString(upper.resolve("junk"), "junk");

        CliRun rb = CliRun.run(root(), "rollback", "try-1");
        assertThat(rb.exit()).as(rb.toString()).isZero();
        assertThat(rb.out()).isEqualTo("rolled back try-1\n");
        assertThat(tree(base)).isEqualTo(before);
        assertThat(Files.readString(base.resolve("keep.txt"))).isEqualTo("original\n");
        assertThat(upper.getParent()).doesNotExist();
        assertThat(tree(root().resolve(".trash"))).as("deleted before the command returned").isEmpty();

        assertThat(CliRun.run(root(), "rollback", "try-1").exit()).isZero();

        CliRun second = CliRun.run(root(), "create", "--base", base.toString(), "--id", "try-2");
        Files.writeString(Path.of(second.field("upper")).resolve("junk"), "junk");
        assertThat(CliRun.run(root(), "rollback", "--no-wait", "try-2").exit()).isZero();
        assertThat(root().resolve("try-2")).doesNotExist();
        CliRun gc = CliRun.run(root(), "gc");
        assertThat(gc.exit()).as(gc.toString()).isZero();
        assertThat(tree(root().resolve(".trash"))).isEmpty();
        CliRun list = CliRun.run(root(), "list");
        assertThat(list.out()).containsPattern("try-1\\s+rolled-back");
        JsonNode all = JSON.readTree(CliRun.run(root(), "list", "--json").out());
        assertThat(all).hasSize(2);
        assertThat(all.get(0).get("state").asText()).isEqualTo("rolled-back");
        CliRun commit = CliRun.run(root(), "commit", "try-1");
        assertThat(commit.exit()).isEqualTo(ExitCodes.REFUSED);
    }

    @Test
    void hostileIdsAreUsageErrors() {
        for (String bad : List.of("../x", "a/b", "x".repeat(65), "", "brånch", "..", "a b")) {
            CliRun r = CliRun.run(root(), "inspect", bad);
            assertThat(r.exit()).as(bad + ": " + r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("branch id");
        }
        CliRun create = CliRun.run(root(), "create", "--base", tmp.toString(), "--id", "../escape");
        assertThat(create.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void errorsHaveClearMessagesAndDocumentedExitCodes() throws Exception {
        Path base = base();
        CliRun missing = CliRun.run(root(), "inspect", "nope");
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).isEqualTo("puzzle-branch: branch nope does not exist [not-found]\n");

        CliRun badBase = CliRun.run(root(), "create", "--base", tmp.resolve("absent").toString());
        assertThat(badBase.exit()).isEqualTo(ExitCodes.UNUSABLE);
        assertThat(badBase.err()).contains("does not exist", "[invalid-base]");

        CliRun badLifetime = CliRun.run(root(), "create", "--base", base.toString(), "--lifetime", "soon");
        assertThat(badLifetime.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badLifetime.err()).contains("invalid lifetime \"soon\"");
        assertThat(CliRun.run(root(), "create", "--base", base.toString(), "--lifetime", "0s").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(root(), "create", "--base", base.toString(), "--overlay", "zfs").exit()).isEqualTo(ExitCodes.USAGE);

        assertThat(CliRun.run(root(), "create", "--base", base.toString(), "--id", "dup").exit()).isZero();
        CliRun dup = CliRun.run(root(), "create", "--base", base.toString(), "--id", "dup");
        assertThat(dup.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(dup.err()).contains("already exists");

        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        CliRun badRoot = CliRun.run(file, "list");
        assertThat(badRoot.exit()).isEqualTo(ExitCodes.UNUSABLE);
        assertThat(badRoot.err()).contains("is not a directory", "[root-unusable]");

        assertThat(CliRun.run(root(), "frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(root()).exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpDocumentsCommandsAndExitCodesAndCompletionIsGenerated() {
        CliRun help = CliRun.run(null, "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: puzzle-branch", "create", "list", "inspect", "diff", "commit", "rollback",
                "recover", "gc", "completion", "Exit codes:", "3   no such branch", "--root=DIR");
        CliRun createHelp = CliRun.run(null, "create", "--help");
        assertThat(createHelp.out()).contains("--base=DIR", "--lifetime=DURATION", "--profile=P", "podman run");
        CliRun completion = CliRun.run(null, "completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F", "puzzle-branch", "rollback");
    }

    @Test
    void gcRollsBackExpiredBranches() throws Exception {
        Path base = base();
        assertThat(CliRun.run(root(), "create", "--base", base.toString(), "--id", "short", "--lifetime", "1s").exit()).isZero();
        assertThat(CliRun.run(root(), "create", "--base", base.toString(), "--id", "long", "--lifetime", "2d").exit()).isZero();
        // wait until the 1 s lifetime has passed on the real clock (the store's clock is injected in the unit tests)
        Path meta = root().resolve("short/branch.json");
        java.time.Instant expires = java.time.Instant.parse(JSON.readTree(meta.toFile()).get("expires_at").asText());
        while (!java.time.Instant.now().isAfter(expires)) Thread.sleep(50);
        CliRun gc = CliRun.run(root(), "gc");
        assertThat(gc.exit()).as(gc.toString()).isZero();
        assertThat(gc.out()).contains("expired, rolled back: short", "1 rolled back");
        assertThat(CliRun.run(root(), "list").out()).containsPattern("short\\s+rolled-back").containsPattern("long\\s+ready");
    }

    @Test
    void recoverReportsDegradedBranchesAndOrphans() throws Exception {
        Path base = base();
        assertThat(CliRun.run(root(), "create", "--base", base.toString(), "--id", "running").exit()).isZero();
        try (var store = org.lobstertrap.puzzlepod.daemon.branch.BranchStore.open(root())) {
            var id = org.lobstertrap.puzzlepod.core.branch.BranchId.of("running");
            store.transition(id, org.lobstertrap.puzzlepod.core.branch.BranchState.ACTIVE, null);
            store.setContainerId(id, "abc123");
        }
        Files.createDirectories(root().resolve("stray/upper"));
        Files.writeString(root().resolve("stray/upper/f"), "never committed");

        CliRun recover = CliRun.run(root(), "recover");
        assertThat(recover.exit()).as(recover.toString()).isZero();
        assertThat(recover.out()).contains("degraded: running", "container abc123 is no longer supervised",
                "orphan moved to trash: stray", "1 degraded");
        assertThat(root().resolve("stray")).doesNotExist();
        assertThat(tree(root().resolve(".trash"))).isEmpty();
        assertThat(tree(base)).doesNotContain("f");
        assertThat(JSON.readTree(CliRun.run(root(), "inspect", "running").out()).get("state").asText()).isEqualTo("degraded");
        // a degraded branch's work is intact and can still be committed or rolled back
        assertThat(CliRun.run(root(), "rollback", "running").exit()).isZero();
    }

    /** A simulated crash: thrown from inside the committer, it propagates like a dying process would stop. */
    private static final class SimulatedCrash extends Error {
        SimulatedCrash(String at) { super("simulated crash at " + at); }
    }

    @Test
    void recoverCompletesACommitInterruptedAfterItsJournalWasPrepared() throws Exception {
        Path base = base();
        CliRun created = CliRun.run(root(), "create", "--base", base.toString(), "--id", "crashy");
        Path upper = Path.of(created.field("upper"));
        Files.writeString(upper.resolve("new.txt"), "survives the crash\n");

        CrashPoints.install(label -> { if (label.equals("prepared")) throw new SimulatedCrash(label); });
        try {
            assertThatThrownBy(() -> CliRun.run(root(), "commit", "crashy")).isInstanceOf(SimulatedCrash.class);
        } finally {
            CrashPoints.install(null);
        }
        assertThat(JSON.readTree(CliRun.run(root(), "inspect", "crashy").out()).get("state").asText()).isEqualTo("committing");

        CliRun recover = CliRun.run(root(), "recover");
        assertThat(recover.exit()).as(recover.toString()).isZero();
        assertThat(recover.out()).contains("commit recovery: crashy -> committed (ROLLED_FORWARD)", "1 awaiting commit recovery");
        assertThat(Files.readString(base.resolve("new.txt"))).isEqualTo("survives the crash\n");
        assertThat(JSON.readTree(CliRun.run(root(), "inspect", "crashy").out()).get("state").asText()).isEqualTo("committed");
    }

    @Test
    void recoverFailsACommitInterruptedBeforeItWasPreparedAndTheBaseIsUnchanged() throws Exception {
        Path base = base();
        List<String> before = tree(base);
        CliRun created = CliRun.run(root(), "create", "--base", base.toString(), "--id", "early");
        Files.writeString(Path.of(created.field("upper")).resolve("new.txt"), "x");
        CrashPoints.install(label -> { if (label.equals("staged-durable")) throw new SimulatedCrash(label); });
        try {
            assertThatThrownBy(() -> CliRun.run(root(), "commit", "early")).isInstanceOf(SimulatedCrash.class);
        } finally {
            CrashPoints.install(null);
        }
        CliRun recover = CliRun.run(root(), "recover");
        assertThat(recover.exit()).as(recover.toString()).isZero();
        assertThat(recover.out()).contains("commit recovery: early -> failed");
        assertThat(tree(base)).isEqualTo(before);
        JsonNode rec = JSON.readTree(CliRun.run(root(), "inspect", "early").out());
        assertThat(rec.get("state").asText()).isEqualTo("failed");
        assertThat(rec.get("failure_reason").asText()).contains("interrupted");
        // the work is intact: it can still be committed
        CliRun commit = CliRun.run(root(), "commit", "early");
        assertThat(commit.exit()).as(commit.toString()).isZero();
        assertThat(base.resolve("new.txt")).hasContent("x");
    }
}
