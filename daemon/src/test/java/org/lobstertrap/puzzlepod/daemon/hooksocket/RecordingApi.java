package org.lobstertrap.puzzlepod.daemon.hooksocket;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;
import org.lobstertrap.puzzlepod.daemon.api.PartialManagerApi;

/**
 * A ManagerApi that records each call as "Method(caller uid; args…)" and answers a small JSON object; the
 * branch "root-owned" belongs to uid 0, so a caller that is not privileged gets AccessDenied for it, as
 * from the service.
 */
final class RecordingApi extends PartialManagerApi {
    @Override protected ApiException unserved(String method) { throw new UnsupportedOperationException(method); }

    final List<String> calls = new CopyOnWriteArrayList<>();

    private String record(Caller c, String method, Object... args) {
        StringBuilder b = new StringBuilder(method).append('(').append(c.uid());
        for (Object a : args) b.append("; ").append(a);
        calls.add(b.append(')').toString());
        return "{\"method\":\"" + method + "\",\"uid\":" + c.uid() + "}";
    }

    private String owned(Caller c, String method, String id, Object... more) {
        if (id.equals("root-owned") && !c.mayActOn(0)) throw ApiException.denied("branch root-owned belongs to uid 0");
        if (id.equals("missing")) throw ApiException.notFound("no branch missing");
        Object[] args = new Object[more.length + 1];
        args[0] = id;
        System.arraycopy(more, 0, args, 1, more.length);
        return record(c, method, args);
    }

    @Override public String createBranch(Caller c, String profile, String base, String options) { return record(c, "CreateBranch", profile, base, options); }
    @Override public String inspectBranch(Caller c, String id) { return owned(c, "InspectBranch", id); }
    @Override public String diffBranch(Caller c, String id) { return owned(c, "DiffBranch", id); }
    @Override public String commitBranch(Caller c, String id) { return owned(c, "CommitBranch", id); }
    @Override public String rollbackBranch(Caller c, String id, String reason) { return owned(c, "RollbackBranch", id, reason); }
    @Override public String triggerGovernance(Caller c, String id, String event) { return owned(c, "TriggerGovernance", id, event); }
    @Override public String waitBranch(Caller c, String id, long timeoutMillis) {
        if (id.equals("explodes")) throw new IllegalStateException("a bug");
        return owned(c, "WaitBranch", id, timeoutMillis);
    }
    @Override public String showProfile(Caller c, String name) {
        if (name.equals("pretty")) return "{\n  \"a\": \"x\\ny\",\r\n  \"b\": 1\n}"; // pretty-printed, with an escaped newline in a string
        return record(c, "ShowProfile", name);
    }
}
