package org.lobstertrap.puzzlepod.podman;

import java.util.function.Supplier;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;

/**
 * The stand-in daemon as a {@link ManagerApi}, for the daemon's real hook socket: each call goes to the
 * same {@link StandInManager} the D-Bus tests use, and its D-Bus errors become the same codes.
 */
final class StandInHookApi implements ManagerApi {
    private final StandInManager m;

    StandInHookApi(StandInManager m) { this.m = m; }

    private static String call(Supplier<String> s) {
        try {
            return s.get();
        } catch (DBusExecutionException e) {
            // the stand-in throws the D-Bus error classes org.lobstertrap.PuzzlePod1.Error.<Code>
            throw new ApiException(ApiError.fromDbusName(ApiError.PREFIX + e.getClass().getSimpleName()), e.getMessage());
        }
    }

    @Override public String createBranch(Caller c, String p, String b, String o) { return call(() -> m.CreateBranch(p, b, o)); }
    @Override public String inspectBranch(Caller c, String id) { return call(() -> m.InspectBranch(id)); }
    @Override public String listBranches(Caller c, String f) { return call(() -> m.ListBranches(f)); }
    @Override public String diffBranch(Caller c, String id) { return call(() -> m.DiffBranch(id)); }
    @Override public String commitBranch(Caller c, String id) { return call(() -> m.CommitBranch(id)); }
    @Override public String rollbackBranch(Caller c, String id, String r) { return call(() -> m.RollbackBranch(id, r)); }
    @Override public String approveBranch(Caller c, String id, String x) { return call(() -> m.ApproveBranch(id, x)); }
    @Override public String rejectBranch(Caller c, String id, String r) { return call(() -> m.RejectBranch(id, r)); }
    @Override public String attachGovernance(Caller c, String id, String x) { return call(() -> m.AttachGovernance(id, x)); }
    @Override public String triggerGovernance(Caller c, String id, String e) { return call(() -> m.TriggerGovernance(id, e)); }
    @Override public String waitBranch(Caller c, String id, long t) { return call(() -> m.WaitBranch(id, new UInt32(t))); }
    @Override public String reloadPolicy(Caller c) { return call(m::ReloadPolicy); }
    @Override public String queryAuditEvents(Caller c, String q) { return call(() -> m.QueryAuditEvents(q)); }
    @Override public String verifyAudit(Caller c) { return call(m::VerifyAudit); }
    @Override public String listProfiles(Caller c) { return call(m::ListProfiles); }
    @Override public String showProfile(Caller c, String n) { return call(() -> m.ShowProfile(n)); }
    @Override public String validateProfile(Caller c, String y) { return call(() -> m.ValidateProfile(y)); }
    @Override public String testPolicy(Caller c, String cs, String p) { return call(() -> m.TestPolicy(cs, p)); }
    @Override public String status(Caller c) { return call(m::Status); }
}
