package org.lobstertrap.puzzlepod.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.Peer;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;
import org.lobstertrap.puzzlepod.daemon.dbus.BusEndpoint;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/**
 * The D-Bus transport of puzzled, on a private dbus-daemon (system type, with the product's policy) and a
 * stand-in service that answers at once, so only the transport is measured:
 *
 * <ol>
 *   <li>in-process round trips through {@link PuzzlePodClient}: {@code Status} and {@code CreateBranch}
 *       (realistic argument and a ~1 KiB branch document back), against {@code org.freedesktop.DBus.Peer.Ping}
 *       on the same object and connection (answered inside dbus-java: the floor of any call);</li>
 *   <li>a fresh client process (JVM start, connect, one Status, exit: what each hook or CLI call pays),
 *       without and with a JDK AOT cache, against {@code dbus-send --print-reply} making the same call.</li>
 * </ol>
 *
 * <p>Arguments: {@code [calls per round (default 2000)] [rounds (default 5)] [process runs (default 15)]}.
 * Needs root (the policy lets only root own the name) and dbus-daemon/dbus-send.
 */
public final class DbusBenchmark {
    private DbusBenchmark() {}

    /** A branch document of the size the service returns. */
    private static final String BRANCH = """
            {"id":"agent-7f3a","owner_uid":1000,"profile":"standard","base":"/home/dev/project","workspace":"/workspace",\
            "state":"ready","created":"2026-01-01T10:00:00.000000000Z","updated":"2026-01-01T10:00:00.000000000Z",\
            "expires_at":"2026-01-02T10:00:00.000000000Z","container_id":null,"pid":null,"overlay":"kernel",\
            "upper":"/var/lib/puzzled/branches/agent-7f3a/upper","work":"/var/lib/puzzled/branches/agent-7f3a/work",\
            "on_exit":"commit","failure_reason":null,\
            "podman_volume":"/home/dev/project:/workspace:O,upperdir=/var/lib/puzzled/branches/agent-7f3a/upper,workdir=/var/lib/puzzled/branches/agent-7f3a/work",\
            "decision":null}""";

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int procRuns = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Path dir = Files.createTempDirectory("puzzlepod-dbus-bench");
        Path policy = dir.resolve("org.lobstertrap.PuzzlePod1.conf");
        try (var in = DbusBenchmark.class.getResourceAsStream("/dbus/org.lobstertrap.PuzzlePod1.conf")) {
            if (in == null) throw new IllegalStateException("dbus/org.lobstertrap.PuzzlePod1.conf is not on the class path");
            Files.copy(in, policy);
        }
        try (DbusDaemon bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(policy));
             DBusConnection server = BusEndpoint.connect(BusChoice.address(bus.address()), () -> {})) {
            BusEndpoint endpoint = BusEndpoint.export(server, new Canned(), 0);
            endpoint.requestName();
            try {
                inProcess(bus.address(), calls, rounds);
                freshProcesses(bus.address(), dir, procRuns);
            } finally {
                endpoint.close();
            }
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void inProcess(String address, int calls, int rounds) throws Exception {
        try (PuzzlePodClient c = PuzzlePodClient.connect(BusChoice.address(address))) {
            Peer peer = c.connection().getRemoteObject(Manager1.BUS_NAME, Manager1.OBJECT_PATH, Peer.class);
            String options = "{\"id\":\"agent-7f3a\",\"on_exit\":\"commit\",\"require_clean_exit\":true,\"overlay\":\"kernel\"}";
            Runnable ping = peer::Ping;
            Runnable status = () -> call(c::status);
            Runnable create = () -> call(() -> c.createBranch("standard", "/home/dev/project", options));
            for (Runnable r : List.of(ping, status, create)) time(r, calls); // warm-up
            long[][] med = new long[3][rounds];
            long[][] p99 = new long[3][rounds];
            for (int i = 0; i < rounds; i++) {
                Runnable[] order = i % 2 == 0 ? new Runnable[] {ping, status, create} : new Runnable[] {create, status, ping};
                for (Runnable r : order) {
                    long[] t = time(r, calls);
                    int k = r == ping ? 0 : r == status ? 1 : 2;
                    med[k][i] = t[t.length / 2];
                    p99[k][i] = t[(int) (t.length * 0.99)];
                }
            }
            System.out.printf("in-process round trips (%d calls x %d rounds, interleaved), median of round medians / p99:%n", calls, rounds);
            String[] names = {"Peer.Ping (reference: floor)", "Status (stand-in)", "CreateBranch (stand-in, 1 KiB reply)"};
            for (int k = 0; k < 3; k++) {
                System.out.printf("  %-40s %7.1f µs   p99 %7.1f µs%n", names[k], median(med[k]) / 1e3, median(p99[k]) / 1e3);
            }
            System.out.printf("  ratio Status / Ping: %.2fx, CreateBranch / Ping: %.2fx%n",
                    (double) median(med[1]) / median(med[0]), (double) median(med[2]) / median(med[0]));
        }
    }

    private interface Call { String run() throws Exception; }

    private static void call(Call c) {
        try {
            c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] time(Runnable r, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t;
    }

    private static void freshProcesses(String address, Path dir, int runs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = jarsOnly(System.getProperty("java.class.path"));
        Path aot = dir.resolve("status-once.aot");
        List<String> base = List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss8m", "-Xlog:aot=off", "-Xlog:cds=off", "-cp", cp);
        List<String> main = List.of(DbusStatusOnce.class.getName(), address);
        List<String> plain = concat(base, main);
        List<String> train = concat(concat(base, List.of("-XX:AOTCacheOutput=" + aot)), main);
        List<String> withAot = concat(concat(base, List.of("-XX:AOTCache=" + aot)), main);
        List<String> dbusSend = List.of("dbus-send", "--bus=" + address, "--print-reply", "--dest=" + Manager1.BUS_NAME,
                Manager1.OBJECT_PATH, Manager1.INTERFACE + ".Status");
        run(train);
        if (!Files.isRegularFile(aot)) throw new IllegalStateException("the AOT training run made no cache at " + aot);
        for (List<String> cmd : List.of(dbusSend, plain, withAot)) run(cmd); // warm the page cache
        long[] send = new long[runs], noAot = new long[runs], yesAot = new long[runs];
        for (int i = 0; i < runs; i++) {
            send[i] = run(dbusSend);
            noAot[i] = run(plain);
            yesAot[i] = run(withAot);
        }
        System.out.printf("fresh client process: JVM start + connect + one Status + exit (%d runs each, interleaved), median:%n", runs);
        System.out.printf("  %-40s %7.1f ms%n", "dbus-send --print-reply (reference)", median(send) / 1e6);
        System.out.printf("  %-40s %7.1f ms   %.1fx%n", "java, no AOT cache", median(noAot) / 1e6, (double) median(noAot) / median(send));
        System.out.printf("  %-40s %7.1f ms   %.1fx%n", "java, AOT cache (JEP 514)", median(yesAot) / 1e6, (double) median(yesAot) / median(send));
    }

    /** An AOT cache needs a class path of jars: target/classes is replaced by the module's jar next to it. */
    private static String jarsOnly(String classPath) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String e : classPath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (!Files.isDirectory(p)) {
                out.add(e);
                continue;
            }
            try (var jars = Files.list(p.toAbsolutePath().getParent())) {
                Path jar = jars.filter(j -> j.toString().endsWith(".jar") && !j.toString().endsWith("-sources.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("the class path holds the directory " + e
                                + " and no jar beside it; an AOT cache needs jars: run mvn package first"));
                out.add(jar.toString());
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static long run(List<String> cmd) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd.getLast());
        }
        long t = System.nanoTime() - t0;
        String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || !text.contains("Status")) {
            throw new IllegalStateException("exit " + p.exitValue() + ": " + text);
        }
        return t;
    }

    private static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Answers every call at once. */
    private static final class Canned implements ManagerApi {
        @Override public String createBranch(Caller c, String profile, String base, String optionsJson) { return BRANCH; }
        @Override public String inspectBranch(Caller c, String id) { return BRANCH; }
        @Override public String listBranches(Caller c, String filterJson) { return "{\"branches\":[]}"; }
        @Override public String diffBranch(Caller c, String id) { return "{}"; }
        @Override public String commitBranch(Caller c, String id) { return "{}"; }
        @Override public String rollbackBranch(Caller c, String id, String reason) { return BRANCH; }
        @Override public String approveBranch(Caller c, String id, String comment) { return "{}"; }
        @Override public String rejectBranch(Caller c, String id, String reason) { return "{}"; }
        @Override public String attachGovernance(Caller c, String id, String containerJson) { return BRANCH; }
        @Override public String triggerGovernance(Caller c, String id, String eventJson) { return "{}"; }
        @Override public String waitBranch(Caller c, String id, long timeoutMillis) { return BRANCH; }
        @Override public String reloadPolicy(Caller c) { return "{}"; }
        @Override public String queryAuditEvents(Caller c, String queryJson) { return "{\"events\":[]}"; }
        @Override public String verifyAudit(Caller c) { return "{}"; }
        @Override public String listProfiles(Caller c) { return "{\"profiles\":[]}"; }
        @Override public String showProfile(Caller c, String name) { return "{}"; }
        @Override public String validateProfile(Caller c, String yaml) { return "{}"; }
        @Override public String testPolicy(Caller c, String changesetJson, String profile) { return "{}"; }
        @Override public String status(Caller c) { return "{\"method\":\"Status\",\"version\":\"0.1.0\"}"; }
    }
}
