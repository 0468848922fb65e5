package org.lobstertrap.puzzlepod.client;

import java.util.Objects;
import java.util.function.BiConsumer;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.messages.MethodCall;
import org.freedesktop.dbus.types.UInt32;

/**
 * A connection to puzzled over D-Bus. Each method is the D-Bus method of the same name; results are the
 * daemon's JSON strings. Errors arrive as {@link ClientException} with the daemon's code, or with
 * {@link ClientException#unreachable()} and a message of the form
 * {@code puzzled is not reachable on the system bus: …}.
 */
public final class PuzzlePodClient implements AutoCloseable {
    /**
     * How long a call may take before the client gives up: above the daemon's own caps (WaitBranch 10 min,
     * commit timeout). dbus-java's default is 20 s, which a long commit or wait exceeds.
     */
    public static final long CALL_TIMEOUT_MILLIS = 11 * 60 * 1000L;
    // dbus-java logs routine INFO lines ("Using transport …") that would land on every CLI's stderr.
    private static final java.util.logging.Logger DBUS_LOG = java.util.logging.Logger.getLogger("org.freedesktop.dbus");

    static {
        MethodCall.setDefaultTimeout(CALL_TIMEOUT_MILLIS);
        if (DBUS_LOG.getLevel() == null) DBUS_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final BusChoice bus;
    private final DBusConnection connection;
    private final Manager1 manager;

    private PuzzlePodClient(BusChoice bus, DBusConnection connection, Manager1 manager) {
        this.bus = bus;
        this.connection = connection;
        this.manager = manager;
    }

    /** Connects to the bus; the daemon itself is first contacted by the first call. */
    public static PuzzlePodClient connect(BusChoice bus) throws ClientException {
        Objects.requireNonNull(bus, "bus");
        String missing = missingSocket(bus, System.getenv());
        if (missing != null) throw unreachable(bus, missing, null);
        DBusConnection c;
        try {
            DBusConnectionBuilder b = switch (bus.kind()) {
                case SYSTEM -> DBusConnectionBuilder.forSystemBus();
                case SESSION -> DBusConnectionBuilder.forSessionBus();
                case ADDRESS -> DBusConnectionBuilder.forAddress(bus.address());
            };
            c = b.withShared(false).build();
        } catch (DBusException | RuntimeException e) {
            throw unreachable(bus, "cannot connect to the " + bus.describe() + " (" + e.getMessage() + ")", e);
        }
        try {
            Manager1 m = c.getRemoteObject(Manager1.BUS_NAME, Manager1.OBJECT_PATH, Manager1.class);
            return new PuzzlePodClient(bus, c, m);
        } catch (DBusException | RuntimeException e) {
            c.disconnect();
            throw unreachable(bus, e.getMessage(), e);
        }
    }

    public BusChoice bus() { return bus; }

    /** The raw connection, e.g. for signal handlers. */
    public DBusConnection connection() { return connection; }

    /** Calls signals of puzzled (all five) with (signal name, id, json) until the client is closed. */
    public AutoCloseable onSignals(SignalListener listener) throws ClientException {
        try {
            AutoCloseable a = connection.addSigHandler(Manager1.BranchCreated.class, s -> listener.signal("BranchCreated", s.id(), s.json()));
            AutoCloseable b = connection.addSigHandler(Manager1.BranchCommitted.class, s -> listener.signal("BranchCommitted", s.id(), s.json()));
            AutoCloseable c = connection.addSigHandler(Manager1.BranchRolledBack.class, s -> listener.signal("BranchRolledBack", s.id(), s.json()));
            AutoCloseable d = connection.addSigHandler(Manager1.PolicyViolation.class, s -> listener.signal("PolicyViolation", s.id(), s.json()));
            AutoCloseable e = connection.addSigHandler(Manager1.GovernanceReviewPending.class, s -> listener.signal("GovernanceReviewPending", s.id(), s.json()));
            return () -> { for (AutoCloseable x : new AutoCloseable[] {a, b, c, d, e}) x.close(); };
        } catch (DBusException e) {
            throw new ClientException(ApiError.Internal, "cannot subscribe to puzzled's signals: " + e.getMessage(), false, e);
        }
    }

    /** Receives puzzled's signals. */
    @FunctionalInterface
    public interface SignalListener { void signal(String name, String branchId, String json); }

    public String createBranch(String profile, String base, String optionsJson) throws ClientException {
        return call(() -> manager.CreateBranch(profile, base, nz(optionsJson)));
    }

    public String inspectBranch(String id) throws ClientException { return call(() -> manager.InspectBranch(id)); }

    public String listBranches(String filterJson) throws ClientException { return call(() -> manager.ListBranches(nz(filterJson))); }

    public String diffBranch(String id) throws ClientException { return call(() -> manager.DiffBranch(id)); }

    public String commitBranch(String id) throws ClientException { return call(() -> manager.CommitBranch(id)); }

    public String rollbackBranch(String id, String reason) throws ClientException { return call(() -> manager.RollbackBranch(id, nz(reason))); }

    public String approveBranch(String id, String comment) throws ClientException { return call(() -> manager.ApproveBranch(id, nz(comment))); }

    public String rejectBranch(String id, String reason) throws ClientException { return call(() -> manager.RejectBranch(id, nz(reason))); }

    public String attachGovernance(String id, String containerJson) throws ClientException {
        return call(() -> manager.AttachGovernance(id, containerJson));
    }

    public String triggerGovernance(String id, String eventJson) throws ClientException {
        return call(() -> manager.TriggerGovernance(id, nz(eventJson)));
    }

    public String waitBranch(String id, long timeoutMillis) throws ClientException {
        long t = Math.clamp(timeoutMillis, 0, 0xffff_ffffL);
        return call(() -> manager.WaitBranch(id, new UInt32(t)));
    }

    public String reloadPolicy() throws ClientException { return call(manager::ReloadPolicy); }

    public String queryAuditEvents(String queryJson) throws ClientException { return call(() -> manager.QueryAuditEvents(nz(queryJson))); }

    public String verifyAudit() throws ClientException { return call(manager::VerifyAudit); }

    public String listProfiles() throws ClientException { return call(manager::ListProfiles); }

    public String showProfile(String name) throws ClientException { return call(() -> manager.ShowProfile(name)); }

    public String validateProfile(String yaml) throws ClientException { return call(() -> manager.ValidateProfile(yaml)); }

    public String testPolicy(String changesetJson, String profile) throws ClientException {
        return call(() -> manager.TestPolicy(changesetJson, profile));
    }

    public String status() throws ClientException { return call(manager::Status); }

    @Override
    public void close() { connection.disconnect(); }

    /**
     * Why the bus surely cannot be reached (its socket file does not exist, no session bus address), or
     * null. Checked first because dbus-java retries a missing socket for seconds.
     */
    static String missingSocket(BusChoice bus, java.util.Map<String, String> env) {
        String address = switch (bus.kind()) {
            case SYSTEM -> env.getOrDefault("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/run/dbus/system_bus_socket");
            case SESSION -> env.get("DBUS_SESSION_BUS_ADDRESS");
            case ADDRESS -> bus.address();
        };
        if (address == null || address.isBlank()) return "DBUS_SESSION_BUS_ADDRESS is not set (no session bus)";
        for (String part : address.split(";")) {
            if (!part.startsWith("unix:")) return null;
            for (String kv : part.substring(5).split(",")) {
                if (kv.startsWith("path=")) {
                    String path = kv.substring(5);
                    if (java.nio.file.Files.exists(java.nio.file.Path.of(path))) return null;
                    if (address.indexOf(';') < 0) return "no bus socket at " + path;
                }
                if (kv.startsWith("abstract=")) return null;
            }
        }
        return null;
    }

    private static String nz(String s) { return s == null ? "" : s; }

    private interface Call { String run(); }

    private String call(Call c) throws ClientException {
        try {
            return c.run();
        } catch (DBusExecutionException e) {
            // A client that has the error class gets it back, with '$' where the wire name has '.'.
            String type = (e.getType() != null ? e.getType() : e.getClass().getName()).replace('$', '.');
            if (type.startsWith(ApiError.PREFIX)) {
                throw new ClientException(ApiError.fromDbusName(type), e.getMessage(), false, e);
            }
            // No owner of the name, no such object, no reply, connection gone: the daemon is not there.
            throw unreachable(bus, type + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw unreachable(bus, e.toString(), e);
        }
    }

    private static ClientException unreachable(BusChoice bus, String detail, Throwable cause) {
        return new ClientException(ApiError.Unavailable,
                "puzzled is not reachable on the " + bus.describe() + ": " + detail, true, cause);
    }
}
