package org.lobstertrap.puzzlepod.bench.podman;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.PartialManagerApi;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookProtocol;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookSocketServer;

/**
 * A stand-in for puzzled, for {@code bench/e2e-run.sh --stand-in} and the wrapper's AOT training: serves
 * the daemon's real hook socket in the given runtime directory and answers what
 * {@code puzzle-podman run --auto-commit} calls. CreateBranch makes a real upper and work directory (so
 * podman mounts a real overlay branch); TriggerGovernance and WaitBranch answer "committed" at once without
 * diffing or committing. It measures the wrapper's own cost, not the gate's.
 *
 * <p>usage: {@code StandInPuzzled RUNTIME-DIR BRANCH-ROOT}; prints {@code ready} and serves until stdin closes.
 */
public final class StandInPuzzled extends PartialManagerApi {
    private final Path root;
    private final AtomicInteger next = new AtomicInteger();

    private StandInPuzzled(Path root) { this.root = root; }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: StandInPuzzled RUNTIME-DIR BRANCH-ROOT");
            System.exit(2);
        }
        StandInPuzzled standIn = new StandInPuzzled(Files.createDirectories(Path.of(args[1])));
        try (HookSocketServer server = HookSocketServer.start(Path.of(args[0]).resolve(HookSocketServer.SOCKET_NAME),
                new HookProtocol(standIn), 0)) {
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) { /* serve until stdin closes */ }
        }
        System.exit(0);
    }

    @Override public String showProfile(Caller c, String name) {
        return "{\"name\":\"" + name + "\",\"resource_limits\":{\"memory_bytes\":1073741824,\"max_pids\":256,\"cpu_shares\":1024},"
                + "\"network\":{\"mode\":\"Blocked\",\"allowed_domains\":[]}}";
    }

    @Override public String createBranch(Caller c, String profile, String base, String options) {
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

    @Override public String triggerGovernance(Caller c, String id, String event) {
        return "{\"branch\":\"" + id + "\",\"accepted\":true,\"state\":\"committing\"}";
    }

    @Override public String waitBranch(Caller c, String id, long timeout) {
        return "{\"id\":\"" + id + "\",\"state\":\"committed\",\"decided\":true,\"decision\":{\"branch\":\"" + id
                + "\",\"outcome\":\"committed\",\"allow\":true,\"violations\":[],\"warnings\":[],\"changes\":0,\"files\":0,\"bytes\":0}}";
    }

    @Override public String rollbackBranch(Caller c, String id, String reason) { return "{\"id\":\"" + id + "\",\"state\":\"rolled-back\"}"; }

    @Override public String status(Caller c) { return "{\"version\":\"stand-in\"}"; }

    @Override public String diffBranch(Caller c, String id) {
        return "{\"branch\":\"" + id + "\",\"changes\":[],\"skipped\":[],\"summary\":{\"changes\":0,\"bytes\":0}}";
    }

    @Override public String commitBranch(Caller c, String id) {
        return "{\"branch\":\"" + id + "\",\"outcome\":\"committed\",\"allow\":true,\"violations\":[],\"warnings\":[],\"changes\":0,\"files\":0,\"bytes\":0}";
    }

    @Override protected ApiException unserved(String method) {
        return new ApiException(ApiError.Unavailable, method + " is not in the benchmark's stand-in");
    }
}
