package org.lobstertrap.puzzlepod.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.daemon.main.PuzzledMain;
import org.lobstertrap.puzzlepod.hook.PuzzleHook;
import org.lobstertrap.puzzlepod.podman.PuzzlePodman;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.lobstertrap.puzzlepod.testkit.PuzzledInstance;

/**
 * The whole governed-container stack for one test: a private system-type dbus-daemon with the product's
 * bus policy, the real puzzled as a child process (the shipped profiles and policies, every directory
 * inside the test's own directory), the shipped hooks.d files pointed at this build's {@code puzzle-hook},
 * and {@code puzzle-podman} as a real process. podman itself is the installed one, run with the private
 * hooks dir. {@link #close} removes the containers it started, stops puzzled and the bus.
 */
public final class GovernedStack implements AutoCloseable, BranchWaits {
    public static final String IMAGE = "localhost/puzzlepod-test:latest";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_SECONDS = 60;
    private static final long RUN_SECONDS = 300;

    /** Exit status and output of one finished process. */
    public record Result(int status, String out, String err) {
        /** Everything, for assertion messages. */
        public String both() { return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err; }
    }

    private final Path dir;
    private final Path config;
    private final Path hooks;
    private final Path hookRuns;
    private final Path podmanScript;
    private final List<String> containers = new ArrayList<>();
    private DbusDaemon bus;
    private PuzzledInstance puzzled;
    private int names;

    private GovernedStack(Path dir) throws IOException {
        this.dir = dir;
        this.config = writeConfig(dir);
        this.hooks = Files.createDirectories(dir.resolve("hooks.d"));
        this.podmanScript = dir.resolve("podman-with-hooks");
        this.hookRuns = dir.resolve("hook-runs");
    }

