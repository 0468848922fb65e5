package org.lobstertrap.puzzlepod.bench.daemon;

import java.nio.file.Path;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/**
 * Resident memory of the real puzzled (started by {@code bin/puzzled}): VmRSS and VmHWM from
 * {@code /proc/PID/status} idle after start, and with 64 live branches (created over D-Bus, each listed,
 * inspected and diffed once). Goal: at most 128 MiB with 64 branches. With a first argument of extra JVM
 * flags (e.g. {@code "-Xmx1g"}) it measures the launcher with those appended, to compare settings.
 *
 * <p>Arguments: {@code [extra JVM flags (default none)] [branches (default 64)] [scratch parent dir]}.
 * Run from the repository root, as root, after {@code mvn package}.
 */
public final class DaemonMemoryBench {
    private DaemonMemoryBench() {}

    public static void main(String[] args) throws Exception {
        String flags = args.length > 0 ? args[0] : "";
        int branches = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path scratch = Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir"));
        try (RealPuzzled p = RealPuzzled.start(scratch, flags); PuzzlePodClient c = p.client()) {
            Thread.sleep(3000); // let start-up work (policy compile, recovery, JIT) settle
            c.status();
            long[] idle = p.rssAndHwmKib();
            Path base = p.base("project");
            for (int i = 0; i < branches; i++) c.createBranch("standard", base.toString(), "{\"id\":\"m" + i + "\"}");
            for (int i = 0; i < branches; i++) {
                c.inspectBranch("m" + i);
                c.diffBranch("m" + i);
            }
            c.listBranches("");
            c.status();
            Thread.sleep(1000);
            long[] loaded = p.rssAndHwmKib();
            System.out.printf("puzzled memory (bin/puzzled%s):%n", flags.isBlank() ? "" : " + " + flags);
            System.out.printf("  idle after start:     VmRSS %6.1f MiB  VmHWM %6.1f MiB  (anonymous %6.1f, file-backed %6.1f; %d threads)%n",
                    idle[0] / 1024.0, idle[1] / 1024.0, idle[2] / 1024.0, idle[3] / 1024.0, idle[4]);
            System.out.printf("  with %3d branches:    VmRSS %6.1f MiB  VmHWM %6.1f MiB  (anonymous %6.1f, file-backed %6.1f; %d threads)%n",
                    branches, loaded[0] / 1024.0, loaded[1] / 1024.0, loaded[2] / 1024.0, loaded[3] / 1024.0, loaded[4]);
            System.out.println("  threads by name: " + threadNames(p.daemon.pid()));
            if (flags.contains("NativeMemoryTracking")) nativeMemory(p.daemon.pid());
            System.out.printf("  ratio VmHWM / goal (128 MiB): %.2f -> %s%n", loaded[1] / 1024.0 / 128,
                    loaded[1] <= 128 * 1024 ? "met" : "NOT met");
        }
    }

    /** The daemon's threads counted by name (digits folded), from /proc/PID/task/TID/comm. */
    private static java.util.Map<String, Integer> threadNames(long pid) throws java.io.IOException {
        java.util.Map<String, Integer> names = new java.util.TreeMap<>();
        try (var tasks = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                String name = java.nio.file.Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                names.merge(name, 1, Integer::sum);
            }
        }
        return names;
    }

    /** With -XX:NativeMemoryTracking=summary among the flags: the JVM's own account, by area (where the RSS goes). */
    private static void nativeMemory(long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.matches("\\s*(Total|-\\s+\\S.*)\\(reserved=.*") || line.startsWith("Total")) System.out.println("  nmt " + line.strip());
        }
    }
}
