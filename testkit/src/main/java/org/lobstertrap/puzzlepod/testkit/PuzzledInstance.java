package org.lobstertrap.puzzlepod.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real puzzled ({@code org.lobstertrap.puzzlepod.daemon.main.PuzzledMain}) as a child process, for
 * end-to-end tests and benchmarks: {@link #prepare} lays out a state directory (configuration, the shipped
 * profiles and policies copied in), {@link #start} runs the daemon on a given bus; its stderr is collected
 * line by line. The daemon class is named, not linked, so this works from any module that has the daemon
 * on its class path.
 */
public final class PuzzledInstance implements AutoCloseable {
    /** The daemon's main class. */
    public static final String MAIN = "org.lobstertrap.puzzlepod.daemon.main.PuzzledMain";
    /** The bus policy file as a class path resource of the daemon module. */
    public static final String BUS_POLICY_RESOURCE = "/dbus/org.lobstertrap.PuzzlePod1.conf";

    private final Process process;
    private final List<String> stderr = new ArrayList<>();
    private final Thread reader;

    private PuzzledInstance(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon(true).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (stderr) {
                        stderr.add(line);
                        stderr.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        });
    }

    /**
     * Writes {@code state/puzzled.yaml} keeping every directory below {@code state}, with {@code extraYaml}
     * appended (top-level keys such as {@code review: {enabled: true, timeout: 2s}}), and copies the regular
     * files of {@code profilesFrom} and {@code policiesFrom} into the daemon's profile and policy dirs.
     * Returns the configuration file.
     */
    public static Path prepare(Path state, Path profilesFrom, Path policiesFrom, String extraYaml) throws IOException {
        Files.createDirectories(state);
        copyFiles(profilesFrom, state.resolve("profiles"));
        copyFiles(policiesFrom, state.resolve("policies"));
        return writeConfig(state.resolve("puzzled.yaml"), state, extraYaml);
    }

    /**
     * Writes a configuration to {@code file} that keeps every directory of the daemon below {@code state}
     * (profiles and policies in {@code state/profiles}, {@code state/policies}), with {@code extraYaml} appended.
     */
    public static Path writeConfig(Path file, Path state, String extraYaml) throws IOException {
        Files.writeString(file, """
                branch_root: %1$s/branches
                profiles_dir: %1$s/profiles
                policies_dir: %1$s/policies
                runtime_dir: %1$s/run
                audit_dir: %1$s/audit
                network: {proxy_port: 0, dns_port: 0}  # any free ports: private daemons may run side by side
                """.formatted(state.toAbsolutePath()) + (extraYaml == null ? "" : extraYaml + "\n"));
        return file;
    }

    /** Copies the product's bus policy file (from the class path) to {@code dir}; for {@link DbusDaemon#startSystem}. */
    public static Path busPolicy(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("org.lobstertrap.PuzzlePod1.conf");
        try (InputStream in = PuzzledInstance.class.getResourceAsStream(BUS_POLICY_RESOURCE)) {
            if (in == null) throw new IllegalStateException(BUS_POLICY_RESOURCE + " is not on the class path (add the daemon module)");
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /**
     * The command that runs the daemon in a fresh JVM of this one's runtime and class path, with the
     * launcher's options ({@code bin/lib/launch}); {@code jvmOptions} go before the class path.
     */
    public static List<String> javaCommand(String... jvmOptions) { return javaCommandOf(MAIN, jvmOptions); }

    /** {@link #javaCommand} for another main class (a stand-in daemon, say). */
    public static List<String> javaCommandOf(String mainClass, String... jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        return cmd;
    }

    /** Starts {@code command} (e.g. {@link #javaCommand} or {@code bin/puzzled}) with the config and bus; stdout goes to {@code workDir}. */
    public static PuzzledInstance start(List<String> command, Path config, String busAddress, Path workDir) throws IOException {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("--config", config.toString(), "--bus", busAddress));
        return launch(cmd, workDir);
    }

    /** Starts {@code command} exactly as given (any arguments, or a stand-in main); stdout goes to {@code workDir}. */
    public static PuzzledInstance launch(List<String> command, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        return new PuzzledInstance(new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("puzzled-stdout-" + System.nanoTime()).toFile()).start());
    }

    /** Waits until the daemon says it serves; throws with its stderr if it exits or does not within the time. */
    public PuzzledInstance awaitReady(long seconds) throws InterruptedException {
        if (!awaitLine("ready: org.lobstertrap.PuzzlePod1", seconds)) {
            throw new IllegalStateException("puzzled did not become ready within " + seconds + " s"
                    + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")") + "; stderr:\n" + stderr());
        }
        return this;
    }

    /** Waits for a stderr line containing text; false when the process exited or time ran out first. */
    public boolean awaitLine(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (stderr) {
            while (true) {
                if (stderr.stream().anyMatch(l -> l.contains(text))) return true;
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) return false;
                stderr.wait(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** SIGTERM, then waits for the exit (at most {@code seconds}); returns the exit code. */
    public int stop(long seconds) throws IOException, InterruptedException {
        signal("TERM");
        return awaitExit(seconds);
    }

    /** Sends a signal by name ({@code kill -NAME}: Process.destroy would also close our end of its stderr). */
    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Waits for the exit (at most {@code seconds}) and returns its code; throws with the stderr if it does not come. */
    public int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("puzzled did not exit within " + seconds + " s; stderr:\n" + stderr());
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    /** Everything the daemon wrote to stderr so far. */
    public String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    public long pid() { return process.pid(); }

    public boolean isAlive() { return process.isAlive(); }

    /** Kills the daemon if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) throw new IllegalStateException(from.toAbsolutePath() + " is missing (the shipped files)");
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
