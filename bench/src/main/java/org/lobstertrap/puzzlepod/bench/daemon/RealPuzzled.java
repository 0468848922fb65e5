package org.lobstertrap.puzzlepod.bench.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.lobstertrap.puzzlepod.testkit.PuzzledInstance;

/**
 * The shipped puzzled, started by {@code bin/puzzled} (the launcher's JVM options are part of what is
 * measured) on a private system-type dbus-daemon with the product's bus policy, its state in a scratch
 * directory with the shipped profiles and policies. Run from the repository root after {@code mvn package}.
 */
final class RealPuzzled implements AutoCloseable {
    final Path dir;
    final DbusDaemon bus;
    final PuzzledInstance daemon;

    private RealPuzzled(Path dir, DbusDaemon bus, PuzzledInstance daemon) {
        this.dir = dir;
        this.bus = bus;
        this.daemon = daemon;
    }

    /** Starts it; {@code javaOptions} are extra JVM flags (PUZZLEPOD_JAVA_OPTS of the launcher), may be empty. */
    static RealPuzzled start(Path scratchParent, String javaOptions) throws Exception {
        Path launcher = Path.of("bin", "puzzled").toAbsolutePath();
        if (!Files.isExecutable(launcher) || !Files.isRegularFile(Path.of("daemon", "target", "classpath.txt"))) {
            throw new IllegalStateException("run from the repository root after mvn package: " + launcher
                    + " or daemon/target/classpath.txt is missing");
        }
        Path dir = Files.createTempDirectory(scratchParent, "puzzlepod-daemon-bench");
        Path config = PuzzledInstance.prepare(dir.resolve("state"), Path.of("profiles"), Path.of("policies"), "max_branches: 4096");
        DbusDaemon bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(PuzzledInstance.busPolicy(dir.resolve("policy"))));
        List<String> cmd = new ArrayList<>();
        if (!javaOptions.isBlank()) cmd.addAll(List.of("env", "PUZZLEPOD_JAVA_OPTS=" + javaOptions));
        cmd.add(launcher.toString());
        PuzzledInstance daemon = PuzzledInstance.start(cmd, config, bus.address(), dir);
        try {
            daemon.awaitReady(120);
        } catch (RuntimeException | InterruptedException e) {
            daemon.close();
            bus.close();
            throw e;
        }
        return new RealPuzzled(dir, bus, daemon);
    }

    PuzzlePodClient client() throws ClientException { return PuzzlePodClient.connect(BusChoice.address(bus.address())); }

    /** A directory to branch, with a few files. */
    Path base(String name) throws IOException {
        Path b = Files.createDirectories(dir.resolve(name));
        Files.writeString(b.resolve("README.md"), "hello\n");
        Files.createDirectories(b.resolve("src"));
        Files.writeString(b.resolve("src/main.c"), "int main(){}\n");
        return b;
    }

    /** VmRSS, VmHWM, RssAnon, RssFile (KiB) and Threads of the daemon, from /proc/PID/status. */
    long[] rssAndHwmKib() throws IOException {
        String[] keys = {"VmRSS:", "VmHWM:", "RssAnon:", "RssFile:", "Threads:"};
        long[] v = {-1, -1, -1, -1, -1};
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "status"))) {
            for (int i = 0; i < keys.length; i++) if (line.startsWith(keys[i])) v[i] = kib(line);
        }
        for (long x : v) if (x < 0) throw new IllegalStateException("no VmRSS/VmHWM/RssAnon/RssFile/Threads for pid " + daemon.pid());
        return v;
    }

    private static long kib(String line) { return Long.parseLong(line.replaceAll("[^0-9]", "")); }

    @Override
    public void close() throws Exception {
        try {
            if (daemon.isAlive()) daemon.stop(30);
        } finally {
            daemon.close();
            bus.close();
            Benchmarks.removeTree(dir);
        }
    }
}
