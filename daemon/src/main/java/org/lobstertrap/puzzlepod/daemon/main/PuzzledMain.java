package org.lobstertrap.puzzlepod.daemon.main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.daemon.api.GovernanceEvents;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;
import org.lobstertrap.puzzlepod.daemon.config.BusKind;
import org.lobstertrap.puzzlepod.daemon.config.ConfigException;
import org.lobstertrap.puzzlepod.daemon.config.DaemonConfig;
import org.lobstertrap.puzzlepod.daemon.config.DaemonConfigLoader;
import org.lobstertrap.puzzlepod.daemon.config.Durations;
import org.lobstertrap.puzzlepod.daemon.dbus.BusEndpoint;
import org.lobstertrap.puzzlepod.daemon.dbus.SignalEmitter;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookProtocol;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookSocketServer;
import org.lobstertrap.puzzlepod.daemon.service.GovernanceService;

/**
 * {@code puzzled}: loads the configuration, connects to the bus, exports the Manager object, takes the
 * name {@link Manager1#BUS_NAME} (never stealing it), opens the governance service behind the object,
 * and serves until SIGTERM/SIGINT, then releases the name and closes the service.
 *
 * <p>The name is taken <em>before</em> the service opens, so a second daemon stops at the name and never
 * touches the branch store or the audit log the first one is using; until the service is open, calls get
 * {@code Unavailable}. No picocli here: the daemon's start-up time matters more than option sugar.
 */
