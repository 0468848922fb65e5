package org.lobstertrap.puzzlepod.hook;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.PartialManagerApi;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookProtocol;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookSocketServer;

/**
 * A stand-in for puzzled behind the daemon's real hook socket: answers the calls the hook makes from the
 * branches it was given, and records every call. Anything else is a bug in the test.
 */
final class StandInManager extends PartialManagerApi implements AutoCloseable {
    @Override protected ApiException unserved(String method) { throw new UnsupportedOperationException(method); }

    /** One call as the daemon received it. */
    record Call(String method, List<String> args) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final HookSocketServer server;
    /** Branch JSON per id (InspectBranch) and what CreateBranch answers for its arguments. */
    volatile Map<String, String> branches = Map.of();
    volatile Function<List<String>, String> create = args -> { throw new ApiException(ApiError.Internal, "no CreateBranch answer configured"); };

    private StandInManager(Path runtimeDir) throws Exception {
        server = HookSocketServer.start(runtimeDir.resolve(HookSocketServer.SOCKET_NAME), new HookProtocol(this), 0);
    }

    /** Serves the hook socket in {@code runtimeDir}. */
    static StandInManager serve(Path runtimeDir) throws Exception { return new StandInManager(runtimeDir); }

    /** A branch JSON as puzzled shapes it. */
    static String branchJson(String id, String profile, String base, String state, String upper, String work, String overlay) {
        return branchJson(id, profile, base, state, upper, work, overlay, null, null);
    }

    /** A branch JSON with the containment paths (the rules file and the seccomp listener; null = none). */
    static String branchJson(String id, String profile, String base, String state, String upper, String work, String overlay,
                             String shimRules, String seccompListener) {
        return """
                {"id":"%s","owner_uid":0,"profile":"%s","base":"%s","workspace":"/workspace","state":"%s",\
                "created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z","expires_at":null,"container_id":null,\
                "pid":null,"overlay":"%s","upper":"%s","work":"%s","on_exit":"commit","failure_reason":null,\
                "podman_volume":"%s:/workspace:O,upperdir=%s,workdir=%s","shim_rules":%s,"seccomp_listener":%s,"decision":null}"""
                .formatted(id, profile, base, state, overlay, upper, work, base, upper, work, quoted(shimRules), quoted(seccompListener));
    }

    private static String quoted(String s) { return s == null ? "null" : "\"" + s + "\""; }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    @Override
    public void close() throws Exception { server.close(); }

    @Override public String createBranch(Caller c, String profile, String base, String options) {
        calls.add(new Call("CreateBranch", List.of(profile, base, options)));
        return create.apply(List.of(profile, base, options));
    }

    @Override public String inspectBranch(Caller c, String id) {
        calls.add(new Call("InspectBranch", List.of(id)));
        String b = branches.get(id);
        if (b == null) throw ApiException.notFound("no branch " + id);
        return b;
    }

    @Override public String rollbackBranch(Caller c, String id, String reason) {
        calls.add(new Call("RollbackBranch", List.of(id, reason)));
        return "{\"id\":\"" + id + "\",\"state\":\"rolled-back\"}";
    }

}
