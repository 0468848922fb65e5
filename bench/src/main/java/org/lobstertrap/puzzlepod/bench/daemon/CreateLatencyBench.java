package org.lobstertrap.puzzlepod.bench.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.freedesktop.dbus.interfaces.Peer;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.branch.NewBranch;

/**
 * Branch-create latency over D-Bus against the real puzzled: {@code CreateBranch} + {@code RollbackBranch}
 * pairs through {@link PuzzlePodClient}, against two references measured in the same run, interleaved by
 * round: {@code org.freedesktop.DBus.Peer.Ping} on the same connection (the floor of any call), and
 * {@link BranchStore#create} (+ {@link BranchStore#rollback}) in-process on the same file system (the
 * branch's own work without D-Bus, the service, policy lookup and audit).
 *
 * <p>Arguments: {@code [pairs per round (default 200)] [rounds (default 5)] [scratch parent dir (default
 * java.io.tmpdir)]}. Run from the repository root, as root, after {@code mvn package}.
 */
public final class CreateLatencyBench {
    private CreateLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path scratch = Path.of(args.length > 2 ? args[2] : System.getProperty("java.io.tmpdir"));
        // the in-process store logs every create and rollback at INFO, which would be timed too
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        long[] ping = new long[pairs * rounds], create = new long[pairs * rounds], pair = new long[pairs * rounds];
        long[] storeCreate = new long[pairs * rounds], storePair = new long[pairs * rounds];
        try (RealPuzzled p = RealPuzzled.start(scratch, "");
             PuzzlePodClient c = p.client();
             BranchStore store = BranchStore.open(p.dir.resolve("store"))) {
            Path base = p.base("project");
            Peer peer = c.connection().getRemoteObject(Manager1.BUS_NAME, Manager1.OBJECT_PATH, Peer.class);
            // warm-up: JIT of both sides, page cache, the daemon's first audit file
            for (int i = 0; i < pairs; i++) {
                peer.Ping();
                dbusPair(c, base, "w" + i, null, 0);
                storePair(store, base, null, 0);
            }
            for (int r = 0; r < rounds; r++) {
                int off = r * pairs;
                for (int i = 0; i < pairs; i++) {
                    long t0 = System.nanoTime();
                    peer.Ping();
                    ping[off + i] = System.nanoTime() - t0;
                }
                for (int i = 0; i < pairs; i++) dbusPair(c, base, "r" + r + "-" + i, create, off + i, pair);
                for (int i = 0; i < pairs; i++) storePair(store, base, storeCreate, off + i, storePair);
            }
        }
        System.out.printf("branch create over D-Bus against the real puzzled (bin/puzzled), %d pairs x %d rounds, interleaved by round:%n", pairs, rounds);
        row("Peer.Ping (reference: D-Bus floor)", ping);
        row("CreateBranch over D-Bus", create);
        row("CreateBranch + RollbackBranch", pair);
        row("BranchStore.create in-process", storeCreate);
        row("BranchStore.create + rollback", storePair);
        System.out.printf("  ratio CreateBranch / Peer.Ping:               median %.1fx  p90 %.1fx%n",
                ratio(create, ping, 50), ratio(create, ping, 90));
        System.out.printf("  ratio CreateBranch / BranchStore.create:      median %.1fx  p90 %.1fx%n",
                ratio(create, storeCreate, 50), ratio(create, storeCreate, 90));
        System.out.printf("  ratio pair over D-Bus / pair in-process:      median %.1fx  p90 %.1fx%n",
                ratio(pair, storePair, 50), ratio(pair, storePair, 90));
    }

    private static void dbusPair(PuzzlePodClient c, Path base, String id, long[] create, int at) throws Exception {
        dbusPair(c, base, id, create, at, null);
    }

    private static void dbusPair(PuzzlePodClient c, Path base, String id, long[] create, int at, long[] pair) throws Exception {
        long t0 = System.nanoTime();
        c.createBranch("standard", base.toString(), "{\"id\":\"" + id + "\"}");
        long t1 = System.nanoTime();
        c.rollbackBranch(id, "benchmark");
        long t2 = System.nanoTime();
        if (create != null) create[at] = t1 - t0;
        if (pair != null) pair[at] = t2 - t0;
    }

    private static void storePair(BranchStore store, Path base, long[] create, int at) {
        storePair(store, base, create, at, null);
    }

    private static void storePair(BranchStore store, Path base, long[] create, int at, long[] pair) {
        long t0 = System.nanoTime();
        BranchId id = store.create(NewBranch.of(0, "standard", base, Duration.ofHours(1))).id();
        long t1 = System.nanoTime();
        store.rollback(id);
        long t2 = System.nanoTime();
        if (create != null) create[at] = t1 - t0;
        if (pair != null) pair[at] = t2 - t0;
    }

    private static void row(String name, long[] t) {
        System.out.printf("  %-38s median %8.1f µs   p90 %8.1f µs%n", name, Benchmarks.median(t) / 1e3, Benchmarks.percentile(t, 90) / 1e3);
    }

    private static double ratio(long[] a, long[] b, int p) { return (double) Benchmarks.percentile(a, p) / Benchmarks.percentile(b, p); }
}
