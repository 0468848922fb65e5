package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;
import org.junit.jupiter.api.Test;

class OrphanedContainersTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static BranchMetadata branch(String id, String container) {
        BranchMetadata m = BranchMetadata.newBranch(BranchId.of(id), 0, "default", Path.of("/srv/base"),
                Duration.ofHours(1), OverlayFlavour.KERNEL, NOW);
        return container == null ? m : m.withContainerId(container, NOW).transition(BranchState.ACTIVE, NOW, null);
    }

    @Test
    void reportsLiveBranchesWhoseContainerIsNotSupervised() {
        BranchMetadata held = branch("held", "c-held");
        BranchMetadata orphan = branch("orphan", "c-orphan");
        BranchMetadata noContainer = branch("idle", null);
        BranchMetadata done = branch("done", "c-done").transition(BranchState.ROLLED_BACK, NOW, null);
        assertThat(OrphanedContainers.find(List.of(held, orphan, noContainer, done), Set.of("c-held")))
                .containsExactly(orphan);
    }
}
