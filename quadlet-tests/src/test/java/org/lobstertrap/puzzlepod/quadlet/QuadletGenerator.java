package org.lobstertrap.puzzlepod.quadlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real Quadlet generator: podman's own where it has one, else the one quadlets/fetch-generator.sh
 * caches (Debian 12's podman 4.3 ships none). {@link #dryRun} returns the generated units by name.
 */
final class QuadletGenerator {
    /** Where .ci/setup-machine.sh has quadlets/fetch-generator.sh put it. */
    static final Path CACHED = Path.of("/var/cache/puzzlepod/quadlet/root/usr/libexec/podman/quadlet");
    static final Path PODMANS = Path.of("/usr/libexec/podman/quadlet");

    private final Path binary;

    private QuadletGenerator(Path binary) { this.binary = binary; }

    /** The generator to use; fails with what to do when there is none. */
    static QuadletGenerator find() {
        String configured = System.getenv("PUZZLEPOD_QUADLET");
        for (Path p : configured != null && !configured.isBlank() ? List.of(Path.of(configured)) : List.of(PODMANS, CACHED)) {
            if (Files.isExecutable(p)) return new QuadletGenerator(p);
        }
        throw new AssertionError("no Quadlet generator: neither " + PODMANS + " (podman >= 4.4) nor " + CACHED
                + " exists; run quadlets/fetch-generator.sh (.ci/setup-machine.sh does), or set PUZZLEPOD_QUADLET");
    }

    Path binary() { return binary; }

    /** Runs {@code quadlet -dryrun} over one unit directory; the generated units' text by unit name. */
    Map<String, String> dryRun(Path unitDir, boolean user) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-dryrun", "-no-kmsg-log"));
        if (user) cmd.add("-user");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("QUADLET_UNIT_DIRS", unitDir.toString());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("quadlet -dryrun did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("quadlet -dryrun exited " + p.exitValue() + ":\n" + err.join() + out);
        }
        Map<String, String> units = new LinkedHashMap<>();
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("---") && line.endsWith("---") && line.length() > 6) {
                if (name != null) units.put(name, text.toString());
                name = line.substring(3, line.length() - 3);
                text.setLength(0);
            } else if (name != null) {
                text.append(line).append('\n');
            }
        }
        if (name != null) units.put(name, text.toString());
        return units;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
