package org.lobstertrap.puzzlepod.daemon.api;

/**
 * A {@link ManagerApi} that serves no method until a subclass overrides it: the daemon's placeholder while
 * it starts, and the stand-ins of benchmarks, answer only what they must and refuse the rest with one error.
 */
public abstract class PartialManagerApi implements ManagerApi {
    /** The error for a method this object does not serve ({@code method} is its D-Bus member name). */
    protected abstract ApiException unserved(String method);

    @Override public String createBranch(Caller c, String profile, String base, String optionsJson) { throw unserved("CreateBranch"); }
    @Override public String inspectBranch(Caller c, String id) { throw unserved("InspectBranch"); }
    @Override public String listBranches(Caller c, String filterJson) { throw unserved("ListBranches"); }
    @Override public String diffBranch(Caller c, String id) { throw unserved("DiffBranch"); }
    @Override public String commitBranch(Caller c, String id) { throw unserved("CommitBranch"); }
    @Override public String rollbackBranch(Caller c, String id, String reason) { throw unserved("RollbackBranch"); }
    @Override public String approveBranch(Caller c, String id, String comment) { throw unserved("ApproveBranch"); }
    @Override public String rejectBranch(Caller c, String id, String reason) { throw unserved("RejectBranch"); }
    @Override public String attachGovernance(Caller c, String id, String containerJson) { throw unserved("AttachGovernance"); }
    @Override public String triggerGovernance(Caller c, String id, String eventJson) { throw unserved("TriggerGovernance"); }
    @Override public String waitBranch(Caller c, String id, long timeoutMillis) { throw unserved("WaitBranch"); }
    @Override public String reloadPolicy(Caller c) { throw unserved("ReloadPolicy"); }
    @Override public String queryAuditEvents(Caller c, String queryJson) { throw unserved("QueryAuditEvents"); }
    @Override public String verifyAudit(Caller c) { throw unserved("VerifyAudit"); }
    @Override public String listProfiles(Caller c) { throw unserved("ListProfiles"); }
    @Override public String showProfile(Caller c, String name) { throw unserved("ShowProfile"); }
    @Override public String validateProfile(Caller c, String yaml) { throw unserved("ValidateProfile"); }
    @Override public String testPolicy(Caller c, String changesetJson, String profile) { throw unserved("TestPolicy"); }
    @Override public String status(Caller c) { throw unserved("Status"); }
}
