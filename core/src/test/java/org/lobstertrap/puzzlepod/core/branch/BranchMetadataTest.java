package org.lobstertrap.puzzlepod.core.branch;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BranchMetadataTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static BranchMetadata fresh() {
        return BranchMetadata.newBranch(BranchId.of("b-1"), 1000, "standard", Path.of("/srv/ws"),
                Duration.ofMinutes(30), OverlayFlavour.KERNEL, T0);
    }

    @Test
    void newBranchIsReadyAndExpiresAfterItsLifetime() {
        BranchMetadata m = fresh();
        assertThat(m.state()).isEqualTo(BranchState.READY);
        assertThat(m.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
        assertThat(m.created()).isEqualTo(T0);
        assertThat(m.updated()).isEqualTo(T0);
        assertThat(m.containerId()).isNull();
        assertThat(m.failureReason()).isNull();
        assertThat(m.isExpired(T0.plusSeconds(1799))).isFalse();
        assertThat(m.isExpired(T0.plusSeconds(1800))).isTrue();
    }

    @Test
    void failedNeedsAReasonAndKeepsItAfterRollback() {
        BranchMetadata m = fresh();
        assertThatThrownBy(() -> m.transition(BranchState.FAILED, T0, null)).hasMessageContaining("needs a reason");
        BranchMetadata failed = m.transition(BranchState.FAILED, T0.plusSeconds(5), "disk full");
        BranchMetadata gone = failed.transition(BranchState.ROLLED_BACK, T0.plusSeconds(6), null);
        assertThat(gone.failureReason()).isEqualTo("disk full");
        assertThat(gone.updated()).isEqualTo(T0.plusSeconds(6));
        assertThat(gone.transition(BranchState.ROLLED_BACK, T0.plusSeconds(7), null).state()).isEqualTo(BranchState.ROLLED_BACK);
    }

    @Test
    void containerIdCanBeSetAndCleared() {
        BranchMetadata m = fresh().withContainerId("abc123", T0.plusSeconds(1));
        assertThat(m.containerId()).isEqualTo("abc123");
        assertThat(m.updated()).isEqualTo(T0.plusSeconds(1));
        assertThat(m.withContainerId(null, T0.plusSeconds(2)).containerId()).isNull();
        assertThat(m.withContainerId("  ", T0.plusSeconds(2)).containerId()).isNull();
    }

    @Test
    void refusesInconsistentRecords() {
        BranchId id = BranchId.of("b-2");
        assertThatThrownBy(() -> BranchMetadata.newBranch(id, 0, "p", Path.of("relative"), Duration.ofHours(1), OverlayFlavour.FUSE, T0))
                .hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> BranchMetadata.newBranch(id, 0, "p", Path.of("/b"), Duration.ZERO, OverlayFlavour.FUSE, T0))
                .hasMessageContaining("lifetime must be positive");
        assertThatThrownBy(() -> BranchMetadata.newBranch(id, -1, "p", Path.of("/b"), Duration.ofHours(1), OverlayFlavour.FUSE, T0))
                .hasMessageContaining("owner uid -1");
        assertThatThrownBy(() -> BranchMetadata.newBranch(id, 0, "p", null, Duration.ofHours(1), OverlayFlavour.FUSE, T0))
                .hasMessageContaining("without a base path must be failed");
    }

    @Test
    void overlayFlavourWireSpellings() {
        assertThat(OverlayFlavour.fromWire("kernel")).isEqualTo(OverlayFlavour.KERNEL);
        assertThat(OverlayFlavour.fromWire("kernel-userxattr")).isEqualTo(OverlayFlavour.KERNEL_USERXATTR);
        assertThat(OverlayFlavour.fromWire("fuse")).isEqualTo(OverlayFlavour.FUSE);
        assertThatThrownBy(() -> OverlayFlavour.fromWire("KERNEL")).isInstanceOf(BranchException.class)
                .hasMessageContaining("unknown overlay flavour");
    }
}
