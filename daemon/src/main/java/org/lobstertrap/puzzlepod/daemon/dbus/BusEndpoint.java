package org.lobstertrap.puzzlepod.daemon.dbus;

import java.util.Objects;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;

/**
 * puzzled's presence on one bus: the connection, the exported {@link ManagerObject}, the watch on
 * departing callers (for {@link CallerUids}), and the well-known name {@link Manager1#BUS_NAME}. The name
 * is requested without queueing and without replacing an owner, so a second daemon fails instead of
 * stealing the name or waiting behind the first.
 */
public final class BusEndpoint implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BusEndpoint.class.getName());
    /**
     * Threads that run incoming method calls. A call holds its thread until it returns (WaitBranch up to
     * 10 minutes, CommitBranch for a whole gate), so there are many, and {@link #MAX_WAITS} keeps some free.
     */
    public static final int METHOD_THREADS = 32;
    /** Most WaitBranch calls waiting at once (the rest get Unavailable). */
    public static final int MAX_WAITS = 24;

    private static final int DBUS_NAME_FLAG_DO_NOT_QUEUE = 4;
    private static final int REPLY_PRIMARY_OWNER = 1, REPLY_ALREADY_OWNER = 4;

    private final DBusConnection connection;
    private final DBus bus;
    private final ManagerObject object;
    private final AutoCloseable ownerWatch;
    private volatile boolean ownsName;

    private BusEndpoint(DBusConnection connection, DBus bus, ManagerObject object, AutoCloseable ownerWatch) {
        this.connection = connection;
        this.bus = bus;
        this.object = object;
        this.ownerWatch = ownerWatch;
    }

    /**
     * Connects to a bus with enough method-call threads for a daemon.
     *
     * @param onLost called (once, from a dbus-java thread) when the connection breaks without us closing it
     */
    public static DBusConnection connect(BusChoice choice, Runnable onLost) throws DBusException {
        DBusConnectionBuilder b = switch (choice.kind()) {
            case SYSTEM -> DBusConnectionBuilder.forSystemBus();
            case SESSION -> DBusConnectionBuilder.forSessionBus();
            case ADDRESS -> DBusConnectionBuilder.forAddress(choice.address());
        };
        return b.withShared(false)
                .withDisconnectCallback(new IDisconnectCallback() {
                    @Override public void disconnectOnError(java.io.IOException e) { onLost.run(); }
                    @Override public void exceptionOnTerminate(java.io.IOException e) { onLost.run(); }
                })
                .receivingThreadConfig().withMethodCallThreadCount(METHOD_THREADS).connectionConfig()
                .build();
    }

    /**
     * Exports a {@link ManagerObject} for api on connection at {@link Manager1#OBJECT_PATH} and starts
     * watching for callers that leave. The name is not requested yet ({@link #requestName}).
     */
    public static BusEndpoint export(DBusConnection connection, ManagerApi api, int daemonUid) throws DBusException {
        Objects.requireNonNull(connection, "connection");
        DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        CallerUids uids = new CallerUids(name -> bus.GetConnectionUnixUser(name).intValue());
        AutoCloseable watch = connection.addSigHandler(DBus.NameOwnerChanged.class, s -> uids.ownerChanged(s.name, s.newOwner));
        ManagerObject object = new ManagerObject(api, uids, daemonUid, MAX_WAITS);
        try {
            connection.exportObject(Manager1.OBJECT_PATH, object);
        } catch (DBusException | RuntimeException e) {
            closeQuietly(watch);
            throw e;
        }
        return new BusEndpoint(connection, bus, object, watch);
    }

    /** The exported object (to switch its service with {@link ManagerObject#serve}). */
    public ManagerObject object() { return object; }

    public DBusConnection connection() { return connection; }

    /**
     * Takes {@link Manager1#BUS_NAME}.
     *
     * @throws NameUnavailable when another connection owns it ({@link NameUnavailable#taken()}) or the bus
     *                         policy does not let this user own it
     */
    public void requestName() throws NameUnavailable {
        int reply;
        try {
            reply = bus.RequestName(Manager1.BUS_NAME, new UInt32(DBUS_NAME_FLAG_DO_NOT_QUEUE)).intValue();
        } catch (DBusExecutionException e) {
            throw new NameUnavailable(false, "the bus refused " + Manager1.BUS_NAME + " to this user (" + e.getMessage()
                    + "); on the system bus only root may own it (install org.lobstertrap.PuzzlePod1.conf in /etc/dbus-1/system.d)");
        }
        if (reply != REPLY_PRIMARY_OWNER && reply != REPLY_ALREADY_OWNER) {
            String owner = ownerOf(Manager1.BUS_NAME);
            throw new NameUnavailable(true, Manager1.BUS_NAME + " is already owned by another process"
                    + (owner == null ? "" : " (connection " + owner + pidOf(owner) + ")") + "; is puzzled already running?");
        }
        ownsName = true;
    }

    private String ownerOf(String name) {
        try { return bus.GetNameOwner(name); } catch (RuntimeException e) { return null; }
    }

    private String pidOf(String unique) {
        try { return ", pid " + bus.GetConnectionUnixProcessID(unique).longValue(); } catch (RuntimeException e) { return ""; }
    }

    /** Releases the name (if owned), unexports the object, stops the watch; the connection stays open. */
    @Override
    public void close() {
        if (ownsName) {
            ownsName = false;
            try {
                bus.ReleaseName(Manager1.BUS_NAME);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot release " + Manager1.BUS_NAME + ": " + e.getMessage());
            }
        }
        try {
            connection.unExportObject(Manager1.OBJECT_PATH);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "unexport: " + e.getMessage());
        }
        closeQuietly(ownerWatch);
    }

    private static void closeQuietly(AutoCloseable c) {
        try { c.close(); } catch (Exception e) { LOG.log(System.Logger.Level.DEBUG, "close: " + e.getMessage()); }
    }

    /** The well-known name cannot be had. */
    public static final class NameUnavailable extends Exception {
        private final boolean taken;

        NameUnavailable(boolean taken, String message) {
            super(message);
            this.taken = taken;
        }

        /** True: another process owns it. False: the bus policy forbids this user to own it. */
        public boolean taken() { return taken; }
    }
}
