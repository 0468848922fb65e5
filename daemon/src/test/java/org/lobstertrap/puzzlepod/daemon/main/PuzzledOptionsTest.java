package org.lobstertrap.puzzlepod.daemon.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.BusChoice;

class PuzzledOptionsTest {
    @Test
    void parsesEveryOptionInBothSpellings() throws Exception {
        assertThat(PuzzledOptions.parse(new String[0])).isEqualTo(new PuzzledOptions(null, null, false, false, false));
        assertThat(PuzzledOptions.parse(new String[] {"--config", "/etc/p.yaml", "--bus", "session", "--foreground", "--check-config"}))
                .isEqualTo(new PuzzledOptions(Path.of("/etc/p.yaml"), BusChoice.session(), true, true, false));
        assertThat(PuzzledOptions.parse(new String[] {"--config=/x.yaml", "--bus=unix:path=/run/b,guid=1", "-h"}))
                .isEqualTo(new PuzzledOptions(Path.of("/x.yaml"), BusChoice.address("unix:path=/run/b,guid=1"), false, false, true));
        assertThat(PuzzledOptions.parse(new String[] {"--bus", "system"}).bus()).isEqualTo(BusChoice.system());
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertUsage("unknown argument \"extra\"", "extra");
        assertUsage("--config needs a value", "--config");
        assertUsage("--config needs a file name", "--config=");
        assertUsage("--foreground takes no value", "--foreground=yes");
        assertUsage("--bus must be system, session or a D-Bus address", "--bus", "user");
        assertUsage("unknown argument \"" + "x".repeat(200) + "…\"", "x".repeat(5000));
    }

    private static void assertUsage(String message, String... args) {
        assertThatThrownBy(() -> PuzzledOptions.parse(args)).isInstanceOf(PuzzledOptions.UsageException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith(message));
    }
}
