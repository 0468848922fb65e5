package org.lobstertrap.puzzlepod.quadlet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.lobstertrap.puzzlepod.testkit.PuzzledInstance;

/**
 * The governed stack as an installed system runs it, from this build's class path: a real puzzled
 * ({@code PuzzledMain}) on a private system-type D-Bus with the product's bus policy, the shipped profiles and
 * policies, and the shipped hooks.d files in a private hooks dir pointing at this build's {@code puzzle-hook}.
 * {@link #podman()} is the podman command that uses those hooks; {@link #ctl} runs the real {@code puzzlectl}.
 */
final class PuzzledStack implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROFILE_ANNOTATION = "org\\.lobstertrap\\.puzzlepod\\.profile";

    private final DbusDaemon bus;
    private final PuzzledInstance puzzled;
    private final Path hooks;

    private PuzzledStack(DbusDaemon bus, PuzzledInstance puzzled, Path hooks) {
        this.bus = bus;
        this.puzzled = puzzled;
        this.hooks = hooks;
    }

    static PuzzledStack start(Path dir) throws Exception {
        Path repo = RepoFiles.root();
        DbusDaemon bus = DbusDaemon.startSystem(dir.resolve("bus"),
                List.of(repo.resolve("daemon/src/main/resources/dbus/org.lobstertrap.PuzzlePod1.conf")));
        PuzzledInstance puzzled = null;
        try {
            Path etc = dir.resolve("etc");
            copyAll(repo.resolve("profiles"), Files.createDirectories(etc.resolve("profiles")), ".yaml");
            copyAll(repo.resolve("policies"), Files.createDirectories(etc.resolve("policies")), ".rego");
            Path state = dir.resolve("state");
            Path config = Files.writeString(dir.resolve("puzzled.yaml"), """
                    branch_root: %s
                    profiles_dir: %s
                    policies_dir: %s
                    runtime_dir: %s
                    audit_dir: %s
                    network: {proxy_port: 0, dns_port: 0}  # any free ports: private daemons may run side by side
                    """.formatted(state.resolve("branches"), etc.resolve("profiles"), etc.resolve("policies"),
                    dir.resolve("run"), state.resolve("audit")));
            puzzled = PuzzledInstance.start(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-XX:+UseSerialGC",
                    "-Djava.util.logging.config.file=/dev/null", "-cp", classPath(), PuzzledInstance.MAIN, "--foreground"),
                    config, bus.address(), dir);
            try {
                puzzled.awaitReady(60);
            } catch (IllegalStateException e) {
                throw new AssertionError(e.getMessage(), e);
            }
            return new PuzzledStack(bus, puzzled, installHooks(repo, dir, dir.resolve("run")));
        } catch (Exception | AssertionError e) {
            if (puzzled != null) puzzled.close();
            bus.close();
            throw e;
        }
    }

    /** The podman command with the product's hooks: {@code podman --hooks-dir DIR}. */
    List<String> podman() { return List.of("podman", "--hooks-dir", hooks.toString()); }

    String busAddress() { return bus.address(); }

    String puzzledLog() { return puzzled.stderr(); }

    /** Runs the real puzzlectl with {@code -o json} on this stack's bus; its parsed output, or a failed test. */
    JsonNode ctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", classPath(), "org.lobstertrap.puzzlepod.ctl.PuzzleCtl",
                "--bus", bus.address(), "-o", "json"));
        cmd.addAll(List.of(args));
        Run r = Run.of(cmd, 60);
        if (r.status() != 0) throw new AssertionError("puzzlectl " + String.join(" ", args) + " exited " + r.status() + ":\n" + r.err());
        return JSON.readTree(r.out());
    }

    @Override
    public void close() throws Exception {
        try {
            if (puzzled.isAlive()) puzzled.stop(30);
        } finally {
            puzzled.close();
            bus.close();
        }
    }

    /** The shipped hook files, pointed at a script that runs this build's hook with this stack's runtime dir (its hook socket). */
    private static Path installHooks(Path repo, Path dir, Path runtimeDir) throws IOException {
        Path hooksDir = Files.createDirectories(dir.resolve("hooks.d"));
        Path script = dir.resolve("puzzle-hook");
        Files.writeString(script, "#!/bin/sh\nexec '" + java() + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
                + "--enable-native-access=ALL-UNNAMED -cp '" + classPath() + "' org.lobstertrap.puzzlepod.hook.PuzzleHook \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Path> files;
        try (Stream<Path> s = Files.list(repo.resolve("hooks.d"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) throw new AssertionError("no hook JSON files in " + repo.resolve("hooks.d"));
        for (Path f : files) {
            ObjectNode hook = (ObjectNode) JSON.readTree(f.toFile());
            if (!hook.path("when").path("annotations").has("^" + PROFILE_ANNOTATION + "$")) {
                throw new AssertionError(f + " no longer triggers on the profile annotation");
            }
            ObjectNode h = (ObjectNode) hook.get("hook");
            h.put("path", script.toString());
            ((ArrayNode) h.withArray("env")).add("PUZZLEPOD_RUNTIME_DIR=" + runtimeDir.toAbsolutePath());
            Path shim = repo.resolve("init-shim/target/puzzle-init");
            if (!Files.isExecutable(shim)) throw new AssertionError(shim + " is missing: build the init-shim module (mvn -pl quadlet-tests -am …)");
            ((ArrayNode) h.withArray("env")).add("PUZZLEPOD_SHIM=" + shim);
            Files.writeString(hooksDir.resolve(f.getFileName()), JSON.writeValueAsString(hook));
        }
        return hooksDir;
    }

    private static void copyAll(Path from, Path to, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(suffix)).toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }

    static String java() { return Path.of(System.getProperty("java.home"), "bin", "java").toString(); }

    static String classPath() { return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")); }

    /** One finished command. */
    record Run(int status, String out, String err) {
        static Run of(List<String> command, long timeoutSeconds) throws Exception {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try { return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8); } catch (IOException e) { return e.toString(); }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command);
            }
            return new Run(p.exitValue(), out, err.join());
        }
    }
}
