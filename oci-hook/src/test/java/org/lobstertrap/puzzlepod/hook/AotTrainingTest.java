package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/** The AOT training run must succeed (all three stages) or the cache misses the classes of a real start. */
class AotTrainingTest {
    @TempDir Path dir;

    @Test
    void allThreeStagesSucceedAgainstTheInProcessStandIn() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (DbusDaemon bus = DbusDaemon.startSession(dir.resolve("bus"), false)) {
            int status = AotTraining.run(bus.address(), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void withoutABusItSaysWhatIsMissing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(AotTraining.run(null, new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(HookError.USAGE.exitStatus());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("dbus-run-session");
    }
}
