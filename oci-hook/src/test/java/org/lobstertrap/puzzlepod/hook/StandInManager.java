package org.lobstertrap.puzzlepod.hook;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.PuzzlePod1.Error;
import org.lobstertrap.puzzlepod.client.Manager1;

/**
 * A stand-in for puzzled on a real bus: answers the calls the hooks make from the branches it was given,
 * and records every call. Anything else is a bug in the test.
 */
final class StandInManager implements Manager1, AutoCloseable {
    /** One call as the daemon received it. */
    record Call(String method, List<String> args) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final DBusConnection connection;
    /** Branch JSON per id (InspectBranch) and what CreateBranch answers for its arguments. */
    volatile Map<String, String> branches = Map.of();
    volatile Function<List<String>, String> create = args -> { throw new Error.Internal("no CreateBranch answer configured"); };

    private StandInManager(DBusConnection connection) { this.connection = connection; }

    static StandInManager export(String busAddress) throws Exception {
        DBusConnection c = DBusConnectionBuilder.forAddress(busAddress).withShared(false).build();
        StandInManager m = new StandInManager(c);
        c.requestBusName(BUS_NAME);
        c.exportObject(OBJECT_PATH, m);
        return m;
    }

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

    @Override public void close() { connection.disconnect(); }

    @Override public String getObjectPath() { return OBJECT_PATH; }

    @Override public String CreateBranch(String profile, String base, String options) {
        calls.add(new Call("CreateBranch", List.of(profile, base, options)));
        return create.apply(List.of(profile, base, options));
    }

    @Override public String InspectBranch(String id) {
        calls.add(new Call("InspectBranch", List.of(id)));
        String b = branches.get(id);
        if (b == null) throw new Error.NotFound("no branch " + id);
        return b;
    }

    @Override public String RollbackBranch(String id, String reason) {
        calls.add(new Call("RollbackBranch", List.of(id, reason)));
        return "{\"id\":\"" + id + "\",\"state\":\"rolled-back\"}";
    }

    @Override public String AttachGovernance(String id, String container) {
        calls.add(new Call("AttachGovernance", List.of(id, container)));
        if (!branches.containsKey(id)) throw new Error.NotFound("no branch " + id);
        return branches.get(id);
    }

    @Override public String TriggerGovernance(String id, String event) {
        calls.add(new Call("TriggerGovernance", List.of(id, event)));
        if (!branches.containsKey(id)) throw new Error.NotFound("no branch " + id);
        return "{\"branch\":\"" + id + "\",\"accepted\":true,\"state\":\"committing\"}";
    }

    @Override public String ListBranches(String f) { throw new UnsupportedOperationException(); }
    @Override public String DiffBranch(String id) { throw new UnsupportedOperationException(); }
    @Override public String CommitBranch(String id) { throw new UnsupportedOperationException(); }
    @Override public String ApproveBranch(String id, String c) { throw new UnsupportedOperationException(); }
    @Override public String RejectBranch(String id, String r) { throw new UnsupportedOperationException(); }
    @Override public String WaitBranch(String id, UInt32 t) { throw new UnsupportedOperationException(); }
    @Override public String ReloadPolicy() { throw new UnsupportedOperationException(); }
    @Override public String QueryAuditEvents(String q) { throw new UnsupportedOperationException(); }
    @Override public String VerifyAudit() { throw new UnsupportedOperationException(); }
    @Override public String ListProfiles() { throw new UnsupportedOperationException(); }
    @Override public String ShowProfile(String n) { throw new UnsupportedOperationException(); }
    @Override public String ValidateProfile(String y) { throw new UnsupportedOperationException(); }
    @Override public String TestPolicy(String c, String p) { throw new UnsupportedOperationException(); }
    @Override public String Status() { throw new UnsupportedOperationException(); }
}
