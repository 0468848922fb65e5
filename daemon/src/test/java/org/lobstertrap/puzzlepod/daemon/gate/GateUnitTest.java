package org.lobstertrap.puzzlepod.daemon.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.profile.Profile;
import org.lobstertrap.puzzlepod.core.profile.ProfileRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** Policy store, policy input, conflict overlap and the gate's limits (deadline, step budget, overload). */
class GateUnitTest {
    @TempDir Path tmp;

    private Path policies() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("policies"));
        try (Stream<Path> s = Files.list(Path.of("..", "policies"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".rego")).toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }

    private static Profile standard() throws Exception {
        return ProfileRepository.load(Path.of("..", "profiles")).get("standard");
    }

    private static Changeset files(int n) {
        List<Change> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
            out.add(new Change(RelPath.of("src/f" + i + ".txt"), ChangeKind.Added, false, 10, 0100644, 0, 0, "0".repeat(64), null, null, 0, null));
        return new Changeset(out);
    }

    @Test void policyStoreDigestIsStableAndABadReloadKeepsTheOldPolicy() throws Exception {
        Path dir = policies();
        PolicyStore a = PolicyStore.open(dir), b = PolicyStore.open(dir);
        assertThat(a.snapshot().loaded()).isTrue();
        assertThat(a.snapshot().digest()).hasSize(64).isEqualTo(b.snapshot().digest());
        Files.writeString(dir.resolve("zz.rego"), "package puzzlepod.commit\nnot rego at all\n");
        assertThatThrownBy(a::reload).isInstanceOf(PolicyUnavailable.class);
        assertThat(a.snapshot().loaded()).isTrue();
        assertThat(a.snapshot().digest()).isEqualTo(b.snapshot().digest());
        assertThat(a.snapshot().error()).isNotBlank();
        assertThat(PolicyStore.open(dir).snapshot().loaded()).as("a first load that fails leaves no policy").isFalse();
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        PolicyStore none = PolicyStore.open(empty);
        assertThatThrownBy(() -> none.evaluate(PolicyInputBuilder.build(files(1), standard(), "/workspace", null), GovernanceGateLimits.OPTIONS))
                .isInstanceOfSatisfying(PolicyUnavailable.class, e -> assertThat(e.code()).isEqualTo(PolicyUnavailable.NO_POLICY));
    }

    @Test void policyInputCarriesEverythingTheRulesRead() throws Exception {
        ObjectNode in = PolicyInputBuilder.build(files(2), standard(), "/workspace", 3);
        assertThat(in.get("changes").size()).isEqualTo(2);
        assertThat(in.get("total_changes").asInt()).isEqualTo(2);
        assertThat(in.get("total_bytes_changed").asLong()).isEqualTo(20);
        assertThat(in.get("counts").get("Added").asInt()).isEqualTo(2);
        assertThat(in.get("profile").get("name").asText()).isEqualTo("standard");
        assertThat(in.get("workspace_root").asText()).isEqualTo("/workspace");
        assertThat(in.get("storage_quota_bytes").asLong()).isEqualTo(1024L * 1024 * 1024);
        assertThat(in.get("inode_quota").asLong()).isEqualTo(100_000);
        assertThat(in.get("allow_symlinks").asBoolean()).isFalse();
        assertThat(in.get("exit_code").asInt()).isEqualTo(3);
        assertThat(PolicyInputBuilder.build(files(1), standard(), "/w", null).has("exit_code")).isFalse();
    }

    @Test void stepBudgetAndOverloadFailWithoutAVerdict() throws Exception {
        PolicyStore store = PolicyStore.open(policies());
        Profile p = standard();
        GovernanceGate tight = GovernanceGate.judging(store, new GovernanceGate.Settings(Duration.ofMinutes(1), 1_000, false, 1, 0,
                Duration.ZERO), Clock.systemUTC());
        Decision d = tight.judge(files(50), p, 0, "/workspace");
        assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(d.allow()).isFalse();
        assertThat(d.reason()).contains("evaluation failed");

        GovernanceGate one = GovernanceGate.judging(store, new GovernanceGate.Settings(Duration.ofMinutes(1), 10_000_000_000L, false, 1, 0,
                Duration.ZERO), Clock.systemUTC());
        assertThat(one.judge(files(3), p, 0, "/workspace").outcome()).isEqualTo(Outcome.COMMITTED);
        CompletableFuture<Decision> big = CompletableFuture.supplyAsync(() -> one.judge(files(2000), p, 0, "/workspace"));
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (one.running() == 0 && !big.isDone() && System.nanoTime() < end) Thread.onSpinWait();
        assertThat(one.running()).as("the big evaluation holds the only slot").isEqualTo(1);
        Decision over = one.judge(files(1), p, 0, "/workspace");
        assertThat(over.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(over.reason()).contains("overloaded");
        assertThat(big.get().outcome()).isEqualTo(Outcome.COMMITTED);
    }

    @Test void conflictsOverlapByPathAncestorAndDescendantOnly() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        ConflictChecker checker = new ConflictChecker(tmp.resolve("log"), FileSyscalls.linux());
        Instant t0 = Instant.now().minusSeconds(60);
        BranchMetadata a = meta("a", base, t0), b = meta("b", base, t0), c = meta("c", base, t0), d = meta("d", base, t0);
        assertThat(checker.claim(a, added("lib/x/y.txt"))).isNull();
        assertThat(checker.claim(b, added("lib/x")).reason()).as("ancestor of a path in flight").contains("branch a");
        assertThat(checker.claim(c, added("lib/xy.txt"))).as("a name prefix is not a path prefix").isNull();
        checker.finish(c, false, Instant.now());
        checker.finish(a, true, Instant.now());
        assertThat(checker.claim(d, added("lib/x/y.txt/deeper"))).as("descendant of a committed path").isNotNull();
        BranchMetadata later = meta("e", base, Instant.now().plusSeconds(1));
        assertThat(checker.claim(later, added("lib/x/y.txt"))).as("committed before this branch was created").isNull();
        BranchMetadata other = meta("f", Files.createDirectories(tmp.resolve("other")), t0);
        assertThat(checker.claim(other, added("lib/x/y.txt"))).as("another base").isNull();
    }

    @Test void commitLogKeepsOnlyWhatLiveBranchesCanConflictWith() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("compact-base"));
        ConflictChecker checker = new ConflictChecker(tmp.resolve("compact-log"), FileSyscalls.linux());
        Instant t0 = Instant.now().minusSeconds(3600);
        BranchMetadata live = meta("live", base, t0.plusSeconds(1000));
        int total = ConflictChecker.COMPACT_AFTER_LINES + 10;
        for (int i = 0; i < total; i++) {
            BranchMetadata m = meta("c" + i, base, t0);
            assertThat(checker.claim(m, added("f" + i))).isNull();
            checker.finish(m, true, t0.plusSeconds(10L * i)); // commits every 10 s from t0 on
        }
        assertThat(checker.compactIfLarge(base, live.created())).as("commits at or before the live branch's creation")
                .isEqualTo(101);
        assertThat(checker.claim(live, added("f100"))).as("committed at its creation: never a conflict").isNull();
        checker.finish(live, false, Instant.now());
        assertThat(checker.claim(live, added("f101")).reason()).as("kept: committed after the live branch was created")
                .contains("branch c101");
        checker.finish(live, false, Instant.now());
        assertThat(checker.compactIfLarge(base, live.created())).as("small logs are left alone").isZero();
        assertThat(checker.compactIfLarge(tmp.resolve("never-committed"), null)).isZero();
    }

    @Test void commitLogCompactionWithoutLiveBranchesEmptiesTheLogAndDropsTornLines() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("empty-base"));
        ConflictChecker checker = new ConflictChecker(tmp.resolve("empty-log"), FileSyscalls.linux());
        Instant t0 = Instant.now().minusSeconds(3600);
        for (int i = 0; i <= ConflictChecker.COMPACT_AFTER_LINES; i++) {
            BranchMetadata m = meta("c" + i, base, t0);
            assertThat(checker.claim(m, added("f" + i))).isNull();
            checker.finish(m, true, t0.plusSeconds(i));
        }
        try (var files = Files.list(tmp.resolve("empty-log"))) {
            Path log = files.filter(f -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow();
            Files.writeString(log, "{\"branch\":\"torn", java.nio.file.StandardOpenOption.APPEND);
            assertThat(checker.compactIfLarge(base, null)).isEqualTo(ConflictChecker.COMPACT_AFTER_LINES + 2);
            assertThat(Files.size(log)).isZero();
        }
        BranchMetadata fresh = meta("fresh", base, t0);
        assertThat(checker.claim(fresh, added("f1"))).as("an emptied log remembers nothing").isNull();
    }

    private static Changeset added(String path) {
        return new Changeset(List.of(new Change(RelPath.of(path), ChangeKind.Added, false, 1, 0100644, 0, 0, "0".repeat(64), null, null, 0, null)));
    }

    private static BranchMetadata meta(String id, Path base, Instant created) {
        return BranchMetadata.newBranch(BranchId.of(id), 0, "standard", base, Duration.ofHours(1), OverlayFlavour.KERNEL, created);
    }

    /** The evaluation options of a generous gate. */
    static final class GovernanceGateLimits {
        static final org.lobstertrap.puzzlepod.rego.EvalOptions OPTIONS =
                org.lobstertrap.puzzlepod.rego.EvalOptions.DEFAULT.withDeadline(Duration.ofMinutes(1));
    }
}
