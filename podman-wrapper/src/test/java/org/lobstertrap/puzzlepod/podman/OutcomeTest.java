package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every decision outcome: the printed line and the documented exit code. */
class OutcomeTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private int decision(String json, int containerExit) throws Exception {
        buf.reset();
        return Outcome.reportDecision(JsonValue.parse(json), "b9", null, containerExit, err);
    }

    private String printed() { return buf.toString(StandardCharsets.UTF_8); }

    @Test
    void eachOutcomeHasItsExitCode() throws Exception {
        assertThat(decision("{\"outcome\":\"committed\",\"files\":3,\"bytes\":10,\"changes\":4}", 7)).isEqualTo(7);
        assertThat(printed()).isEqualTo("puzzle-podman: committed branch b9: 3 files, 10 bytes (4 changes)\n");
        assertThat(decision("{\"outcome\":\"rejected\",\"violations\":[{\"rule\":\"r\",\"severity\":\"high\",\"message\":\"m\"}]}", 0))
                .isEqualTo(ExitCodes.REJECTED);
        assertThat(printed()).contains("  [high] r: m");
        assertThat(decision("{\"outcome\":\"rolled-back\",\"reason\":\"on_exit=rollback\"}", 0)).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(decision("{\"outcome\":\"conflict\",\"reason\":\"src/a.c committed by b3\"}", 0)).isEqualTo(ExitCodes.CONFLICT);
        assertThat(printed()).contains("conflict: src/a.c committed by b3; branch b9 is kept for inspection");
        assertThat(decision("{\"outcome\":\"review-pending\"}", 0)).isEqualTo(ExitCodes.REVIEW_PENDING);
        assertThat(printed()).contains("agent approve b9");
        assertThat(decision("{\"outcome\":\"failed\",\"reason\":\"no policy\",\"state\":\"rolled-back\"}", 0)).isEqualTo(ExitCodes.DAEMON_ERROR);
        assertThat(printed()).contains("the gate could not decide on branch b9: no policy");
        assertThat(decision("{\"outcome\":\"failed\",\"state\":\"review-pending\"}", 0)).as("fail mode operational").isEqualTo(ExitCodes.REVIEW_PENDING);
        assertThat(decision("{\"outcome\":\"weird\"}", 0)).isEqualTo(ExitCodes.INTERNAL);
    }

    @Test
    void warningsArePrinted() throws Exception {
        decision("{\"outcome\":\"committed\",\"warnings\":[\"big change\",{\"rule\":\"w\",\"severity\":\"low\",\"message\":\"x\"}]}", 0);
        assertThat(printed()).contains("warning: big change", "warning: [low] w: x");
    }

    @Test
    void aBranchDecidedWithoutAGateRun() throws Exception {
        buf.reset();
        assertThat(Outcome.reportBranch(JsonValue.parse("{\"id\":\"b9\",\"state\":\"rolled-back\",\"failure_reason\":\"expired\",\"decision\":null}"), 0, err))
                .isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(printed()).contains("branch b9 rolled back: expired");
        assertThat(Outcome.reportBranch(JsonValue.parse("{\"id\":\"b9\",\"state\":\"failed\"}"), 0, err)).isEqualTo(ExitCodes.DAEMON_ERROR);
    }
}
