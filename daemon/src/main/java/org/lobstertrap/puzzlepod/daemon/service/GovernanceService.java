package org.lobstertrap.puzzlepod.daemon.service;

import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.GovernanceEvents;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;
import org.lobstertrap.puzzlepod.daemon.config.DaemonConfig;

/**
 * puzzled's service: branches, the governance gate, review, policies, profiles and the audit log behind
 * {@link ManagerApi}. CONTRACT SKELETON — being implemented.
 */
public final class GovernanceService implements ManagerApi, AutoCloseable {

    /**
     * Opens everything the config names (creates missing directories with safe modes, recovers the branch
     * store and interrupted commits, loads profiles and policies — a policy that fails to compile leaves the
     * daemon up but every gate decision fails closed — opens the audit log) and starts the background
     * work (expiry sweep, review timeouts). {@code daemonUid} is the uid the daemon runs as.
     */
    public static GovernanceService open(DaemonConfig config, GovernanceEvents events, int daemonUid) throws Exception {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override public String createBranch(Caller c, String profile, String base, String optionsJson) { throw todo(); }
    @Override public String inspectBranch(Caller c, String id) { throw todo(); }
    @Override public String listBranches(Caller c, String filterJson) { throw todo(); }
    @Override public String diffBranch(Caller c, String id) { throw todo(); }
    @Override public String commitBranch(Caller c, String id) { throw todo(); }
    @Override public String rollbackBranch(Caller c, String id, String reason) { throw todo(); }
    @Override public String approveBranch(Caller c, String id, String comment) { throw todo(); }
    @Override public String rejectBranch(Caller c, String id, String reason) { throw todo(); }
    @Override public String attachGovernance(Caller c, String id, String containerJson) { throw todo(); }
    @Override public String triggerGovernance(Caller c, String id, String eventJson) { throw todo(); }
    @Override public String waitBranch(Caller c, String id, long timeoutMillis) { throw todo(); }
    @Override public String reloadPolicy(Caller c) { throw todo(); }
    @Override public String queryAuditEvents(Caller c, String queryJson) { throw todo(); }
    @Override public String verifyAudit(Caller c) { throw todo(); }
    @Override public String listProfiles(Caller c) { throw todo(); }
    @Override public String showProfile(Caller c, String name) { throw todo(); }
    @Override public String validateProfile(Caller c, String yaml) { throw todo(); }
    @Override public String testPolicy(Caller c, String changesetJson, String profile) { throw todo(); }
    @Override public String status(Caller c) { throw todo(); }

    /** Stops background work, waits for running gates, closes the audit log and the store. */
    @Override public void close() {}

    private static UnsupportedOperationException todo() { return new UnsupportedOperationException("not implemented yet"); }
}
