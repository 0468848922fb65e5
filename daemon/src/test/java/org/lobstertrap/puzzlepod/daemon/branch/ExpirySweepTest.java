package org.lobstertrap.puzzlepod.daemon.branch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.branch.StoreFixtures.*;

class ExpirySweepTest {
    @TempDir Path tmp;

    private static BranchId id(String s) { return BranchId.of(s); }

    @Test
    void expiredBranchesAreRolledBackUnlessACommitOrReviewIsUnderWay() throws Exception {
        Path base = base(tmp);
        MutableClock clock = new MutableClock(T0);
        try (BranchStore store = BranchStore.open(tmp.resolve("root"), StoreOptions.defaults().withClock(clock))) {
            for (String s : new String[]{"ready", "active", "frozen", "failed", "committing", "review", "degraded"})
                store.create(request(base, s));
            store.create(new NewBranch(id("long-lived"), 0, "p", base, Duration.ofDays(2), OverlayFlavour.KERNEL));
            store.transition(id("active"), BranchState.ACTIVE, null);
            store.transition(id("frozen"), BranchState.ACTIVE, null);
            store.transition(id("frozen"), BranchState.FROZEN, null);
            store.transition(id("failed"), BranchState.FAILED, "test failure");
            store.transition(id("committing"), BranchState.COMMITTING, null);
            store.transition(id("review"), BranchState.COMMITTING, null);
            store.transition(id("review"), BranchState.REVIEW_PENDING, null);
            store.transition(id("degraded"), BranchState.ACTIVE, null);
            store.transition(id("degraded"), BranchState.DEGRADED, "container vanished");

            clock.advance(Duration.ofMinutes(59));
            assertThat(store.sweepExpired().isEmpty()).as("nothing expired before the lifetime").isTrue();

            clock.advance(Duration.ofMinutes(1));
            ExpiryReport report = store.sweepExpired();
            assertThat(report.at()).isEqualTo(T0.plus(Duration.ofHours(1)));
            assertThat(report.rolledBack()).extracting(m -> m.id().value())
                    .containsExactlyInAnyOrder("ready", "active", "frozen", "failed");
            assertThat(report.rolledBack()).allMatch(m -> m.state() == BranchState.ROLLED_BACK);
            assertThat(report.spared()).extracting(m -> m.id().value()).containsExactlyInAnyOrder("committing", "review", "degraded");
            assertThat(report.failures()).isEmpty();
            for (String s : new String[]{"ready", "active", "frozen", "failed"}) {
                assertThat(store.get(id(s)).state()).isEqualTo(BranchState.ROLLED_BACK);
                assertThat(store.paths(id(s)).dir()).doesNotExist();
            }
            assertThat(store.get(id("committing")).state()).isEqualTo(BranchState.COMMITTING);
            assertThat(store.get(id("review")).state()).isEqualTo(BranchState.REVIEW_PENDING);
            assertThat(store.get(id("long-lived")).state()).isEqualTo(BranchState.READY);
            assertThat(store.get(id("failed")).failureReason()).isEqualTo("test failure");

            // a second sweep rolls back nothing new
            ExpiryReport again = store.sweepExpired();
            assertThat(again.rolledBack()).isEmpty();
        }
    }

    @Test
    void theSweeperRunsOnItsOwnScheduleAndReports() throws Exception {
        Path base = base(tmp);
        MutableClock clock = new MutableClock(T0);
        try (BranchStore store = BranchStore.open(tmp.resolve("root"), StoreOptions.defaults().withClock(clock))) {
            BranchMetadata m = store.create(request(base, "short"));
            clock.advance(Duration.ofHours(2));
            CompletableFuture<ExpiryReport> seen = new CompletableFuture<>();
            try (ExpirySweeper sweeper = ExpirySweeper.start(store, Duration.ofMillis(20), seen::complete)) {
                ExpiryReport report = seen.get(1, TimeUnit.MINUTES);
                assertThat(report.rolledBack()).extracting(BranchMetadata::id).containsExactly(m.id());
            }
            assertThat(store.get(m.id()).state()).isEqualTo(BranchState.ROLLED_BACK);
            assertThat(Files.exists(store.paths(m.id()).dir())).isFalse();
        }
    }
}
