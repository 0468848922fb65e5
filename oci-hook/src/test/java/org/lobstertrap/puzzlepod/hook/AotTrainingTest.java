package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The AOT training run must succeed or the cache misses the classes of a real start. */
class AotTrainingTest {
    @Test
    void precreateSucceedsAgainstTheInProcessStandIn() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AotTraining.run(new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
