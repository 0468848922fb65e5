package org.lobstertrap.puzzlepod.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExitLedgerTest {
    static String id(int n) { return String.format("%064x", n); }

    @Test
    void awaitReturnsAnExitThatArrivesLater() throws Exception {
        ExitLedger ledger = new ExitLedger(10);
        Thread.ofPlatform().start(() -> {
            try { Thread.sleep(50); } catch (InterruptedException e) { return; }
            ledger.record(new ContainerExit(id(1), 7, Instant.now()));
        });
        assertThat(ledger.await(id(1), Duration.ofSeconds(10))).hasValueSatisfying(e -> assertThat(e.exitCode()).isEqualTo(7));
    }

    @Test
    void awaitGivesUpAfterTheTimeout() throws Exception {
        assertThat(new ExitLedger(10).await(id(2), Duration.ofMillis(20))).isEmpty();
    }

    @Test
    void theOldestEntriesAreForgotten() {
        ExitLedger ledger = new ExitLedger(3);
        for (int i = 0; i < 5; i++) ledger.record(new ContainerExit(id(i), i, Instant.now()));
        assertThat(ledger.size()).isEqualTo(3);
        assertThat(ledger.find(id(0))).isEmpty();
        assertThat(ledger.find(id(4))).hasValueSatisfying(e -> assertThat(e.exitCode()).isEqualTo(4));
    }
}