public final class PuzzledMain {
    static {
        // before the first logger exists (the LOG field below creates one)
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", DaemonLogManager.class.getName());
        }
    }

    private static final System.Logger LOG = System.getLogger("puzzled");
    /** How long a SIGTERM waits for the clean shutdown (systemd's default stop timeout is 90 s). */
    private static final long SHUTDOWN_WAIT_SECONDS = 80;

    /** Opens the service behind the bus object ({@link GovernanceService#open} in the product). */
    @FunctionalInterface
    public interface ServiceOpener {
        ManagerApi open(DaemonConfig config, GovernanceEvents events, int daemonUid) throws Exception;
    }

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean busLost;
    private volatile boolean exitingOnItsOwn;

    private PuzzledMain() {}

    public static void main(String[] args) {
        runAndExit(args, PuzzledMain::openProduct);
    }

    /**
     * The product's service: {@link GovernanceService} plus the network rules of each profile at container
     * start (Blocked, Gated: proxy and DNS filter on podman's bridge), the seccomp listener and supervisor
     * ({@link SeccompContainment}, after {@link OrphanedContainerReaper} ended the containers a previous daemon left
     * unsupervised) and the conmon bridge for exit statuses
     * (podman command from {@code PUZZLEPOD_PODMAN}, default {@code podman}).
     */
    static ManagerApi openProduct(DaemonConfig config, GovernanceEvents events, int daemonUid) throws Exception {
        GovernanceService service = GovernanceService.open(config, events, daemonUid);
        String podman = System.getenv().getOrDefault("PUZZLEPOD_PODMAN", "podman").strip();
        if (daemonUid == 0) {
            service.containerNetworks(org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks.onPodmanBridge(
                    config.network().proxyPort(), config.network().dnsPort(), service.networkAuditSink()));
            // what seccomp lets a Gated agent reach directly besides the steered ports (with port 0 only those)
            service.gatedProxy(new java.net.InetSocketAddress(org.lobstertrap.puzzlepod.daemon.network.GatedNetwork.PODMAN_BRIDGE,
                    config.network().proxyPort()));
        } else {
            // a per-user puzzled serves rootless podman: slirp4netns, one proxy per Gated container (its own free ports)
            service.containerNetworks(org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks.forRootless(service.networkAuditSink()));
            service.gatedProxy(new java.net.InetSocketAddress(org.lobstertrap.puzzlepod.daemon.network.GatedNetwork.SLIRP_GATEWAY, 0));
        }
        try {
            // before the listener accepts anyone: every container attached now was supervised by a daemon that is gone
            OrphanedContainerReaper.reap(service, java.util.Set.of());
            SeccompContainment.start(service, config.runtimeDir(), daemonUid);
            // root's podman mounts kernel-overlay branches itself: each branch also gets a podman seccomp profile, so that
            // puzzle-podman run needs no precreate hook
            if (daemonUid == 0) service.podmanSeccompBase(org.lobstertrap.puzzlepod.daemon.seccomp.PodmanSeccompBase.fromContainersConf());
        } catch (Exception e) {
            service.close();
            throw e;
        }
        service.exitStatuses(PodmanExitStatuses.start(java.util.Arrays.asList(podman.isEmpty() ? new String[] {"podman"} : podman.split("\\s+"))));
        return service;
    }

    /** Runs puzzled with the given service and exits the JVM with its exit code ({@link PuzzledExit}). */
    public static void runAndExit(String[] args, ServiceOpener opener) {
        PuzzledMain daemon = new PuzzledMain();
        int code = daemon.run(args, opener);
        daemon.exitingOnItsOwn = true;
        System.exit(code); // after a signal the shutdown hook is already running and decides the code
    }

    private int run(String[] args, ServiceOpener opener) {
        PuzzledOptions opts;
        try {
            opts = PuzzledOptions.parse(args);
        } catch (PuzzledOptions.UsageException e) {
            System.err.println("puzzled: " + e.getMessage());
            System.err.print(PuzzledOptions.USAGE);
            return PuzzledExit.USAGE;
        }
        if (opts.help()) {
            System.out.print(PuzzledOptions.USAGE);
            return PuzzledExit.OK;
        }
        LogFormat.install(opts.foreground() || opts.checkConfig()); // --check-config is run by a person

        int uid;
        DaemonConfig config;
        Path file;
        try {
            uid = DaemonConfigLoader.currentUid();
            Map<String, String> env = System.getenv();
            file = opts.config() != null ? opts.config() : DaemonConfig.defaultFile(uid, env);
            if (opts.config() == null && !Files.exists(file)) {
                config = DaemonConfig.defaults(uid, env);
                file = null;
            } else {
                config = DaemonConfigLoader.load(file, uid, env);
            }
        } catch (ConfigException e) {
            LOG.log(System.Logger.Level.ERROR, "bad configuration: " + e.getMessage());
            return PuzzledExit.CONFIG;
        }
        BusChoice bus = opts.bus() != null ? opts.bus() : (config.bus() == BusKind.SYSTEM ? BusChoice.system() : BusChoice.session());
        if (bus.kind() != BusChoice.Kind.ADDRESS) config = withBus(config, bus.kind() == BusChoice.Kind.SYSTEM ? BusKind.SYSTEM : BusKind.SESSION);
        if (opts.checkConfig()) {
            System.out.print(describe(file, config, bus));
            return PuzzledExit.OK;
        }

        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("puzzled-shutdown").unstarted(this::onSignal));
        try {
            return serve(opts, opener, uid, config, bus);
        } finally {
            done.countDown();
        }
    }

    private int serve(PuzzledOptions opts, ServiceOpener opener, int uid, DaemonConfig config, BusChoice bus) {
        DBusConnection connection;
        try {
            connection = BusEndpoint.connect(bus, this::onBusLost);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "cannot connect to the " + bus.describe() + ": " + e.getMessage());
            return PuzzledExit.BUS;
        }
        SignalEmitter signals = new SignalEmitter();
        BusEndpoint endpoint = null;
        ManagerApi service = null;
        HookSocketServer hookSocket = null;
        try {
            try {
                endpoint = BusEndpoint.export(connection, new StartingApi(), uid);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "cannot export " + Manager1.OBJECT_PATH + " on the " + bus.describe() + ": " + e.getMessage());
                return PuzzledExit.BUS;
            }
            try {
                endpoint.requestName();
            } catch (BusEndpoint.NameUnavailable e) {
                LOG.log(System.Logger.Level.ERROR, "cannot take " + Manager1.BUS_NAME + " on the " + bus.describe() + ": " + e.getMessage());
                return e.taken() ? PuzzledExit.NAME_TAKEN : PuzzledExit.BUS;
            }
            try {
                service = opener.open(config, signals, uid);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "cannot open the governance service: " + e.getMessage(), e);
                return PuzzledExit.SERVICE;
            }
            try {
                hookSocket = HookSocketServer.start(config.runtimeDir().resolve(HookSocketServer.SOCKET_NAME), new HookProtocol(service), uid);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.ERROR, "cannot listen on the hook socket in " + config.runtimeDir() + ": " + e.getMessage());
                return PuzzledExit.SERVICE;
            }
            endpoint.object().serve(service);
            signals.start(connection);
            LOG.log(System.Logger.Level.INFO, "ready: {0} on the {1}, hook socket {2} (uid {3}, pid {4})", Manager1.BUS_NAME,
                    bus.describe(), hookSocket.path(), String.valueOf(uid), String.valueOf(ProcessHandle.current().pid()));
            stop.await();
            if (busLost) {
                LOG.log(System.Logger.Level.ERROR, "lost the connection to the " + bus.describe() + "; stopping");
                return PuzzledExit.FAILED;
            }
            LOG.log(System.Logger.Level.INFO, "stopping");
            return PuzzledExit.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PuzzledExit.FAILED;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure", e);
            return PuzzledExit.FAILED;
        } finally {
            // Name first: a successor may start while the service still finishes its gates.
            if (endpoint != null) endpoint.close();
            if (hookSocket != null) {
                try {
                    hookSocket.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing the hook socket: " + e.getMessage());
                }
            }
            signals.close();
            if (service instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.ERROR, "closing the governance service failed", e);
                }
            }
            connection.disconnect();
            LOG.log(System.Logger.Level.INFO, "stopped");
        }
    }

    /** The shutdown hook: SIGTERM/SIGINT (or an exit from elsewhere) stops serving, then exits 0. */
    private void onSignal() {
        if (exitingOnItsOwn) return;
        stop.countDown();
        boolean finished;
        try {
            finished = done.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            finished = false;
        }
        if (!finished) LOG.log(System.Logger.Level.ERROR, "clean shutdown did not finish within " + SHUTDOWN_WAIT_SECONDS + " s");
        // A signal-initiated exit would otherwise end with 128+signal; a clean stop is success.
        Runtime.getRuntime().halt(finished ? PuzzledExit.OK : PuzzledExit.SHUTDOWN_TIMEOUT);
    }

    private void onBusLost() {
        if (stop.getCount() == 0) return;
        busLost = true;
        stop.countDown();
    }

    private static DaemonConfig withBus(DaemonConfig c, BusKind bus) {
        return new DaemonConfig(c.branchRoot(), c.profilesDir(), c.policiesDir(), c.runtimeDir(), c.auditDir(), bus,
                c.maxBranches(), c.commitTimeout(), c.review(), c.branchLifetime(), c.evalDeadline(), c.evalStepBudget(), c.network());
    }

    private static String describe(Path file, DaemonConfig c, BusChoice bus) {
        return (file == null ? "no configuration file; defaults" : "configuration " + file + " is valid") + "\n"
                + "branch_root: " + c.branchRoot() + "\n"
                + "profiles_dir: " + c.profilesDir() + "\n"
                + "policies_dir: " + c.policiesDir() + "\n"
                + "runtime_dir: " + c.runtimeDir() + "\n"
                + "audit_dir: " + c.auditDir() + "\n"
                + "bus: " + (bus.kind() == BusChoice.Kind.ADDRESS ? bus.address() : c.bus().name().toLowerCase(java.util.Locale.ROOT)) + "\n"
                + "max_branches: " + c.maxBranches() + "\n"
                + "commit_timeout: " + Durations.format(c.commitTimeout()) + "\n"
                + "review.enabled: " + c.review().enabled() + "\n"
                + "review.timeout: " + Durations.format(c.review().timeout()) + "\n"
                + "branch_lifetime: " + Durations.format(c.branchLifetime()) + "\n"
                + "eval_deadline: " + Durations.format(c.evalDeadline()) + "\n"
                + "eval_step_budget: " + c.evalStepBudget() + "\n"
                + "network: proxy_port " + c.network().proxyPort() + ", dns_port " + c.network().dnsPort() + "\n";
    }
}
