package org.lobstertrap.puzzlepod.client;

import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.PuzzlePod1.Error;

/**
 * A {@link Manager1} that serves nothing: every method answers {@code Error.Internal} "… is not served here".
 * Stand-ins (AOT training runs, benchmarks, tests of the clients) extend it and override the calls they serve.
 */
public abstract class PartialManager implements Manager1 {
    private static Error.Internal notServed(String method) { return new Error.Internal(method + " is not served here"); }

    @Override public String getObjectPath() { return OBJECT_PATH; }
    @Override public String CreateBranch(String profile, String base, String optionsJson) { throw notServed("CreateBranch"); }
    @Override public String InspectBranch(String id) { throw notServed("InspectBranch"); }
    @Override public String ListBranches(String filterJson) { throw notServed("ListBranches"); }
    @Override public String DiffBranch(String id) { throw notServed("DiffBranch"); }
    @Override public String CommitBranch(String id) { throw notServed("CommitBranch"); }
    @Override public String RollbackBranch(String id, String reason) { throw notServed("RollbackBranch"); }
    @Override public String ApproveBranch(String id, String comment) { throw notServed("ApproveBranch"); }
    @Override public String RejectBranch(String id, String reason) { throw notServed("RejectBranch"); }
    @Override public String AttachGovernance(String id, String containerJson) { throw notServed("AttachGovernance"); }
    @Override public String TriggerGovernance(String id, String eventJson) { throw notServed("TriggerGovernance"); }
    @Override public String WaitBranch(String id, UInt32 timeoutMillis) { throw notServed("WaitBranch"); }
    @Override public String ReloadPolicy() { throw notServed("ReloadPolicy"); }
    @Override public String QueryAuditEvents(String queryJson) { throw notServed("QueryAuditEvents"); }
    @Override public String VerifyAudit() { throw notServed("VerifyAudit"); }
    @Override public String ListProfiles() { throw notServed("ListProfiles"); }
    @Override public String ShowProfile(String name) { throw notServed("ShowProfile"); }
    @Override public String ValidateProfile(String yaml) { throw notServed("ValidateProfile"); }
    @Override public String TestPolicy(String changesetJson, String profile) { throw notServed("TestPolicy"); }
    @Override public String Status() { throw notServed("Status"); }
}
