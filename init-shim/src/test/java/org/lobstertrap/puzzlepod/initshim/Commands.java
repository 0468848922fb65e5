package org.lobstertrap.puzzlepod.initshim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Runs podman and the puzzle-init binary for the tests; a missing tool or image fails the test saying what is missing. */
final class Commands {
    static final String IMAGE = "localhost/puzzlepod-test:latest";

    private Commands() {}

    /** What a finished command left behind. */
    record Outcome(int exit, String stdout, String stderr) {
        String all() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    static Outcome run(List<String> command) {
        try {
            Path out = Files.createTempFile("pz-out", ".txt");
            Path err = Files.createTempFile("pz-err", ".txt");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                p.getOutputStream().close();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return fail("timed out after 120 s: " + command);
                }
                return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return fail("cannot run " + command.getFirst() + " (is it installed?): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted: " + command);
        }
    }

    /** Runs the command and fails the test unless it exits 0. */
    static Outcome ok(List<String> command) {
        Outcome o = run(command);
        if (o.exit() != 0) fail("command failed: " + command + "\n" + o.all());
        return o;
    }

    /** Fails the test when podman or the local test image is missing. */
    static void requireImage() {
        Outcome o = run(List.of("podman", "image", "exists", IMAGE));
        if (o.exit() != 0)
            fail("the test image " + IMAGE + " is missing (podman image exists: " + o.all() + ")");
    }
}
