package org.lobstertrap.puzzlepod.daemon.dbus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the emitter does without a bus (the bus path is in ManagerObjectBusTest). */
class SignalEmitterTest {
    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        try (SignalEmitter e = new SignalEmitter(2)) {
            e.branchCreated("a", "{}");
            e.branchCommitted("b", "{}");
            e.policyViolation("c", "{}"); // returns (no sender drains the queue): dropped, not waited for
            assertThat(e.droppedCount()).isEqualTo(1);
            assertThat(e.sentCount()).isZero();
        }
    }

    @Test
    void eventsAfterCloseAreDropped() {
        SignalEmitter e = new SignalEmitter(8);
        e.close();
        e.reviewPending("a", "{}");
        assertThat(e.droppedCount()).isEqualTo(1);
    }
}
