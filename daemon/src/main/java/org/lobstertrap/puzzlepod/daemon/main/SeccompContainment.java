package org.lobstertrap.puzzlepod.daemon.main;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.daemon.seccomp.InitExitWatcher;
import org.lobstertrap.puzzlepod.daemon.seccomp.SeccompListenerSocket;
import org.lobstertrap.puzzlepod.daemon.seccomp.SeccompSupervisor;
import org.lobstertrap.puzzlepod.daemon.service.GovernanceService;

/**
 * Starts puzzled's seccomp side: the supervisor (one poll thread answering every governed container's
 * exec and connect notifications, each decision audited as {@code seccomp.decision}), the listener
 * socket runc hands the notify fds to ({@code RUNTIME_DIR/seccomp.sock}, mode 0600: root's runc connects to
 * the system daemon, and a rootless runc runs as the daemon's own user, whose in-namespace root maps to that
 * owner), which attaches each container to its branch before serving it
 * ({@link GovernanceService#admitContainer}), and the watcher of the attached inits' exits, which triggers
 * governance. All belong to the service from then on.
 */
public final class SeccompContainment {
    private static final System.Logger LOG = System.getLogger(SeccompContainment.class.getName());

    private SeccompContainment() {}

    /** Starts both and hands them to {@code service}; throws (the daemon does not start) when the socket cannot listen. */
    public static Path start(GovernanceService service, Path runtimeDir, int daemonUid) throws IOException, LinuxException, InterruptedException {
        SeccompSupervisor supervisor = new SeccompSupervisor(service.seccompAuditSink(), Clock.systemUTC());
        InitExitWatcher exits;
        try {
            exits = new InitExitWatcher();
        } catch (LinuxException | RuntimeException e) {
            supervisor.close();
            throw e;
        }
        service.initExits(exits);
        Path socket = runtimeDir.resolve(GovernanceService.SECCOMP_SOCKET);
        SeccompListenerSocket listener;
        try {
            listener = SeccompListenerSocket.start(socket, supervisor, service::seccompPolicy,
                    PosixFilePermissions.fromString("rw-------"), service::admitContainer);
        } catch (IOException | RuntimeException e) {
            supervisor.close();
            throw new IOException("cannot listen for seccomp notifications on " + socket + ": " + e.getMessage(), e);
        }
        service.seccomp(listener.path(), listener, supervisor);
        LOG.log(System.Logger.Level.INFO, "seccomp listener on {0}", listener.path());
        return listener.path();
    }
}
