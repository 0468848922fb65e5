package org.lobstertrap.puzzlepod.daemon.dbus;

import java.util.Objects;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;

/**
 * A {@link ManagerApi} that checks every argument against {@link ArgumentLimits} (and caps a wait at
 * {@link ArgumentLimits#MAX_WAIT_MILLIS}) before its delegate sees it. Every transport (the D-Bus object,
 * the hook socket) serves through one, so the limits are the same whichever way a call comes in.
 */
public final class ArgumentCheckedApi implements ManagerApi {
    private final ManagerApi api;

    public ArgumentCheckedApi(ManagerApi api) { this.api = Objects.requireNonNull(api, "api"); }

    @Override
    public String createBranch(Caller c, String profile, String base, String options) {
        ArgumentLimits.profile(profile);
        ArgumentLimits.path("base", base);
        ArgumentLimits.json("options", options);
        return api.createBranch(c, profile, base, options);
    }

    @Override public String inspectBranch(Caller c, String id) { ArgumentLimits.id(id); return api.inspectBranch(c, id); }

    @Override public String listBranches(Caller c, String filter) { ArgumentLimits.json("filter", filter); return api.listBranches(c, filter); }

    @Override public String diffBranch(Caller c, String id) { ArgumentLimits.id(id); return api.diffBranch(c, id); }

    @Override public String commitBranch(Caller c, String id) { ArgumentLimits.id(id); return api.commitBranch(c, id); }

    @Override
    public String rollbackBranch(Caller c, String id, String reason) {
        ArgumentLimits.id(id);
        ArgumentLimits.text("reason", reason);
        return api.rollbackBranch(c, id, reason);
    }

    @Override
    public String approveBranch(Caller c, String id, String comment) {
        ArgumentLimits.id(id);
        ArgumentLimits.text("comment", comment);
        return api.approveBranch(c, id, comment);
    }

    @Override
    public String rejectBranch(Caller c, String id, String reason) {
        ArgumentLimits.id(id);
        ArgumentLimits.text("reason", reason);
        return api.rejectBranch(c, id, reason);
    }

    @Override
    public String attachGovernance(Caller c, String id, String container) {
        ArgumentLimits.id(id);
        ArgumentLimits.json("container", container);
        return api.attachGovernance(c, id, container);
    }

    @Override
    public String triggerGovernance(Caller c, String id, String event) {
        ArgumentLimits.id(id);
        ArgumentLimits.json("event", event);
        return api.triggerGovernance(c, id, event);
    }

    @Override
    public String waitBranch(Caller c, String id, long timeoutMillis) {
        ArgumentLimits.id(id);
        return api.waitBranch(c, id, Math.min(Math.max(timeoutMillis, 0), ArgumentLimits.MAX_WAIT_MILLIS));
    }

    @Override public String reloadPolicy(Caller c) { return api.reloadPolicy(c); }

    @Override public String queryAuditEvents(Caller c, String query) { ArgumentLimits.json("query", query); return api.queryAuditEvents(c, query); }

    @Override public String verifyAudit(Caller c) { return api.verifyAudit(c); }

    @Override public String listProfiles(Caller c) { return api.listProfiles(c); }

    @Override public String showProfile(Caller c, String name) { ArgumentLimits.profile(name); return api.showProfile(c, name); }

    @Override public String validateProfile(Caller c, String yaml) { ArgumentLimits.profileYaml(yaml); return api.validateProfile(c, yaml); }

    @Override
    public String testPolicy(Caller c, String changeset, String profile) {
        ArgumentLimits.changeset(changeset);
        ArgumentLimits.profile(profile);
        return api.testPolicy(c, changeset, profile);
    }

    @Override public String status(Caller c) { return api.status(c); }
}
