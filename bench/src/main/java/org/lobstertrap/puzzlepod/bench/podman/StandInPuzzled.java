package org.lobstertrap.puzzlepod.bench.podman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.PuzzlePod1.Error;
import org.lobstertrap.puzzlepod.client.Manager1;

/**
 * A stand-in for puzzled, for {@code bench/e2e-run.sh --stand-in}: owns the daemon's bus name on the given
 * bus and answers what {@code puzzle-podman run --auto-commit} calls. CreateBranch makes a real upper and
 * work directory (so podman mounts a real overlay branch); TriggerGovernance and WaitBranch answer
 * "committed" at once without diffing or committing. It measures the wrapper's own cost, not the gate's.
 *
 * <p>usage: {@code StandInPuzzled BUS-ADDRESS BRANCH-ROOT}; prints {@code ready} and serves until stdin closes.
 */
public final class StandInPuzzled implements Manager1 {
    private final Path root;
    private final AtomicInteger next = new AtomicInteger();

    private StandInPuzzled(Path root) { this.root = root; }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StandInPuzzled BUS-ADDRESS BRANCH-ROOT");
            System.exit(2);
        }
        try (DBusConnection c = DBusConnectionBuilder.forAddress(args[0]).withShared(false).build()) {
            c.requestBusName(BUS_NAME);
            c.exportObject(OBJECT_PATH, new StandInPuzzled(Files.createDirectories(Path.of(args[1]))));
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) { /* serve until stdin closes */ }
        }
        System.exit(0);
    }

    @Override public String getObjectPath() { return OBJECT_PATH; }

    @Override public String ShowProfile(String name) {
        return "{\"name\":\"" + name + "\",\"resource_limits\":{\"memory_bytes\":1073741824,\"max_pids\":256,\"cpu_shares\":1024},"
                + "\"network\":{\"mode\":\"Blocked\",\"allowed_domains\":[]}}";
    }

    @Override public String CreateBranch(String profile, String base, String options) {
        String id = "bench-" + next.incrementAndGet();
        Path dir = root.resolve(id);
        try {
            Files.createDirectories(dir.resolve("upper"));
            Files.createDirectories(dir.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "{\"id\":\"" + id + "\",\"state\":\"ready\",\"podman_volume\":\"" + base + ":/workspace:O,upperdir="
                + dir.resolve("upper") + ",workdir=" + dir.resolve("work") + "\"}";
    }

    @Override public String TriggerGovernance(String id, String event) {
        return "{\"branch\":\"" + id + "\",\"accepted\":true,\"state\":\"committing\"}";
    }

    @Override public String WaitBranch(String id, UInt32 timeout) {
        return "{\"id\":\"" + id + "\",\"state\":\"committed\",\"decided\":true,\"decision\":{\"branch\":\"" + id
                + "\",\"outcome\":\"committed\",\"allow\":true,\"violations\":[],\"warnings\":[],\"changes\":0,\"files\":0,\"bytes\":0}}";
    }

    @Override public String RollbackBranch(String id, String reason) { return "{\"id\":\"" + id + "\",\"state\":\"rolled-back\"}"; }

    @Override public String Status() { return "{\"version\":\"stand-in\"}"; }

    private static RuntimeException absent() { return new Error.Unavailable("not in the benchmark's stand-in"); }

    @Override public String InspectBranch(String id) { throw absent(); }
    @Override public String ListBranches(String f) { throw absent(); }
    @Override public String DiffBranch(String id) {
        return "{\"branch\":\"" + id + "\",\"changes\":[],\"skipped\":[],\"summary\":{\"changes\":0,\"bytes\":0}}";
    }
    @Override public String CommitBranch(String id) {
        return "{\"branch\":\"" + id + "\",\"outcome\":\"committed\",\"allow\":true,\"violations\":[],\"warnings\":[],\"changes\":0,\"files\":0,\"bytes\":0}";
    }
    @Override public String ApproveBranch(String id, String c) { throw absent(); }
    @Override public String RejectBranch(String id, String r) { throw absent(); }
    @Override public String AttachGovernance(String id, String c) { throw absent(); }
    @Override public String ReloadPolicy() { throw absent(); }
    @Override public String QueryAuditEvents(String q) { throw absent(); }
    @Override public String VerifyAudit() { throw absent(); }
    @Override public String ListProfiles() { throw absent(); }
    @Override public String ValidateProfile(String y) { throw absent(); }
    @Override public String TestPolicy(String c, String p) { throw absent(); }
}