    /** Starts bus and daemon and installs the hooks; fails with what is missing when a part is absent. */
    public static GovernedStack start(Path dir) throws Exception {
        Result image = exec(List.of("podman", "image", "exists", IMAGE), Map.of());
        if (image.status() != 0) {
            throw new AssertionError("the test image " + IMAGE + " is missing (built by .ci/setup-machine.sh): " + image.both());
        }
        GovernedStack s = new GovernedStack(dir);
        try {
            s.bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(resource("/dbus/org.lobstertrap.PuzzlePod1.conf", dir)));
            s.installHooks();
            s.startPuzzled();
            return s;
        } catch (Throwable t) {
            s.close();
            throw t;
        }
    }

    /** The private bus's address. */
    String busAddress() { return bus.address(); }

    /** The hooks dir (the shipped files, rewritten). */
    Path hooksDir() { return hooks; }

    /** An executable that runs the installed podman with this stack's hooks dir. */
    Path podmanCommand() { return podmanScript; }

    /** A fresh container name that {@link #close} removes. */
    public String containerName() {
        String name = "puzzlepod-it-" + ProcessHandle.current().pid() + "-" + (names++);
        containers.add(name);
        return name;
    }

    /** A new client connection to the daemon (close it). */
    PuzzlePodClient client() throws ClientException { return PuzzlePodClient.connect(BusChoice.address(bus.address())); }

    /** One call on a fresh connection, parsed. */
    public JsonNode call(ClientCall c) throws Exception {
        try (PuzzlePodClient client = client()) {
            return JSON.readTree(c.call(client));
        }
    }

    /** A client method. */
    public interface ClientCall {
        /** The call's JSON answer. */
        String call(PuzzlePodClient c) throws ClientException;
    }

    /**
     * {@code puzzle-podman run --runtime-dir RUNTIME_DIR ARGS…} as a real process, with this build's
     * puzzle-init as its shim; podman runs with this stack's hooks.
     */
    public Result puzzlePodmanRun(List<String> args) throws Exception { return puzzlePodmanRun(args, Map.of()); }

    /** {@link #puzzlePodmanRun(List)} with {@code env} added to its environment (and so podman's). */
    public Result puzzlePodmanRun(List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(javaCommand(PuzzlePodman.class));
        cmd.addAll(List.of("run", "--runtime-dir", runtimeDir().toString()));
        cmd.addAll(args);
        Map<String, String> all = new HashMap<>(env);
        all.put("PUZZLEPOD_PODMAN", podmanScript.toString());
        all.put("PUZZLEPOD_SHIM", shim().toString());
        return exec(cmd, all, dir);
    }

    /** How many times podman ran this stack's precreate hook so far. */
    public int hookRuns() throws IOException {
        return Files.exists(hookRuns) ? Files.readAllLines(hookRuns).size() : 0;
    }

    /** {@code podman --hooks-dir HOOKS ARGS…} (no wrapper). */
    public Result podman(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(podmanScript.toString()));
        cmd.addAll(args);
        return exec(cmd, Map.of(), dir);
    }

    /** The stderr lines puzzled wrote so far. */
    public String puzzledStderr() { return puzzled == null ? "" : puzzled.stderr(); }

    /** puzzled's process id on the host. */
    public long puzzledPid() { return puzzled.pid(); }

    public boolean puzzledAlive() { return puzzled != null && puzzled.isAlive(); }

    /** SIGTERM to puzzled and wait for its exit (the bus stays up). */
    void stopPuzzled() throws Exception {
        if (puzzled == null) return;
        try {
            puzzled.stop(30);
        } catch (IllegalStateException e) {
            puzzled.close();
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** Starts puzzled again after {@link #stopPuzzled} (same bus, configuration and state); its stderr starts afresh. */
    void restartPuzzled() throws Exception {
        startPuzzled();
    }

    /** Stops the bus too (puzzled must be stopped first). */
    void stopBus() {
        bus.close();
    }

    /** The branches of a base, newest first. */
    List<JsonNode> branchesOf(Path base) throws Exception {
        ObjectNode filter = JSON.createObjectNode().put("base", base.toRealPath().toString());
        List<JsonNode> out = new ArrayList<>();
        call(c -> c.listBranches(filter.toString())).path("branches").forEach(out::add);
        return out;
    }

    /** The only branch of a base; fails when there is none or more than one. */
    public JsonNode onlyBranchOf(Path base) throws Exception {
        List<JsonNode> all = branchesOf(base);
        if (all.size() != 1) throw new AssertionError("expected one branch of " + base + ", found " + all);
        return all.getFirst();
    }

    /** puzzled's profiles dir (the shipped profiles, copied); a profile added here is loaded by ReloadPolicy. */
    public Path profilesDir() { return dir.resolve("state").resolve("profiles").toAbsolutePath(); }

    /** puzzled's runtime dir (sockets, the branches' Landlock rules). */
    Path runtimeDir() { return dir.resolve("state").resolve("run").toAbsolutePath(); }

    /** The audit records of one branch with type gate.decision. */
    public List<JsonNode> gateDecisions(String branch) throws Exception { return auditEvents(branch, "gate.decision"); }

    /** The audit records of one branch with the given type. */
    public List<JsonNode> auditEvents(String branch, String type) throws Exception {
        ObjectNode q = JSON.createObjectNode().put("branch", branch);
        q.putArray("types").add(type);
        List<JsonNode> out = new ArrayList<>();
        call(c -> c.queryAuditEvents(q.toString())).path("events").forEach(out::add);
        return out;
    }

    private static Path writeConfig(Path dir) throws IOException {
        return PuzzledInstance.prepare(dir.resolve("state"), Path.of("..", "profiles"), Path.of("..", "policies"), null);
    }

    private void startPuzzled() throws Exception {
        puzzled = PuzzledInstance.start(javaCommand(PuzzledMain.class), config, bus.address(), dir);
        try {
            puzzled.awaitReady(START_SECONDS);
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The shipped hooks.d file, pointed at a script that runs this build's hook with this stack's runtime dir. */
    private void installHooks() throws IOException {
        Path script = dir.resolve("puzzle-hook");
        // each run leaves a line in hook-runs: tests tell the hook's path from the wrapper's direct one by it
        Files.writeString(script, "#!/bin/sh\necho \"$1\" >> " + quote(hookRuns.toString()) + "\nexec "
                + String.join(" ", javaCommand(PuzzleHook.class).stream().map(GovernedStack::quote).toList()) + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shipped = Path.of("..", "hooks.d");
        List<String> files = List.of("puzzlepod-precreate.json");
        for (String file : files) {
            Path f = shipped.resolve(file);
            if (!Files.isRegularFile(f)) throw new AssertionError(f.toAbsolutePath() + " is missing (the shipped hook files)");
            ObjectNode hook = (ObjectNode) JSON.readTree(f.toFile());
            ObjectNode h = (ObjectNode) hook.get("hook");
            h.put("path", script.toString());
            h.withArray("env").add("PUZZLEPOD_RUNTIME_DIR=" + runtimeDir());
            h.withArray("env").add("PUZZLEPOD_SHIM=" + shim());
            h.put("timeout", 60);  // the hook JVM on a busy two-core machine: keep podman from killing it
            Files.writeString(hooks.resolve(file), JSON.writeValueAsString(hook));
        }
        Files.writeString(podmanScript, "#!/bin/sh\nexec podman --hooks-dir " + quote(hooks.toString()) + " \"$@\"\n");
        Files.setPosixFilePermissions(podmanScript, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** This build's puzzle-init (the init-shim module builds it before this module's tests). */
    static Path shim() {
        Path p = Path.of("..", "init-shim", "target", "puzzle-init").toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) throw new AssertionError(p + " is missing: build the init-shim module (mvn -pl it -am …)");
        return p;
    }

    private static List<String> javaCommand(Class<?> main) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-cp", classPath, main.getName());
    }

    private static String quote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }

    /** A class-path resource (the daemon's jar in a full build) copied into {@code dir}. */
    static Path resource(String name, Path dir) throws java.io.IOException {
        try (var in = GovernedStack.class.getResourceAsStream(name)) {
            if (in == null) throw new AssertionError(name + " is missing from the class path");
            Path copy = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
            Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return copy;
        }
    }

    /** Runs a command to its end (stdin empty), collecting both outputs. */
    public static Result exec(List<String> command, Map<String, String> env) throws Exception {
        return exec(command, env, null);
    }

    /**
     * Runs a command in {@code workDir} (null: this JVM's). podman runs get the test's directory: conmon
     * leaves files such as {@code oom} in its working directory, which must not be the repository.
     */
    public static Result exec(List<String> command, Map<String, String> env, Path workDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workDir != null) pb.directory(workDir.toFile());
        pb.environment().putAll(new HashMap<>(env));
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        if (!p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out after " + RUN_SECONDS + " s: " + command);
        }
        return new Result(p.exitValue(), out, err.get());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        for (String name : containers) {
            try {
                exec(List.of("podman", "rm", "-f", "-t", "0", "--ignore", name), Map.of());
            } catch (Exception e) {
                // keep cleaning up the rest
            }
        }
        if (puzzled != null && puzzled.isAlive()) {
            try {
                stopPuzzled();
            } catch (Exception | AssertionError e) {
                puzzled.close();
            }
        }
        if (bus != null) bus.close();
        unmountBelow(dir);
    }

    /** Lazily unmounts anything still mounted inside dir (a crashed run can leave an overlay behind). */
    private static void unmountBelow(Path dir) {
        try {
            String root = dir.toRealPath().toString();
            List<String> points = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && (f[4].equals(root) || f[4].startsWith(root + "/"))) points.add(f[4]);
            }
            for (String p : points.reversed()) exec(List.of("umount", "-l", p), Map.of());
        } catch (Exception e) {
            // nothing more to do
        }
    }
}
