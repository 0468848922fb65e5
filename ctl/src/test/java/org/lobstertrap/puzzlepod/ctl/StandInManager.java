package org.lobstertrap.puzzlepod.ctl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.PuzzlePod1.Error;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.Manager1;

/**
 * A stand-in for puzzled's Manager1: records every call with its arguments and answers what the test told
 * it to (a JSON string or a daemon error). A call nobody prepared is answered with an Internal error.
 */
final class StandInManager implements Manager1 {
    /** One call as it arrived over the bus. */
    record Call(String method, List<String> args) {
        static Call of(String method, String... args) { return new Call(method, List.of(args)); }
    }

    private record Failure(ApiError code, String message) {}

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Object> answers = new HashMap<>();

    synchronized void reset() {
        calls.clear();
        answers.clear();
    }

    synchronized StandInManager answer(String method, String json) {
        answers.put(method, json);
        return this;
    }

    synchronized StandInManager fail(String method, ApiError code, String message) {
        answers.put(method, new Failure(code, message));
        return this;
    }

    synchronized List<Call> calls() { return List.copyOf(calls); }

    private synchronized String call(String method, String... args) {
        calls.add(Call.of(method, args));
        Object a = answers.get(method);
        if (a instanceof Failure f) throw Error.of(f.code(), f.message());
        if (a == null) throw Error.of(ApiError.Internal, "the test prepared no answer for " + method);
        return (String) a;
    }

    @Override public String getObjectPath() { return OBJECT_PATH; }
    @Override public String CreateBranch(String p, String b, String o) { return call("CreateBranch", p, b, o); }
    @Override public String InspectBranch(String id) { return call("InspectBranch", id); }
    @Override public String ListBranches(String f) { return call("ListBranches", f); }
    @Override public String DiffBranch(String id) { return call("DiffBranch", id); }
    @Override public String CommitBranch(String id) { return call("CommitBranch", id); }
    @Override public String RollbackBranch(String id, String r) { return call("RollbackBranch", id, r); }
    @Override public String ApproveBranch(String id, String c) { return call("ApproveBranch", id, c); }
    @Override public String RejectBranch(String id, String r) { return call("RejectBranch", id, r); }
    @Override public String AttachGovernance(String id, String c) { return call("AttachGovernance", id, c); }
    @Override public String TriggerGovernance(String id, String e) { return call("TriggerGovernance", id, e); }
    @Override public String WaitBranch(String id, UInt32 t) { return call("WaitBranch", id, t.toString()); }
    @Override public String ReloadPolicy() { return call("ReloadPolicy"); }
    @Override public String QueryAuditEvents(String q) { return call("QueryAuditEvents", q); }
    @Override public String VerifyAudit() { return call("VerifyAudit"); }
    @Override public String ListProfiles() { return call("ListProfiles"); }
    @Override public String ShowProfile(String n) { return call("ShowProfile", n); }
    @Override public String ValidateProfile(String y) { return call("ValidateProfile", y); }
    @Override public String TestPolicy(String c, String p) { return call("TestPolicy", c, p); }
    @Override public String Status() { return call("Status"); }
}
