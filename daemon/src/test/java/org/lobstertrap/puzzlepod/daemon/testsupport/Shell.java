package org.lobstertrap.puzzlepod.daemon.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** Runs external tools (podman, mount, …) for tests on real parts; a missing tool fails the test with what is missing. */
public final class Shell {
    public static final String IMAGE = "localhost/puzzlepod-test:latest";

    private Shell() {}

    public record Outcome(int exit, String output) {}

    public static Outcome run(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return fail("cannot run " + command.getFirst() + " (is it installed? .ci/setup-machine.sh installs it): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted: " + command);
        }
    }

    /** Runs the command and fails the test unless it exits 0. */
    public static String ok(List<String> command) {
        Outcome o = run(command);
        if (o.exit() != 0) fail("command failed with exit " + o.exit() + ": " + command + "\n" + o.output());
        return o.output();
    }

    /** Fails the test when podman or the local test image is missing. */
    public static void requirePodmanImage() {
        Outcome o = run(List.of("podman", "image", "exists", IMAGE));
        if (o.exit() != 0)
            fail("the test image " + IMAGE + " is missing (podman image exists: exit " + o.exit() + " " + o.output()
                    + "); build it with .ci/setup-machine.sh");
    }

    /** Runs {@code script} with /workspace as a kernel-overlay branch of base, writing into upper/work. */
    public static void podmanBranch(java.nio.file.Path base, java.nio.file.Path upper, java.nio.file.Path work, String script) {
        requirePodmanImage();
        ok(List.of("podman", "run", "--rm", "--network=none",
                "-v", base + ":/workspace:O,upperdir=" + upper + ",workdir=" + work,
                IMAGE, "sh", "-euc", script));
    }
}
