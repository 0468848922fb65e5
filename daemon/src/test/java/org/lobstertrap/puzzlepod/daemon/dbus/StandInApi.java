package org.lobstertrap.puzzlepod.daemon.dbus;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.GovernanceEvents;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;

/**
 * A ManagerApi that records every call with its Caller and answers {@code {"method":…,"args":n}}. An id or
 * first argument of the form {@code error:<Code>} makes it throw ApiException with that code, and
 * {@code boom} a plain RuntimeException, so tests can cue every failure through the real transport.
 */
public final class StandInApi implements ManagerApi {
    /** One recorded call. */
    public record Call(String method, Caller caller, List<Object> args) {}

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    /** WaitBranch of the id "block" waits for this (at most 60 s). */
    public final CountDownLatch release = new CountDownLatch(1);
    private final GovernanceEvents events;

    public StandInApi() { this(GovernanceEvents.NONE); }

    /** A stand-in that also announces each CreateBranch as a BranchCreated event. */
    public StandInApi(GovernanceEvents events) { this.events = events; }

    private String answer(String method, Caller c, Object... args) {
        calls.add(new Call(method, c, List.of(args)));
        if (args.length > 0 && args[0] instanceof String s) {
            if (s.startsWith("error:")) {
                ApiError code = ApiError.valueOf(s.substring(6));
                throw new ApiException(code, "cued " + code + " for " + method);
            }
            if (s.equals("boom")) throw new IllegalStateException("secret internal detail");
        }
        return "{\"method\":\"" + method + "\",\"uid\":" + c.uid() + "}";
    }

    @Override public String createBranch(Caller c, String profile, String base, String options) {
        String r = answer("CreateBranch", c, profile, base, options);
        events.branchCreated("b1", r);
        return r;
    }
    @Override public String inspectBranch(Caller c, String id) { return answer("InspectBranch", c, id); }
    @Override public String listBranches(Caller c, String filter) { return answer("ListBranches", c, filter); }
    @Override public String diffBranch(Caller c, String id) { return answer("DiffBranch", c, id); }
    @Override public String commitBranch(Caller c, String id) { return answer("CommitBranch", c, id); }
    @Override public String rollbackBranch(Caller c, String id, String reason) { return answer("RollbackBranch", c, id, reason); }
    @Override public String approveBranch(Caller c, String id, String comment) { return answer("ApproveBranch", c, id, comment); }
    @Override public String rejectBranch(Caller c, String id, String reason) { return answer("RejectBranch", c, id, reason); }
    @Override public String attachGovernance(Caller c, String id, String container) { return answer("AttachGovernance", c, id, container); }
    @Override public String triggerGovernance(Caller c, String id, String event) { return answer("TriggerGovernance", c, id, event); }
    @Override public String waitBranch(Caller c, String id, long timeoutMillis) {
        if (id.equals("block")) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return answer("WaitBranch", c, id, timeoutMillis);
    }
    @Override public String reloadPolicy(Caller c) { return answer("ReloadPolicy", c); }
    @Override public String queryAuditEvents(Caller c, String query) { return answer("QueryAuditEvents", c, query); }
    @Override public String verifyAudit(Caller c) { return answer("VerifyAudit", c); }
    @Override public String listProfiles(Caller c) { return answer("ListProfiles", c); }
    @Override public String showProfile(Caller c, String name) { return answer("ShowProfile", c, name); }
    @Override public String validateProfile(Caller c, String yaml) { return answer("ValidateProfile", c, yaml); }
    @Override public String testPolicy(Caller c, String changeset, String profile) { return answer("TestPolicy", c, changeset, profile); }
    @Override public String status(Caller c) { return answer("Status", c); }
}
