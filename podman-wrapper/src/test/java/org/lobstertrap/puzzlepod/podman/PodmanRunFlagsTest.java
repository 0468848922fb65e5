package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The flag table equals what the installed podman's {@code run --help} lists. */
class PodmanRunFlagsTest {
    @Test
    void tableMatchesTheInstalledPodman() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("podman", "run", "--help").redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("podman is missing (apt-get install podman; .ci/setup-machine.sh does this)", e);
        }
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(help).isZero();
        Map<String, PodmanRunFlags.Entry> installed = PodmanRunFlags.parseHelp(help);
        assertThat(installed).as("parsed from podman run --help").hasSizeGreaterThan(100);
        assertThat(PodmanRunFlags.table()).isEqualTo(installed);
    }

    @Test
    void helpLinesAreReadRight() {
        Map<String, PodmanRunFlags.Entry> t = PodmanRunFlags.parseHelp("""
                Options:
                  -e, --env stringArray       Set environment variables
                      --help                  \s
                  -m, --memory <number>[<unit>]   Memory limit
                      --rm                    Remove container
                """);
        assertThat(t).containsExactlyInAnyOrderEntriesOf(Map.of(
                "env", new PodmanRunFlags.Entry(true, 'e'), "help", new PodmanRunFlags.Entry(false, (char) 0),
                "memory", new PodmanRunFlags.Entry(true, 'm'), "rm", new PodmanRunFlags.Entry(false, (char) 0)));
    }
}
