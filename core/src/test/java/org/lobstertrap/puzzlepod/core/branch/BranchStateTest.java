package org.lobstertrap.puzzlepod.core.branch;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.core.branch.BranchState.*;

class BranchStateTest {
    private static final BranchId ID = BranchId.of("b-1");

    /** The table as the design states it, written independently of the implementation's. */
    private static final Map<BranchState, Set<BranchState>> EXPECTED = Map.of(
            READY, Set.of(ACTIVE, COMMITTING, ROLLED_BACK, FAILED),
            ACTIVE, Set.of(READY, FROZEN, COMMITTING, ROLLED_BACK, FAILED, DEGRADED),
            FROZEN, Set.of(ACTIVE, COMMITTING, ROLLED_BACK, FAILED, DEGRADED),
            COMMITTING, Set.of(COMMITTED, REVIEW_PENDING, ROLLED_BACK, FAILED),
            REVIEW_PENDING, Set.of(COMMITTING, ROLLED_BACK, FAILED),
            FAILED, Set.of(COMMITTING, ROLLED_BACK),
            DEGRADED, Set.of(COMMITTING, ROLLED_BACK, FAILED),
            COMMITTED, Set.of(),
            ROLLED_BACK, Set.of(ROLLED_BACK));

    @Test
    void wireSpellingsAreExactlyTheDocumentedOnes() {
        List<String> wires = new ArrayList<>();
        for (BranchState s : values()) wires.add(s.wire());
        assertThat(wires).containsExactly("ready", "active", "frozen", "committing", "review-pending", "committed",
                "rolled-back", "failed", "degraded");
        for (BranchState s : values()) {
            assertThat(fromWire(s.wire())).isSameAs(s);
            assertThat(s.toString()).isEqualTo(s.wire());
        }
    }

    @Test
    void fromWireAcceptsNoOtherSpelling() {
        for (String bad : List.of("READY", "Ready", "rolled_back", "ROLLED_BACK", "rolledback", "review_pending", "", " ready")) {
            assertThatThrownBy(() -> fromWire(bad)).isInstanceOf(BranchException.class)
                    .hasMessageContaining("unknown branch state")
                    .satisfies(e -> assertThat(((BranchException) e).code()).isEqualTo("invalid-state"));
        }
    }

    @Test
    void everyPairIsLegalExactlyWhenTheTableSaysSo() {
        int legal = 0, illegal = 0;
        for (BranchState from : values()) {
            for (BranchState to : values()) {
                boolean expected = EXPECTED.get(from).contains(to);
                assertThat(from.canGoTo(to)).as(from + " -> " + to).isEqualTo(expected);
                if (expected) {
                    from.checkTransition(ID, to);
                    legal++;
                } else {
                    assertThatThrownBy(() -> from.checkTransition(ID, to))
                            .isInstanceOf(IllegalBranchTransition.class)
                            .hasMessageStartingWith("branch b-1: cannot go from " + from.wire() + " to " + to.wire());
                    illegal++;
                }
            }
        }
        assertThat(legal).isEqualTo(28);
        assertThat(illegal).isEqualTo(81 - 28);
    }

    @Test
    void illegalTransitionMessageAndFields() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalBranchTransition.class,
                () -> COMMITTED.checkTransition(ID, ACTIVE));
        assertThat(e.getMessage()).isEqualTo("branch b-1: cannot go from committed to active (committed is final)");
        assertThat(e.code()).isEqualTo("illegal-transition");
        assertThat(e.branch()).isEqualTo(ID);
        assertThat(e.from()).isEqualTo(COMMITTED);
        assertThat(e.to()).isEqualTo(ACTIVE);
        assertThatThrownBy(() -> READY.checkTransition(ID, COMMITTED))
                .hasMessage("branch b-1: cannot go from ready to committed (from ready it can go to active, committing, rolled-back, failed)");
    }

    @Test
    void terminalStatesAcceptOnlyRepeatedRollback() {
        assertThat(COMMITTED.successors()).isEmpty();
        assertThat(ROLLED_BACK.successors()).containsExactly(ROLLED_BACK);
        assertThat(COMMITTED.isTerminal()).isTrue();
        assertThat(ROLLED_BACK.isTerminal()).isTrue();
        for (BranchState s : values()) if (s != COMMITTED && s != ROLLED_BACK) assertThat(s.isTerminal()).isFalse();
    }

    @Property(tries = 300)
    void randomSequencesFollowTheTable(@ForAll("sequences") List<BranchState> targets) {
        BranchMetadata m = BranchMetadata.newBranch(ID, 0, "p", Path.of("/base"), Duration.ofHours(1),
                OverlayFlavour.KERNEL, Instant.EPOCH);
        Instant t = Instant.EPOCH;
        for (BranchState target : targets) {
            t = t.plusSeconds(1);
            BranchState before = m.state();
            if (EXPECTED.get(before).contains(target)) {
                m = m.transition(target, t, "because");
                assertThat(m.state()).isEqualTo(target);
                assertThat(m.updated()).isEqualTo(t);
            } else {
                BranchMetadata unchanged = m;
                Instant now = t;
                assertThatThrownBy(() -> unchanged.transition(target, now, "because"))
                        .isInstanceOf(IllegalBranchTransition.class);
                assertThat(m.state()).isEqualTo(before);
            }
            // once final, a branch never leaves its final state
            if (before.isTerminal()) assertThat(m.state()).isEqualTo(before);
        }
    }

    @Provide
    Arbitrary<List<BranchState>> sequences() {
        return Arbitraries.of(BranchState.class).list().ofMinSize(0).ofMaxSize(30);
    }
}
