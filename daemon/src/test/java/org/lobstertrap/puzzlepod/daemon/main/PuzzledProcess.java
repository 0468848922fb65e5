package org.lobstertrap.puzzlepod.daemon.main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A puzzled child JVM (its real main or the stand-in one) whose stderr is collected line by line. */
final class PuzzledProcess implements AutoCloseable {
    private final Process process;
    private final List<String> stderr = new ArrayList<>();
    private final Thread reader;

    private PuzzledProcess(Process process) {
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

    static PuzzledProcess start(Class<?> main, Path workDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new PuzzledProcess(new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout-" + System.nanoTime()).toFile()).start());
    }

    /** Waits for a stderr line containing text; false when the process exited or time ran out first. */
    boolean awaitLine(String text, long seconds) throws InterruptedException {
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

    /** Waits for the exit; fails the test if it does not come. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("puzzled did not exit within " + seconds + " s; stderr:\n" + stderr());
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    long pid() { return process.pid(); }

    /** SIGTERM (by kill: Process.destroy would also close our end of its stderr). */
    void terminate() throws IOException, InterruptedException { signal("TERM"); }

    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

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
}
