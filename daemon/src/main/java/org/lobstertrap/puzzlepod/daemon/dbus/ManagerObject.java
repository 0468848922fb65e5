package org.lobstertrap.puzzlepod.daemon.dbus;

import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.freedesktop.dbus.DBusCallInfo;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.PuzzlePod1.Error;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;

/**
 * The exported {@code org.lobstertrap.PuzzlePod1.Manager} object: for each call it learns the caller's uid
 * from the bus ({@link CallerUids}) and delegates to a {@link ManagerApi} with that {@link Caller}, through
 * {@link ArgumentCheckedApi} (argument sizes first). An {@link ApiException} becomes the D-Bus error of its
 * code; anything else becomes {@code Internal} with a short message, the stack trace going to the log.
 *
 * <p>The delegate can be replaced ({@link #serve}): the daemon exports the object answering
 * {@code Unavailable} while it starts, and switches to the real service once it is open.
 */
public final class ManagerObject implements Manager1 {
    private static final System.Logger LOG = System.getLogger(ManagerObject.class.getName());

    private final CallerUids uids;
    private final int daemonUid;
    private final Semaphore waits;
    private final int maxWaits;
    private volatile ManagerApi api;

    /**
     * @param api       the service calls go to
     * @param uids      the caller uids of the bus this object is exported on
     * @param daemonUid the uid the daemon runs as
     * @param maxWaits  most {@code WaitBranch} calls blocked at once; each holds a method-call thread of the
     *                  connection, so this must stay below the connection's thread count or waiting clients
     *                  would starve every other caller
     */
    public ManagerObject(ManagerApi api, CallerUids uids, int daemonUid, int maxWaits) {
        this.api = new ArgumentCheckedApi(api);
        this.uids = Objects.requireNonNull(uids, "uids");
        this.daemonUid = daemonUid;
        if (maxWaits < 1) throw new IllegalArgumentException("maxWaits " + maxWaits);
        this.maxWaits = maxWaits;
        this.waits = new Semaphore(maxWaits);
    }

    /** From now on calls go to api. */
    public void serve(ManagerApi api) { this.api = new ArgumentCheckedApi(api); }

    /** How many connected callers have their uid cached. */
    public int cachedCallers() { return uids.size(); }

    @Override public String getObjectPath() { return OBJECT_PATH; }

    @Override
    public String CreateBranch(String profile, String base, String options) {
        return call("CreateBranch", c -> api.createBranch(c, profile, base, options));
    }

    @Override public String InspectBranch(String id) { return call("InspectBranch", c -> api.inspectBranch(c, id)); }

    @Override public String ListBranches(String filter) { return call("ListBranches", c -> api.listBranches(c, filter)); }

    @Override public String DiffBranch(String id) { return call("DiffBranch", c -> api.diffBranch(c, id)); }

    @Override public String CommitBranch(String id) { return call("CommitBranch", c -> api.commitBranch(c, id)); }

    @Override
    public String RollbackBranch(String id, String reason) { return call("RollbackBranch", c -> api.rollbackBranch(c, id, reason)); }

    @Override
    public String ApproveBranch(String id, String comment) { return call("ApproveBranch", c -> api.approveBranch(c, id, comment)); }

    @Override
    public String RejectBranch(String id, String reason) { return call("RejectBranch", c -> api.rejectBranch(c, id, reason)); }

    @Override
    public String AttachGovernance(String id, String container) {
        return call("AttachGovernance", c -> api.attachGovernance(c, id, container));
    }

    @Override
    public String TriggerGovernance(String id, String event) {
        return call("TriggerGovernance", c -> api.triggerGovernance(c, id, event));
    }

    @Override
    public String WaitBranch(String id, UInt32 timeoutMillis) {
        return call("WaitBranch", c -> {
            long timeout = timeoutMillis == null ? 0 : timeoutMillis.longValue();
            if (!waits.tryAcquire()) {
                throw new ApiException(ApiError.Unavailable, maxWaits + " WaitBranch calls are already waiting;"
                        + " retry later or poll with InspectBranch");
            }
            try {
                return api.waitBranch(c, id, timeout);
            } finally {
                waits.release();
            }
        });
    }

    @Override
    public String ReloadPolicy() { return call("ReloadPolicy", c -> api.reloadPolicy(c)); }

    @Override
    public String QueryAuditEvents(String query) { return call("QueryAuditEvents", c -> api.queryAuditEvents(c, query)); }

    @Override
    public String VerifyAudit() { return call("VerifyAudit", c -> api.verifyAudit(c)); }

    @Override
    public String ListProfiles() { return call("ListProfiles", c -> api.listProfiles(c)); }

    @Override
    public String ShowProfile(String name) { return call("ShowProfile", c -> api.showProfile(c, name)); }

    @Override
    public String ValidateProfile(String yaml) { return call("ValidateProfile", c -> api.validateProfile(c, yaml)); }

    @Override
    public String TestPolicy(String changeset, String profile) { return call("TestPolicy", c -> api.testPolicy(c, changeset, profile)); }

    @Override
    public String Status() { return call("Status", c -> api.status(c)); }

    /** Runs one call with the caller's identity and maps every failure to a PuzzlePod1 D-Bus error. */
    private String call(String method, Function<Caller, String> body) {
        try {
            String result = body.apply(caller(method));
            if (result == null) throw new IllegalStateException(method + " returned no result");
            return result;
        } catch (ApiException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1}: {2}", method, e.code(), e.getMessage());
            throw Error.of(e.code(), e.getMessage());
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            LOG.log(System.Logger.Level.ERROR, method + " failed unexpectedly", e);
            throw Error.of(ApiError.Internal, method + " failed in the daemon (" + e.getClass().getSimpleName()
                    + "); the daemon log has the details");
        }
    }

    /** The caller of the method this thread is running, as the bus vouches for it. */
    private Caller caller(String method) {
        DBusCallInfo info = AbstractConnectionBase.getCallInfo();
        if (info == null || info.getSource() == null) {
            throw new IllegalStateException(method + " was not called through the bus (no call info)");
        }
        int uid;
        try {
            uid = uids.uidOf(info.getSource());
        } catch (DBusExecutionException e) {
            // The caller disconnected before we could ask, or the bus refused: no uid, no service.
            throw new ApiException(ApiError.AccessDenied, "the bus does not say which user " + info.getSource()
                    + " is (" + e.getMessage() + ")", e);
        }
        return new Caller(uid, daemonUid);
    }
}
