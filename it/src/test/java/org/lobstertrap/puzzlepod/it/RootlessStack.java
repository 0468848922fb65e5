package org.lobstertrap.puzzlepod.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.daemon.main.PuzzledMain;
import org.lobstertrap.puzzlepod.hook.PuzzleHook;
import org.lobstertrap.puzzlepod.podman.PuzzlePodman;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.lobstertrap.puzzlepod.testkit.PuzzledInstance;

/**
 * The governed stack of one unprivileged user, for one test: the machine's rootless user ({@value #USER}, set
 * up by {@code demo/rootless-setup.sh}), a session dbus-daemon run by that user, the real puzzled run by that
 * user (config and data in the test's directory, runtime files in its default {@code /run/user/UID/puzzled}),
 * the shipped hooks.d files for that user's rootless podman, and
 * {@code puzzle-podman} run by that user. The user cannot read root's Maven repository, so the test class path
 * is copied into a directory the user owns. The test itself (root) observes over the same session bus.
 */
public final class RootlessStack implements AutoCloseable, BranchWaits {
    /** The rootless user the machine set-up creates. */
    public static final String USER = "puzzleagent";
    private static final String SETUP = "run `sudo bash demo/rootless-setup.sh " + USER + "` (or .ci/setup-machine.sh) first";
    private static final long START_SECONDS = 90;

    private final Path home;       // the test's directory owned by the user
    private final int uid, gid;
    private final String userHome;
    private final List<String> containers = new ArrayList<>();
    private final List<String> classPath = new ArrayList<>();
    private DbusDaemon bus;
    private PuzzledInstance puzzled;
    private int names;

    private RootlessStack(Path home, int uid, int gid, String userHome) {
        this.home = home;
        this.uid = uid;
        this.gid = gid;
        this.userHome = userHome;
    }

    /** Checks the machine's set-up, then starts the bus, puzzled and the hooks as the user; fails saying what is missing. */
    public static RootlessStack start(Path dir) throws Exception {
        GovernedStack.Result id = GovernedStack.exec(List.of("id", "-u", USER), Map.of());
        if (id.status() != 0) throw new AssertionError("the rootless user " + USER + " does not exist: " + SETUP);
        int uid = Integer.parseInt(id.out().strip());
        int gid = Integer.parseInt(GovernedStack.exec(List.of("id", "-g", USER), Map.of()).out().strip());
        String userHome = GovernedStack.exec(List.of("getent", "passwd", USER), Map.of()).out().split(":")[5];
        for (String f : List.of("/etc/subuid", "/etc/subgid")) {
            if (Files.readAllLines(Path.of(f)).stream().noneMatch(l -> l.startsWith(USER + ":")))
                throw new AssertionError(USER + " has no subordinate ids in " + f + ": " + SETUP);
        }
        Path runtime = Path.of("/run/user", Integer.toString(uid));
        if (!Files.isDirectory(runtime) || (int) Files.getAttribute(runtime, "unix:uid") != uid)
            throw new AssertionError(runtime + " is missing or not owned by " + USER + ": " + SETUP);
        Path storage = Path.of(userHome, ".config/containers/storage.conf");
        if (!Files.isRegularFile(storage) || !Files.readString(storage).contains("fuse-overlayfs"))
            throw new AssertionError(storage + " does not select fuse-overlayfs: " + SETUP);

        // the user must be able to reach the directory: JUnit makes it 0700 for root
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Path home = Files.createDirectories(dir.resolve("user"));
        RootlessStack s = new RootlessStack(home, uid, gid, userHome);
        try {
            s.stageFiles();
            GovernedStack.Result image = s.asUser(List.of("podman", "image", "exists", GovernedStack.IMAGE));
            if (image.status() != 0)
                throw new AssertionError("the test image " + GovernedStack.IMAGE + " is not in " + USER + "'s storage: " + SETUP + "\n" + image.both());
            s.bus = DbusDaemon.startSessionAs(s.userDir("bus"), s.runAs(), true);
            s.startPuzzled();
            return s;
        } catch (Throwable t) {
            s.close();
            throw t;
        }
    }

    /** The user's uid on the host. */
    public int uid() { return uid; }

