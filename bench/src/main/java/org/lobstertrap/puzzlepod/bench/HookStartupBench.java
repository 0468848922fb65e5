package org.lobstertrap.puzzlepod.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.client.PartialManager;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/**
 * Wall time of each {@code bin/puzzle-hook} stage as a real process (launcher + JVM + one D-Bus call to a
 * stand-in puzzled on a private bus), with the AOT cache and without it ({@code -XX:AOTMode=off}), against
 * {@code podman run --rm localhost/puzzlepod-test:latest true} timed interleaved in the same run. CPU time
 * (user + sys, from {@code /usr/bin/time}) is printed too: it depends less on the machine's load.
 *
 * <p>Usage (as root, from the repository root, after {@code mvn package} and {@code bin/build-aot-caches}):
 * {@code HookStartupBench [--runs 11] [--repo .]}.
 */
public final class HookStartupBench {
    private HookStartupBench() {}

    private static final String IMAGE = "localhost/puzzlepod-test:latest";
    private static final Logger DBUS_LOG = Logger.getLogger("org.freedesktop.dbus");

    public static void main(String[] args) throws Exception {
        int runs = 11;
        Path repo = Path.of("").toAbsolutePath();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--repo" -> repo = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: HookStartupBench [--runs N] [--repo DIR]");
            }
        }
        DBUS_LOG.setLevel(Level.WARNING);
        Path hook = repo.resolve("bin/puzzle-hook");
        Path cache = repo.resolve("oci-hook/target/aot/PuzzleHook.aot");
        if (!Files.isExecutable(hook)) throw new IOException("no " + hook + "; run from the repository root (or pass --repo)");
        if (!Files.isRegularFile(cache)) throw new IOException("no AOT cache at " + cache + "; run bin/build-aot-caches after mvn package");
        Path tmp = Files.createTempDirectory("puzzlepod-hook-bench");
        try (DbusDaemon bus = DbusDaemon.startSession(tmp.resolve("bus"), false);
             DBusConnection server = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
            Path base = Files.createDirectories(tmp.resolve("project"));
            Path upper = Files.createDirectories(tmp.resolve("branch/upper"));
            Path work = Files.createDirectories(tmp.resolve("branch/work"));
            server.requestBusName(Manager1.BUS_NAME);
            server.exportObject(Manager1.OBJECT_PATH, new StandIn(base.toRealPath().toString(), upper.toString(), work.toString()));

            String spec = Files.readString(repo.resolve("oci-hook/src/test/resources/specs/podman-4.3.1-workspace-bind.json"))
                    .replace("/srv/agent-project", base.toRealPath().toString());
            String annotations = "{\"org.lobstertrap.puzzlepod.profile\":\"standard\",\"org.lobstertrap.puzzlepod.branch\":\"bench-1\"}";
            String created = "{\"id\":\"bench\",\"pid\":" + ProcessHandle.current().pid() + ",\"bundle\":\"" + tmp + "\",\"annotations\":" + annotations + "}";
            String stopped = "{\"id\":\"bench\",\"bundle\":\"" + tmp + "\",\"annotations\":" + annotations + "}";
            Map<String, String> stdin = new LinkedHashMap<>();
            stdin.put("precreate", spec);
            stdin.put("createRuntime", created);
            stdin.put("poststop", stopped);

            Map<String, List<Long>> times = new LinkedHashMap<>();
            for (int run = -1; run < runs; run++) { // run -1 warms the page cache
                record("podman run --rm IMAGE true", run, times, time(List.of("podman", "run", "--rm", IMAGE, "true"), "", Map.of()));
                for (String mode : List.of("AOT cache", "no AOT cache")) {
                    Map<String, String> env = new LinkedHashMap<>();
                    env.put("PUZZLEPOD_BUS", bus.address());
                    if (mode.equals("no AOT cache")) env.put("PUZZLEPOD_JAVA_OPTS", "-XX:AOTMode=off");
                    for (var s : stdin.entrySet()) {
                        record(s.getKey() + " (" + mode + ")", run, times, time(List.of(hook.toString(), s.getKey()), s.getValue(), env));
                    }
                }
            }
            report(times, runs);
        } finally {
            try (var walk = Files.walk(tmp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final Map<String, List<Long>> CPU = new LinkedHashMap<>();

    private static void record(String what, int run, Map<String, List<Long>> times, long nanos) {
        if (run < 0) return;
        times.computeIfAbsent(what, k -> new ArrayList<>()).add(nanos);
        CPU.computeIfAbsent(what, k -> new ArrayList<>()).add(lastCpu);
    }

    private static void report(Map<String, List<Long>> times, int runs) {
        double reference = median(times.get("podman run --rm IMAGE true"));
        System.out.printf("%d runs each, interleaved; medians (all runs in ms in brackets)%n", runs);
        System.out.printf("%-40s %9s %8s %9s%n", "what", "median", "÷ podman", "CPU");
        for (var e : times.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("%-40s %7.0f ms %7.2fx %6.0f ms  %s%n", e.getKey(), m / 1e6, m / reference,
                    median(CPU.get(e.getKey())) / 1e6, e.getValue().stream().map(n -> Long.toString(n / 1_000_000)).toList());
        }
        System.out.println("CPU: user + sys of the process and what it waited for (podman's conmon and runc are not in it)");
        for (String mode : List.of("AOT cache", "no AOT cache")) {
            double sum = 0;
            for (String stage : List.of("precreate", "createRuntime", "poststop")) sum += median(times.get(stage + " (" + mode + ")"));
            System.out.printf("%-40s %7.0f ms %7.2fx%n", "all three stages (" + mode + ")", sum / 1e6, sum / reference);
        }
    }

    private static double median(List<Long> values) {
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }

    /** CPU (user + sys, ns) of the last process {@link #time} ran, with the processes it waited for. */
    private static long lastCpu;

    /** Wall time of one process, which must succeed; its CPU time goes to {@link #lastCpu}. */
    private static long time(List<String> command, String stdin, Map<String, String> env) throws Exception {
        Path cpu = Files.createTempFile("puzzlepod-hook-bench", ".cpu");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-q", "-f", "%U %S", "-o", cpu.toString()));
        timed.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(timed).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Path err = Files.createTempFile("puzzlepod-hook-bench", ".err");
        pb.redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        long t = System.nanoTime() - t0;
        String errors = Files.readString(err);
        Files.delete(err);
        if (p.exitValue() != 0) throw new IOException(command + " failed (" + p.exitValue() + "): " + errors);
        String[] f = Files.readString(cpu).strip().split("\\s+");
        Files.delete(cpu);
        lastCpu = (long) ((Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1])) * 1e9);
        return t;
    }

    /** Answers the three calls the hooks make, always with the same branch. */
    static final class StandIn extends PartialManager {
        private final String branch;

        StandIn(String base, String upper, String work) {
            branch = "{\"id\":\"bench-1\",\"profile\":\"standard\",\"base\":\"" + base + "\",\"workspace\":\"/workspace\","
                    + "\"state\":\"ready\",\"overlay\":\"kernel\",\"upper\":\"" + upper + "\",\"work\":\"" + work + "\"}";
        }

        @Override public String getObjectPath() { return OBJECT_PATH; }
        @Override public String CreateBranch(String p, String b, String o) { return branch; }
        @Override public String InspectBranch(String id) { return branch; }
        @Override public String AttachGovernance(String id, String c) { return branch; }
        @Override public String TriggerGovernance(String id, String e) { return "{\"branch\":\"bench-1\",\"accepted\":true,\"state\":\"committing\"}"; }
    }
}
