package org.lobstertrap.puzzlepod.daemon.branch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.branch.StoreFixtures.*;

class BranchRecoveryTest {
    @TempDir Path tmp;

    @Test
    void restartRepairsEveryKindOfLeftover() throws Exception {
        Path base = base(tmp);
        Path rootDir = tmp.resolve("root");
        MutableClock clock = new MutableClock(T0);
        Path interruptedTrash;
        // --- a first "daemon" leaves branches in every state, then dies without cleaning up
        try (BranchStore store = BranchStore.open(rootDir, StoreOptions.defaults().withClock(clock))) {
            BranchId active = store.create(request(base, "active")).id();
            store.transition(active, BranchState.ACTIVE, null);
            store.setContainerId(active, "ctr-1");
            BranchId frozen = store.create(request(base, "frozen")).id();
            store.transition(frozen, BranchState.ACTIVE, null);
            store.transition(frozen, BranchState.FROZEN, null);
            BranchId committing = store.create(request(base, "committing")).id();
            Files.writeString(store.paths(committing).upper().resolve("new.txt"), "pending change");
            store.transition(committing, BranchState.COMMITTING, null);
            store.create(request(base, "ready"));
            store.create(request(base, "corrupt"));
            store.create(request(base, "noupper"));
            store.create(request(base, "nowork"));
            store.create(request(base, "halfrolled"));
            store.create(request(base, "review"));
            store.transition(BranchId.of("review"), BranchState.COMMITTING, null);
            store.transition(BranchId.of("review"), BranchState.REVIEW_PENDING, null);
        }
        Path root = rootDir.toRealPath();
        // corrupt metadata, missing dirs, orphans, temp files, trash, an interrupted rollback
        Files.writeString(root.resolve("corrupt/branch.json"), "{\"format\":1,\"id\":\"corrupt\",\"state\":\"act");
        new NioTreeRemover().removeTree(root.resolve("noupper/upper"));
        new NioTreeRemover().removeTree(root.resolve("nowork/work"));
        Files.createDirectories(root.resolve("orphan-dir/upper"));
        Files.writeString(root.resolve("orphan-dir/upper/secret.txt"), "must never be committed");
        Files.createDirectories(root.resolve("not a valid id"));
        Files.writeString(root.resolve("stray-file"), "x");
        Files.writeString(root.resolve("ready/branch.json.tmp-1234"), "half written");
        Files.writeString(root.resolve(".tombstones/x.json.tmp-99"), "half written");
        interruptedTrash = Files.createDirectories(root.resolve(".trash/old.0123456789abcdef/upper/deep"));
        Files.writeString(interruptedTrash.resolve("f"), "x");
        BranchMetadata halfRolled = BranchMetadataJson.fromBytes(Files.readAllBytes(root.resolve("halfrolled/branch.json")), "t")
                .transition(BranchState.ROLLED_BACK, T0, null);
        Files.write(root.resolve(".tombstones/halfrolled.json"), BranchMetadataJson.toBytes(halfRolled));

        clock.advance(Duration.ofMinutes(5));
        try (BranchStore store = BranchStore.open(rootDir, StoreOptions.defaults().withClock(clock))) {
            // before recovery the decided end already shows: the tombstone wins over the leftover dir
            assertThat(store.get(BranchId.of("halfrolled")).state()).isEqualTo(BranchState.ROLLED_BACK);
            assertThat(store.list()).filteredOn(m -> m.id().value().equals("halfrolled"))
                    .extracting(BranchMetadata::state).containsExactly(BranchState.ROLLED_BACK);
            RecoveryReport r = store.recover();

            assertThat(r.degraded()).extracting(m -> m.id().value()).containsExactlyInAnyOrder("active", "frozen");
            BranchMetadata active = store.get(BranchId.of("active"));
            assertThat(active.state()).isEqualTo(BranchState.DEGRADED);
            assertThat(active.failureReason()).contains("was active", "ctr-1", "no longer supervised");
            assertThat(active.updated()).isEqualTo(T0.plus(Duration.ofMinutes(5)));

            assertThat(r.awaitingCommitRecovery()).extracting(m -> m.id().value()).containsExactly("committing");
            assertThat(store.get(BranchId.of("committing")).state()).isEqualTo(BranchState.COMMITTING);
            assertThat(Files.readString(store.paths(BranchId.of("committing")).upper().resolve("new.txt"))).isEqualTo("pending change");

            assertThat(r.corrupt()).extracting(m -> m.id().value()).containsExactly("corrupt");
            BranchMetadata corrupt = store.get(BranchId.of("corrupt"));
            assertThat(corrupt.state()).isEqualTo(BranchState.FAILED);
            assertThat(corrupt.base()).isNull();
            assertThat(corrupt.failureReason()).contains("corrupt branch metadata", "not valid JSON", "branch.json.corrupt");
            assertThat(root.resolve("corrupt/branch.json.corrupt")).exists();

            assertThat(r.missingDirs()).extracting(m -> m.id().value()).containsExactly("noupper");
            assertThat(store.get(BranchId.of("noupper")).state()).isEqualTo(BranchState.FAILED);
            assertThat(store.get(BranchId.of("noupper")).failureReason()).contains("upper dir", "missing");
            assertThat(root.resolve("nowork/work")).isDirectory();
            assertThat(store.get(BranchId.of("nowork")).state()).isEqualTo(BranchState.READY);
            assertThat(r.problems()).anyMatch(p -> p.contains("nowork") && p.contains("re-created"));

            assertThat(r.orphans()).containsExactlyInAnyOrder("orphan-dir", "not a valid id", "stray-file");
            assertThat(r.finishedRetirements()).containsExactly(BranchId.of("halfrolled"));
            assertThat(store.get(BranchId.of("halfrolled")).state()).isEqualTo(BranchState.ROLLED_BACK);
            assertThat(r.trashDeleted()).containsExactly("old.0123456789abcdef");

            assertThat(store.get(BranchId.of("ready")).state()).isEqualTo(BranchState.READY);
            assertThat(store.get(BranchId.of("review")).state()).isEqualTo(BranchState.REVIEW_PENDING);
            assertThat(r.loaded()).extracting(m -> m.id().value())
                    .containsExactlyInAnyOrder("active", "frozen", "committing", "ready", "noupper", "nowork", "review");
            assertThat(r.isClean()).isFalse();
            assertThat(r.summary()).contains("2 degraded", "1 awaiting commit recovery", "3 orphans");

            assertThat(store.awaitDeletions(Duration.ofMinutes(1))).isTrue();
            assertThat(names(root.resolve(".trash"))).isEmpty();
            assertThat(names(root)).containsExactlyInAnyOrder(".lock", ".tombstones", ".trash", "active", "frozen",
                    "committing", "ready", "corrupt", "noupper", "nowork", "review");
            assertThat(names(root.resolve("ready"))).containsExactly("branch.json", "upper", "work");
            assertThat(names(root.resolve(".tombstones"))).containsExactly("halfrolled.json");
            assertThat(names(base)).containsExactly("README"); // nothing reached the base

            // a second recovery finds only the committing branch still waiting
            RecoveryReport again = store.recover();
            assertThat(again.degraded()).isEmpty();
            assertThat(again.orphans()).isEmpty();
            assertThat(again.corrupt()).isEmpty();
            assertThat(again.trashDeleted()).isEmpty();
            assertThat(again.finishedRetirements()).isEmpty();
            assertThat(again.awaitingCommitRecovery()).extracting(m -> m.id().value()).containsExactly("committing");
        }
    }

    @Test
    void aCleanRootRecoversCleanly() throws Exception {
        Path base = base(tmp);
        try (BranchStore store = BranchStore.open(tmp.resolve("root"))) {
            store.create(request(base, "fine"));
            RecoveryReport r = store.recover();
            assertThat(r.isClean()).isTrue();
            assertThat(r.loaded()).hasSize(1);
        }
    }

    @Test
    void metadataNamingAnotherBranchCountsAsCorrupt() throws Exception {
        Path base = base(tmp);
        try (BranchStore store = BranchStore.open(tmp.resolve("root"))) {
            store.create(request(base, "one"));
            store.create(request(base, "two"));
            Files.copy(store.paths(BranchId.of("one")).metadata(), store.paths(BranchId.of("two")).metadata(),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            RecoveryReport r = store.recover();
            assertThat(r.corrupt()).extracting(m -> m.id().value()).containsExactly("two");
            assertThat(r.corrupt().getFirst().failureReason()).contains("it names branch one");
        }
    }
}
