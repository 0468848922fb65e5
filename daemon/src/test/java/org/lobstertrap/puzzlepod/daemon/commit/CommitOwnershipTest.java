package org.lobstertrap.puzzlepod.daemon.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/** What a per-user committer may and may not give away, decided before anything is staged. */
class CommitOwnershipTest {
    private static CommitPlan plan(int uid, int gid) {
        Change c = new Change(RelPath.of("src/new.c"), ChangeKind.Added, false, 3, 0100644, uid, gid, null, null, null, 0, null);
        return new CommitPlan(List.of(new CommitPlan.StagedObject(c, 0100000, "1".getBytes())), List.of(), 3);
    }

    private static CommitPlan metadata(int uid, int gid) {
        return new CommitPlan(List.of(), List.of(new CommitOp.SetMetadata(RelPath.of("docs"), 040755, uid, gid)), 0);
    }

    @Test
    void theUsersOwnFilesPass() throws Exception {
        CommitOwnership user = new CommitOwnership(1001, Set.of(1001, 27));
        user.check(plan(1001, 1001));
        user.check(plan(1001, 27));
        user.check(metadata(1001, 1001));
    }

    @Test
    void aSubordinateUidIsRefusedWithACode() {
        CommitOwnership user = new CommitOwnership(1001, Set.of(1001));
        assertThatThrownBy(() -> user.check(plan(100999, 1001))).isInstanceOfSatisfying(CommitException.class, e -> {
            assertThat(e.error()).isEqualTo(CommitError.OWNERSHIP);
            assertThat(e.baseModified()).isFalse();
            assertThat(e.getMessage()).contains("src/new.c").contains("uid 100999").contains("subordinate uid");
        });
        assertThatThrownBy(() -> user.check(metadata(0, 0))).isInstanceOf(CommitException.class).hasMessageContaining("docs");
    }

    @Test
    void aForeignGroupIsRefused() {
        assertThatThrownBy(() -> new CommitOwnership(1001, Set.of(1001)).check(plan(1001, 100999)))
                .isInstanceOfSatisfying(CommitException.class, e -> assertThat(e.error()).isEqualTo(CommitError.OWNERSHIP));
    }

    @Test
    void rootMayGiveAnyOwner() throws Exception {
        new CommitOwnership(0, Set.of(0)).check(plan(100999, 100999));
    }
}
