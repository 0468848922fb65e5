package org.lobstertrap.puzzlepod.daemon.branch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.branch.IllegalBranchTransition;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.branch.StoreFixtures.*;

class BranchStoreTest {
    @TempDir Path tmp;

    private BranchStore open(MutableClock clock) {
        return BranchStore.open(tmp.resolve("root"), StoreOptions.defaults().withClock(clock));
    }

    @Test
    void createPersistsMetadataAndDirsWithSafeModes() throws Exception {
        Path base = base(tmp);
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-x---"));
        try (BranchStore store = open(new MutableClock(T0))) {
            BranchMetadata m = store.create(request(base, "b-one"));
            assertThat(m.state()).isEqualTo(BranchState.READY);
            assertThat(m.base()).isEqualTo(base.toRealPath());
            assertThat(m.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
            BranchPaths p = store.paths(m.id());
            assertThat(p.dir()).isEqualTo(store.root().resolve("b-one"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p.dir()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p.work()))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p.upper()))).isEqualTo("rwxr-x---");
            assertThat(Files.getAttribute(p.upper(), "unix:uid")).isEqualTo(Files.getAttribute(base, "unix:uid"));
            assertThat(names(p.upper())).isEmpty();
            String json = Files.readString(p.metadata());
            assertThat(json).contains("\"state\" : \"ready\"", "\"id\" : \"b-one\"", "\"lifetime\" : \"PT1H\"",
                    "\"overlay\" : \"kernel\"", "\"owner_uid\" : 1000");
            assertThat(names(p.dir())).containsExactly("branch.json", "upper", "work");
            assertThat(p.podmanVolume(m.base())).isEqualTo(m.base() + ":/workspace:O,upperdir=" + p.upper() + ",workdir=" + p.work());
        }
    }

    @Test
    void listAndGetSurviveReopening() throws Exception {
        Path base = base(tmp);
        MutableClock clock = new MutableClock(T0);
        BranchMetadata a, b, c;
        try (BranchStore store = open(clock)) {
            a = store.create(request(base, null));
            clock.advance(Duration.ofSeconds(1));
            b = store.create(request(base, "second"));
            clock.advance(Duration.ofSeconds(1));
            c = store.create(request(base, "third"));
            store.rollback(c.id());
            assertThat(a.id().value()).matches("b-[0-9a-f]{16}");
        }
        try (BranchStore store = open(clock)) {
            assertThat(store.get(a.id())).isEqualTo(a);
            assertThat(store.get(b.id())).isEqualTo(b);
            assertThat(store.list()).extracting(BranchMetadata::id).containsExactly(a.id(), b.id(), c.id());
            assertThat(store.get(c.id()).state()).isEqualTo(BranchState.ROLLED_BACK);
            assertThat(store.listLive()).as("a rolled-back branch is history, not live")
                    .extracting(BranchMetadata::id).containsExactly(a.id(), b.id());
        }
    }

    @Test
    void idsAreNeverReused() throws Exception {
        Path base = base(tmp);
        try (BranchStore store = open(new MutableClock(T0))) {
            store.create(request(base, "same"));
            assertThatThrownBy(() -> store.create(request(base, "same")))
                    .isInstanceOf(BranchAlreadyExists.class).hasMessageContaining("branch same already exists");
            store.rollback(BranchId.of("same"));
            assertThatThrownBy(() -> store.create(request(base, "same"))).isInstanceOf(BranchAlreadyExists.class);
            assertThat(store.get(BranchId.of("same")).state()).isEqualTo(BranchState.ROLLED_BACK);
        }
    }

    @Test
    void badBasesAreRefusedAndLeaveNothingBehind() throws Exception {
        Path base = base(tmp);
        try (BranchStore store = open(new MutableClock(T0))) {
            assertThatThrownBy(() -> store.create(request(tmp.resolve("missing"), "x1")))
                    .isInstanceOf(BranchStoreException.class).hasMessageContaining("does not exist")
                    .satisfies(e -> assertThat(((BranchStoreException) e).code()).isEqualTo("invalid-base"));
            assertThatThrownBy(() -> store.create(request(base.resolve("README"), "x2")))
                    .hasMessageContaining("is not a directory");
            assertThatThrownBy(() -> store.create(request(store.root(), "x3"))).hasMessageContaining("overlaps the branch root");
            assertThatThrownBy(() -> store.create(request(tmp, "x4"))).hasMessageContaining("overlaps the branch root");
            Path comma = Files.createDirectories(tmp.resolve("a,b"));
            assertThatThrownBy(() -> store.create(request(comma, "x5"))).hasMessageContaining("contains ',' or ':'");
            Path colon = Files.createDirectories(tmp.resolve("a:b"));
            assertThatThrownBy(() -> store.create(request(colon, "x6"))).hasMessageContaining("contains ',' or ':'");
            assertThat(names(store.root())).containsExactly(".lock", ".tombstones", ".trash");
        }
        assertThatThrownBy(() -> BranchStore.open(tmp.resolve("root,x"))).isInstanceOf(BranchStoreException.class)
                .hasMessageContaining("contains ',' or ':'");
        assertThat(tmp.resolve("root,x")).doesNotExist();
    }

    @Test
    void transitionsArePersistedAndIllegalOnesChangeNothing() throws Exception {
        Path base = base(tmp);
        MutableClock clock = new MutableClock(T0);
        try (BranchStore store = open(clock)) {
            BranchId id = store.create(request(base, "life")).id();
            clock.advance(Duration.ofMinutes(1));
            store.transition(id, BranchState.ACTIVE, null);
            store.setContainerId(id, "c0ffee");
            store.transition(id, BranchState.FROZEN, null);
            assertThatThrownBy(() -> store.transition(id, BranchState.COMMITTED, null))
                    .isInstanceOf(IllegalBranchTransition.class)
                    .hasMessageStartingWith("branch life: cannot go from frozen to committed");
            assertThatThrownBy(() -> store.transition(id, BranchState.FAILED, null)).hasMessageContaining("needs a reason");
        }
        try (BranchStore store = open(clock)) {
            BranchMetadata m = store.get(BranchId.of("life"));
            assertThat(m.state()).isEqualTo(BranchState.FROZEN);
            assertThat(m.containerId()).isEqualTo("c0ffee");
            assertThat(m.updated()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        }
    }

    @Test
    void rollbackMovesTheBranchAwayAtOnceAndDeletesItLater() throws Exception {
        Path base = base(tmp);
        GatedExecutor gate = new GatedExecutor();
        try (BranchStore store = BranchStore.open(tmp.resolve("root"), StoreOptions.defaults().withDeletionExecutor(gate))) {
            BranchMetadata m = store.create(request(base, "doomed"));
            BranchPaths p = store.paths(m.id());
            fill(p.upper(), 200);
            BranchMetadata rolled = store.rollback(m.id());

            assertThat(rolled.state()).isEqualTo(BranchState.ROLLED_BACK);
            assertThat(Files.exists(p.dir())).as("branch dir gone from its place").isFalse();
            assertThat(store.get(m.id()).state()).isEqualTo(BranchState.ROLLED_BACK);
            List<String> trash = names(store.root().resolve(".trash"));
            assertThat(trash).hasSize(1).allMatch(n -> n.startsWith("doomed."));
            assertThat(names(store.root().resolve(".trash").resolve(trash.getFirst()).resolve("upper"))).hasSize(10);
            assertThat(store.pendingDeletions()).hasSize(1);
            assertThat(gate.queued()).isEqualTo(1);
            assertThat(Files.readString(base.resolve("README"))).isEqualTo("base content\n");

            gate.release();
            assertThat(names(store.root().resolve(".trash"))).isEmpty();
            assertThat(store.pendingDeletions()).isEmpty();

            // idempotent: same record back, nothing new scheduled
            assertThat(store.rollback(m.id())).isEqualTo(rolled);
            assertThat(gate.queued()).isZero();
        }
    }

    @Test
    void rollbackWithTheDefaultBackgroundThreadDeletesEverything() throws Exception {
        Path base = base(tmp);
        try (BranchStore store = BranchStore.open(tmp.resolve("root"))) {
            BranchMetadata m = store.create(request(base, "bg"));
            fill(store.paths(m.id()).upper(), 500);
            Files.createSymbolicLink(store.paths(m.id()).upper().resolve("escape"), base);
            store.rollback(m.id());
            assertThat(store.awaitDeletions(Duration.ofMinutes(1))).isTrue();
            assertThat(names(store.root().resolve(".trash"))).isEmpty();
            assertThat(names(base)).containsExactly("README"); // the symlink was removed, not followed
        }
    }

    @Test
    void commitRetiresTheBranchAndFinalStatesRefuseEverythingElse() throws Exception {
        Path base = base(tmp);
        GatedExecutor gate = new GatedExecutor();
        try (BranchStore store = BranchStore.open(tmp.resolve("root"), StoreOptions.defaults().withDeletionExecutor(gate))) {
            BranchId id = store.create(request(base, "done")).id();
            store.transition(id, BranchState.COMMITTING, null);
            BranchMetadata committed = store.transition(id, BranchState.COMMITTED, null);
            assertThat(committed.state()).isEqualTo(BranchState.COMMITTED);
            assertThat(Files.exists(store.paths(id).dir())).isFalse();
            assertThat(store.get(id)).isEqualTo(committed);
            assertThatThrownBy(() -> store.rollback(id)).isInstanceOf(IllegalBranchTransition.class)
                    .hasMessage("branch done: cannot go from committed to rolled-back (committed is final)");
            assertThatThrownBy(() -> store.transition(id, BranchState.ACTIVE, null))
                    .hasMessage("branch done: cannot go from committed to active (committed is final)");
            assertThatThrownBy(() -> store.setContainerId(id, "x")).hasMessageContaining("is committed");
            gate.release();
        }
    }

    @Test
    void attachingAContainerRecordsItAndActivatesAReadyBranchDurably() throws Exception {
        Path base = base(tmp);
        MutableClock clock = new MutableClock(T0);
        try (BranchStore store = open(clock)) {
            BranchId ready = store.create(request(base, "fresh")).id();
            BranchId frozen = store.create(request(base, "cold")).id();
            store.transition(frozen, BranchState.ACTIVE, null);
            store.transition(frozen, BranchState.FROZEN, null);
            clock.advance(Duration.ofMinutes(2));
            BranchMetadata m = store.attachContainer(ready, "c0ffee");
            assertThat(m.state()).isEqualTo(BranchState.ACTIVE);
            assertThat(m.containerId()).isEqualTo("c0ffee");
            assertThat(store.attachContainer(frozen, "beef").state()).as("only a ready branch becomes active").isEqualTo(BranchState.FROZEN);
            store.transition(frozen, BranchState.COMMITTING, null);
            store.transition(frozen, BranchState.COMMITTED, null);
            assertThatThrownBy(() -> store.attachContainer(frozen, "x")).hasMessageContaining("is committed");
        }
        try (BranchStore store = open(clock)) {
            BranchMetadata m = store.get(BranchId.of("fresh"));
            assertThat(m.state()).isEqualTo(BranchState.ACTIVE);
            assertThat(m.containerId()).isEqualTo("c0ffee");
            assertThat(m.updated()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        }
    }

    @Test
    void anOperatorCannotRollBackACommitInProgressButTheCommitFlowCan() throws Exception {
        Path base = base(tmp);
        GatedExecutor gate = new GatedExecutor();
        try (BranchStore store = BranchStore.open(tmp.resolve("root"), StoreOptions.defaults().withDeletionExecutor(gate))) {
            BranchId id = store.create(request(base, "busy")).id();
            store.transition(id, BranchState.COMMITTING, null);
            assertThatThrownBy(() -> store.rollback(id)).isInstanceOf(org.lobstertrap.puzzlepod.core.branch.BranchException.class)
                    .hasMessageContaining("branch busy is committing")
                    .satisfies(e -> assertThat(((org.lobstertrap.puzzlepod.core.branch.BranchException) e).code()).isEqualTo("commit-in-progress"));
            assertThat(store.paths(id).dir()).isDirectory();
            // a policy rejected the changes: the commit flow rolls the branch back
            assertThat(store.transition(id, BranchState.ROLLED_BACK, null).state()).isEqualTo(BranchState.ROLLED_BACK);
            assertThat(store.paths(id).dir()).doesNotExist();
            gate.release();
        }
    }

    @Test
    void twoStoresOnOneRootInOneProcessDoNotTripOverEachOther() throws Exception {
        Path base = base(tmp);
        try (BranchStore a = BranchStore.open(tmp.resolve("root")); BranchStore b = BranchStore.open(tmp.resolve("root"))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<?> fa = pool.submit(() -> { for (int i = 0; i < 5; i++) a.create(request(base, "a" + i)); return null; });
            Future<?> fb = pool.submit(() -> { for (int i = 0; i < 5; i++) b.create(request(base, "b" + i)); return null; });
            fa.get();
            fb.get();
            pool.shutdown();
            assertThat(a.list()).hasSize(10);
            assertThat(b.get(BranchId.of("a4")).state()).isEqualTo(BranchState.READY);
        }
    }

    @Test
    void corruptMetadataIsReportedNotGuessed() throws Exception {
        Path base = base(tmp);
        try (BranchStore store = open(new MutableClock(T0))) {
            store.create(request(base, "good"));
            BranchId bad = store.create(request(base, "bad")).id();
            Files.writeString(store.paths(bad).metadata(), "{\"format\":1,\"id\":\"bad\",\"state\":\"ACTIVE\"}");
            assertThat(store.list()).extracting(m -> m.id().value()).containsExactly("good");
            assertThatThrownBy(() -> store.get(bad)).isInstanceOf(BranchStoreException.class)
                    .hasMessageContaining("corrupt branch metadata").hasMessageContaining("bad/branch.json")
                    .satisfies(e -> assertThat(((BranchStoreException) e).code()).isEqualTo("corrupt-metadata"));
            Files.writeString(store.paths(bad).metadata(), "{\"format\":2}");
            assertThatThrownBy(() -> store.get(bad)).hasMessageContaining("unknown format 2");
        }
    }

    @Test
    void unknownBranchesAreReportedAsNotFound() throws Exception {
        try (BranchStore store = open(new MutableClock(T0))) {
            BranchId id = BranchId.of("nope");
            assertThatThrownBy(() -> store.get(id)).isInstanceOf(BranchNotFound.class).hasMessage("branch nope does not exist");
            assertThatThrownBy(() -> store.rollback(id)).isInstanceOf(BranchNotFound.class);
            assertThatThrownBy(() -> store.transition(id, BranchState.ACTIVE, null)).isInstanceOf(BranchNotFound.class);
        }
    }

    @Test
    void unusableRootsGiveClearErrors() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> BranchStore.open(file)).isInstanceOf(BranchStoreException.class)
                .hasMessage("branch root " + file + " is not a directory")
                .satisfies(e -> assertThat(((BranchStoreException) e).code()).isEqualTo("root-unusable"));
        assertThatThrownBy(() -> BranchStore.open(file.resolve("sub"))).isInstanceOf(BranchStoreException.class)
                .hasMessageContaining("is not usable");

        Path base = base(tmp);
        Path root = tmp.resolve("vanishing");
        BranchStore store = BranchStore.open(root);
        try {
            BranchId id = store.create(request(base, "v")).id();
            new NioTreeRemover().removeTree(root);
            assertThatThrownBy(() -> store.get(id)).isInstanceOf(BranchStoreException.class)
                    .hasMessage("branch root " + root + " vanished");
            assertThatThrownBy(() -> store.create(request(base, "w"))).isInstanceOf(BranchStoreException.class)
                    .hasMessageContaining("vanished")
                    .satisfies(e -> assertThat(((BranchStoreException) e).code()).isEqualTo("root-unusable"));
            assertThatThrownBy(store::list).hasMessageContaining("vanished");
        } finally {
            store.close();
        }
    }

    @Test
    void aRootThatCannotBeWrittenIsRefused() throws Exception {
        // root bypasses permission bits; the immutable attribute stops even root
        Path root = Files.createDirectories(tmp.resolve("immutable"));
        Process p = new ProcessBuilder("chattr", "+i", root.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("chattr +i must work on the temp dir's file system: " + out).isZero();
        try {
            assertThatThrownBy(() -> BranchStore.open(root)).isInstanceOf(BranchStoreException.class)
                    .hasMessageContaining("branch root " + root + " is not usable")
                    .satisfies(e -> assertThat(((BranchStoreException) e).code()).isEqualTo("root-unusable"));
        } finally {
            new ProcessBuilder("chattr", "-i", root.toString()).start().waitFor();
        }
    }

    @Test
    void concurrentCallsAreSerialisedSafely() throws Exception {
        Path base = base(tmp);
        try (BranchStore store = BranchStore.open(tmp.resolve("root"))) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < 6; i++) {
                            BranchId id = store.create(request(base, "t" + thread + "-" + i)).id();
                            store.transition(id, BranchState.ACTIVE, null);
                            if (i % 2 == 0) store.rollback(id);
                            else store.transition(id, BranchState.FROZEN, null);
                            store.list();
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
            pool.shutdown();
            assertThat(errors).isEmpty();
            List<BranchMetadata> all = store.list();
            assertThat(all).hasSize(36);
            assertThat(all).filteredOn(m -> m.state() == BranchState.ROLLED_BACK).hasSize(18);
            assertThat(all).filteredOn(m -> m.state() == BranchState.FROZEN).hasSize(18);
        }
    }
}
