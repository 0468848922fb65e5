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
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.PartialManagerApi;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookProtocol;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookSocketServer;

/**
 * Wall time of {@code bin/puzzle-hook precreate} as a real process (launcher + JVM + one call on the hook
 * socket to a stand-in puzzled served by the daemon's real {@link HookSocketServer}), with the AOT cache and
 * without it ({@code -XX:AOTMode=off}), and of a plain Java main with its AOT cache (the floor any Java hook
 * pays), against {@code podman run --rm localhost/puzzlepod-test:latest true} timed interleaved in the same
 * run. CPU time (user + sys, from {@code /usr/bin/time}) is printed too: it depends less on the machine's
 * load. precreate is the only hook left: puzzled attaches at runc's seccomp message and triggers at the
 * init's exit.
 *
 * <p>Usage (as root, from the repository root, after {@code mvn package} and {@code bin/build-aot-caches}):
 * {@code HookStartupBench [--runs 11] [--repo .]}.
 */
public final class HookStartupBench {
    private HookStartupBench() {}

    private static final String IMAGE = "localhost/puzzlepod-test:latest";

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
        Path hook = repo.resolve("bin/puzzle-hook");
        Path cache = repo.resolve("oci-hook/target/aot/PuzzleHook.aot");
        Path shim = repo.resolve("init-shim/target/puzzle-init");
        if (!Files.isExecutable(hook)) throw new IOException("no " + hook + "; run from the repository root (or pass --repo)");
        if (!Files.isRegularFile(cache)) throw new IOException("no AOT cache at " + cache + "; run bin/build-aot-caches after mvn package");
        if (!Files.isExecutable(shim)) throw new IOException("no " + shim + "; mvn package builds it");
        Path tmp = Files.createTempDirectory("puzzlepod-hook-bench");
        Path runtimeDir = tmp.resolve("run");
        Path base = Files.createDirectories(tmp.resolve("project"));
        Path upper = Files.createDirectories(tmp.resolve("branch/upper"));
        Path work = Files.createDirectories(tmp.resolve("branch/work"));
        Path rules = Files.writeString(tmp.resolve("bench.rules"), "version 1\n");
        String branch = "{\"id\":\"bench-1\",\"profile\":\"standard\",\"base\":\"" + base.toRealPath() + "\",\"workspace\":\"/workspace\","
                + "\"state\":\"ready\",\"overlay\":\"kernel\",\"upper\":\"" + upper + "\",\"work\":\"" + work + "\","
                + "\"shim_rules\":\"" + rules + "\",\"seccomp_listener\":\"" + runtimeDir.resolve("seccomp.sock") + "\"}";
        Path floor = writeFloor(tmp);
        try (HookSocketServer server = HookSocketServer.start(runtimeDir.resolve(HookSocketServer.SOCKET_NAME),
                new HookProtocol(new StandIn(branch)), 0)) {
            String spec = Files.readString(repo.resolve("oci-hook/src/test/resources/specs/podman-4.3.1-workspace-bind.json"))
                    .replace("/srv/agent-project", base.toRealPath().toString());
            Map<String, List<Long>> times = new LinkedHashMap<>();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (int run = -1; run < runs; run++) { // run -1 warms the page cache
                record("podman run --rm IMAGE true", run, times, time(List.of("podman", "run", "--rm", IMAGE, "true"), "", Map.of()));
                record("plain Java main (AOT cache)", run, times, time(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-XX:AOTCache=" + tmp.resolve("floor.aot"), "-cp", floor.toString(), "Floor"), "", Map.of()));
                for (String mode : List.of("AOT cache", "no AOT cache")) {
                    Map<String, String> env = new LinkedHashMap<>();
                    env.put("PUZZLEPOD_RUNTIME_DIR", runtimeDir.toString());
                    env.put("PUZZLEPOD_SHIM", shim.toString());
                    if (mode.equals("no AOT cache")) env.put("PUZZLEPOD_JAVA_OPTS", "-XX:AOTMode=off");
                    record("precreate (" + mode + ")", run, times, time(List.of(hook.toString(), "precreate"), spec, env));
                }
            }
            report(times, runs);
        } finally {
            try (var walk = Files.walk(tmp)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A class that does nothing, with its own AOT cache: what any Java process costs at least. */
    private static Path writeFloor(Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("floor"));
        Files.writeString(dir.resolve("Floor.java"), "public class Floor { public static void main(String[] a) { System.out.print(\"\"); } }\n");
        String bin = Path.of(System.getProperty("java.home"), "bin").toString();
        run(List.of(bin + "/javac", "-d", dir.toString(), dir.resolve("Floor.java").toString()));
        Path jar = tmp.resolve("floor.jar"); // an AOT cache needs its class path in jars
        run(List.of(bin + "/jar", "cf", jar.toString(), "-C", dir.toString(), "Floor.class"));
        run(List.of(bin + "/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:AOTCacheOutput=" + tmp.resolve("floor.aot"),
                "-cp", jar.toString(), "Floor"));
        return jar;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(command + " failed: " + out);
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

    /** Answers what precreate calls, always with the same branch. */
    static final class StandIn extends PartialManagerApi {
        private final String branch;

        StandIn(String branch) { this.branch = branch; }

        @Override protected ApiException unserved(String method) {
            return new ApiException(ApiError.Unavailable, method + " is not in the benchmark's stand-in");
        }

        @Override public String createBranch(Caller c, String p, String b, String o) { return branch; }
        @Override public String inspectBranch(Caller c, String id) { return branch; }
        @Override public String rollbackBranch(Caller c, String id, String r) { return branch; }
    }
}
