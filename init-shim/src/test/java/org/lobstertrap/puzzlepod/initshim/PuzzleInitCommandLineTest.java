package org.lobstertrap.puzzlepod.initshim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** puzzle-init's command line, exit codes and confinement, run directly on the host kernel (no container). */
final class PuzzleInitCommandLineTest {
    private static Path shim;

    @TempDir
    Path dir;

    @BeforeAll
    static void findShim() {
        String binary = System.getProperty("puzzle.init.binary");
        if (binary == null)
            fail("system property puzzle.init.binary is not set; run the tests through the init-shim Maven module");
        shim = Path.of(binary).toAbsolutePath();
        if (!Files.isExecutable(shim))
            fail("puzzle-init binary missing at " + shim + "; build it with: mvn -pl init-shim compile");
    }

    private Commands.Outcome shim(String... args) {
        List<String> cmd = new ArrayList<>(List.of(shim.toString()));
        cmd.addAll(List.of(args));
        return Commands.run(cmd);
    }

    private Path rules(String text) throws IOException {
        return Files.writeString(dir.resolve("rules"), text);
    }

    @Test
    void withoutTheSeparatorItPrintsUsageAndExits126() {
        var o = shim("sh");
        assertThat(o.exit()).as(o.all()).isEqualTo(126);
        assertThat(o.stderr()).contains("usage: puzzle-init [--rules FILE] -- AGENT [ARGS...]");

        var noAgent = shim("--rules", "x", "--");
        assertThat(noAgent.exit()).as(noAgent.all()).isEqualTo(126);
        assertThat(noAgent.stderr()).contains("usage:");
    }

    @Test
    void anUnreadableRulesFileExits126() {
        var o = shim("--rules", dir.resolve("absent").toString(), "--", "/bin/true");
        assertThat(o.exit()).as(o.all()).isEqualTo(126);
        assertThat(o.stderr()).contains("cannot open rules file " + dir.resolve("absent")).contains("No such file");
    }

    @Test
    void aBadRulesFileExits126NamingTheLine() throws IOException {
        var o = shim("--rules", rules("version 1\n\nallow-everything\n").toString(), "--", "/bin/true");
        assertThat(o.exit()).as(o.all()).isEqualTo(126);
        assertThat(o.stderr()).isEqualTo("puzzle-init: rules:3: unknown directive 'allow-everything'\n");
    }

    @Test
    void theAgentRunsConfinedAndItsExitCodePassesThrough() throws IOException {
        Path target = dir.resolve("written-by-agent");
        var o = shim("--rules", rules("version 1\nread /\n").toString(), "--", "sh", "-c",
                "echo x > " + target + "; exit 3");

        assertThat(o.exit()).as(o.all()).isEqualTo(3);
        assertThat(o.stderr()).as(o.all()).contains("Permission denied");
        assertThat(target).doesNotExist();
    }

    @Test
    void aMissingAgentExits127WithTheErrno() throws IOException {
        var o = shim("--rules", rules("version 1\nread /\n").toString(), "--", dir.resolve("no-agent").toString());
        assertThat(o.exit()).as(o.all()).isEqualTo(127);
        assertThat(o.stderr()).contains("puzzle-init: cannot execute " + dir.resolve("no-agent") + ": No such file or directory");
    }
}
