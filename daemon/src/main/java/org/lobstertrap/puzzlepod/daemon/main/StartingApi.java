package org.lobstertrap.puzzlepod.daemon.main;

import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;

/**
 * What the bus object answers between taking the name and the service being open (recovery may take a
 * while): {@code Unavailable} for every call, so a client retries instead of seeing "no such object".
 */
final class StartingApi implements ManagerApi {
    private static ApiException starting() {
        return new ApiException(ApiError.Unavailable, "puzzled is starting (recovering branches and loading policies); retry in a moment");
    }

    @Override public String createBranch(Caller c, String profile, String base, String optionsJson) { throw starting(); }
    @Override public String inspectBranch(Caller c, String id) { throw starting(); }
    @Override public String listBranches(Caller c, String filterJson) { throw starting(); }
    @Override public String diffBranch(Caller c, String id) { throw starting(); }
    @Override public String commitBranch(Caller c, String id) { throw starting(); }
    @Override public String rollbackBranch(Caller c, String id, String reason) { throw starting(); }
    @Override public String approveBranch(Caller c, String id, String comment) { throw starting(); }
    @Override public String rejectBranch(Caller c, String id, String reason) { throw starting(); }
    @Override public String attachGovernance(Caller c, String id, String containerJson) { throw starting(); }
    @Override public String triggerGovernance(Caller c, String id, String eventJson) { throw starting(); }
    @Override public String waitBranch(Caller c, String id, long timeoutMillis) { throw starting(); }
    @Override public String reloadPolicy(Caller c) { throw starting(); }
    @Override public String queryAuditEvents(Caller c, String queryJson) { throw starting(); }
    @Override public String verifyAudit(Caller c) { throw starting(); }
    @Override public String listProfiles(Caller c) { throw starting(); }
    @Override public String showProfile(Caller c, String name) { throw starting(); }
    @Override public String validateProfile(Caller c, String yaml) { throw starting(); }
    @Override public String testPolicy(Caller c, String changesetJson, String profile) { throw starting(); }
    @Override public String status(Caller c) { throw starting(); }
}