    /** The test's directory that belongs to the user (bases go here). */
    public Path home() { return home; }

    /** A new directory owned by the user. */
    public Path userDir(String name) throws Exception {
        Path d = Files.createDirectories(home.resolve(name));
        chown(d);
        return d;
    }

    /** Gives {@code p} (recursively) to the user. */
    public void chown(Path p) throws Exception {
        GovernedStack.Result r = GovernedStack.exec(List.of("chown", "-R", uid + ":" + gid, p.toString()), Map.of());
        if (r.status() != 0) throw new AssertionError(r.both());
    }

    /** The command prefix that runs a program as the user with a clean login-like environment. */
    private List<String> runAs() {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--",
                "env", "-i", "HOME=" + userHome, "USER=" + USER, "LOGNAME=" + USER, "PATH=/usr/local/bin:/usr/bin:/bin",  // a normal user: no /usr/sbin
                "XDG_RUNTIME_DIR=/run/user/" + uid);
    }

    /** Runs {@code command} as the user in the user's test directory. */
    public GovernedStack.Result asUser(List<String> command) throws Exception {
        return asUser(command, Map.of());
    }

    /** Runs {@code command} as the user with extra environment variables. */
    public GovernedStack.Result asUser(List<String> command, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(runAs());
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(command);
        return GovernedStack.exec(cmd, Map.of(), home);
    }

    /** A fresh container name that {@link #close} removes. */
    public String containerName() {
        String name = "puzzlepod-rootless-" + ProcessHandle.current().pid() + "-" + (names++);
        containers.add(name);
        return name;
    }

    /** The user's rootless {@code podman --hooks-dir HOOKS ARGS…}. */
    public GovernedStack.Result podman(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("podman-with-hooks").toString()));
        cmd.addAll(args);
        return asUser(cmd);
    }

    /**
     * {@code puzzle-podman run ARGS…} as the user, which finds the per-user puzzled's hook socket by itself
     * ({@code $XDG_RUNTIME_DIR/puzzled}); podman runs with this stack's hooks.
     */
    public GovernedStack.Result puzzlePodmanRun(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(java(PuzzlePodman.class));
        cmd.add("run");
        cmd.addAll(args);
        return asUser(cmd, Map.of("PUZZLEPOD_PODMAN", home.resolve("podman-with-hooks").toString()));
    }

    /** One call to the user's puzzled (the test connects as root, which the bus lets in), parsed. */
    public JsonNode call(GovernedStack.ClientCall c) throws Exception {
        try (PuzzlePodClient client = PuzzlePodClient.connect(BusChoice.address(bus.address()))) {
            return GovernedStack.JSON.readTree(c.call(client));
        }
    }

    /** The only branch of a base; fails when there is none or more than one. */
    public JsonNode onlyBranchOf(Path base) throws Exception {
        ObjectNode filter = GovernedStack.JSON.createObjectNode().put("base", base.toRealPath().toString());
        List<JsonNode> all = new ArrayList<>();
        call(c -> c.listBranches(filter.toString())).path("branches").forEach(all::add);
        if (all.size() != 1) throw new AssertionError("expected one branch of " + base + ", found " + all + "\npuzzled:\n" + puzzledStderr());
        return all.getFirst();
    }

    /** The audit records of one branch with the given type. */
    public List<JsonNode> auditEvents(String branch, String type) throws Exception {
        ObjectNode q = GovernedStack.JSON.createObjectNode().put("branch", branch);
        q.putArray("types").add(type);
        List<JsonNode> out = new ArrayList<>();
        call(c -> c.queryAuditEvents(q.toString())).path("events").forEach(out::add);
        return out;
    }

    /** What puzzled logged so far. */
    public String puzzledStderr() { return puzzled == null ? "" : puzzled.stderr(); }

    public boolean puzzledAlive() { return puzzled != null && puzzled.isAlive(); }

    /** puzzled's own pid (setpriv and env exec it, so the child is the JVM). */
    public long puzzledPid() { return puzzled.pid(); }

    /** SIGTERM to puzzled and wait for it (the bus stays up). */
    public void stopPuzzled() throws Exception {
        if (puzzled == null || !puzzled.isAlive()) return;
        try {
            puzzled.stop(30);
        } catch (IllegalStateException e) {
            puzzled.close();
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The class path (jars and class directories) copied into the user's directory, the shim, the hooks. */
    private void stageFiles() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path into = Files.createDirectories(home.resolve("cp"));
        int n = 0;
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path from = Path.of(entry);
            if (Files.isRegularFile(from)) {
                Path to = into.resolve((n++) + "-" + from.getFileName());
                Files.copy(from, to);
                classPath.add(to.toString());
            } else if (Files.isDirectory(from)) {
                Path to = into.resolve(Integer.toString(n++));
                copyTree(from, to);
                classPath.add(to.toString());
            }
        }
        Path shim = home.resolve("puzzle-init");
        Files.copy(GovernedStack.shim(), shim);
        Path config = Files.createDirectories(home.resolve("config/puzzled"));
        copyTree(Path.of("..", "profiles"), config.resolve("profiles"));
        copyTree(Path.of("..", "policies"), config.resolve("policies"));
        Files.createDirectories(home.resolve("data"));
        // the user's own podman config and storage stay as they are (podman reads XDG_CONFIG_HOME and XDG_DATA_HOME
        // too); the runtime dir is the per-user default, $XDG_RUNTIME_DIR/puzzled, where the hook looks for it
        Files.writeString(home.resolve("puzzled.yaml"), """
                branch_root: %1$s/data/puzzled/branches
                profiles_dir: %1$s/config/puzzled/profiles
                policies_dir: %1$s/config/puzzled/policies
                audit_dir: %1$s/data/puzzled/audit
                """.formatted(home));

        Path hookScript = home.resolve("puzzle-hook");
        Files.writeString(hookScript, "#!/bin/sh\nexec " + String.join(" ", java(PuzzleHook.class).stream().map(RootlessStack::quote).toList()) + " \"$@\"\n");
        Path hooks = Files.createDirectories(home.resolve("hooks.d"));
        for (String file : List.of("puzzlepod-precreate.json", "puzzlepod-createruntime.json", "puzzlepod-poststop.json")) {
            Path f = Path.of("..", "hooks.d", file);
            if (!Files.isRegularFile(f)) continue;  // a stage the product no longer ships
            ObjectNode hook = (ObjectNode) GovernedStack.JSON.readTree(f.toFile());
            ObjectNode h = (ObjectNode) hook.get("hook");
            h.put("path", hookScript.toString());
            h.withArray("env").add("PUZZLEPOD_SHIM=" + shim);
            h.put("timeout", 60);
            Files.writeString(hooks.resolve(file), GovernedStack.JSON.writeValueAsString(hook));
        }
        Path podman = home.resolve("podman-with-hooks");
        Files.writeString(podman, "#!/bin/sh\nexec podman --hooks-dir " + quote(hooks.toString()) + " \"$@\"\n");
        for (Path x : List.of(hookScript, podman, shim))
            Files.setPosixFilePermissions(x, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        chown(home);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) throw new AssertionError(from.toAbsolutePath() + " is missing");
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private List<String> java(Class<?> main) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-cp", String.join(":", classPath), main.getName());
    }

    private void startPuzzled() throws Exception {
        List<String> cmd = new ArrayList<>(runAs());
        cmd.add("PUZZLEPOD_SHIM=" + home.resolve("puzzle-init")); // its exec path resolver (rootless roots are FUSE)
        cmd.addAll(java(PuzzledMain.class));
        puzzled = PuzzledInstance.start(cmd, home.resolve("puzzled.yaml"), bus.address(), home);
        try {
            puzzled.awaitReady(START_SECONDS);
        } catch (IllegalStateException e) {
            throw new AssertionError("the per-user " + e.getMessage(), e);
        }
    }

    private static String quote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }

    @Override
    public void close() {
        for (String name : containers) {
            try {
                asUser(List.of("podman", "rm", "-f", "-t", "0", "--ignore", name));
            } catch (Exception e) {
                // keep cleaning up
            }
        }
        try {
            stopPuzzled();
        } catch (Exception | AssertionError e) {
            if (puzzled != null) puzzled.close();
        }
        if (bus != null) bus.close();
    }
}
