package org.lobstertrap.puzzlepod.daemon.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.branch.IllegalBranchTransition;
import org.lobstertrap.puzzlepod.core.branch.InvalidBranchId;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.ChangesetJson;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.profile.Profile;
import org.lobstertrap.puzzlepod.core.profile.ProfileException;
import org.lobstertrap.puzzlepod.core.profile.ProfileJson;
import org.lobstertrap.puzzlepod.core.profile.ProfileRepository;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.GovernanceEvents;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;
import org.lobstertrap.puzzlepod.daemon.audit.AuditException;
import org.lobstertrap.puzzlepod.daemon.audit.AuditKey;
import org.lobstertrap.puzzlepod.daemon.audit.AuditLog;
import org.lobstertrap.puzzlepod.daemon.audit.AuditQuery;
import org.lobstertrap.puzzlepod.daemon.audit.AuditRecord;
import org.lobstertrap.puzzlepod.daemon.audit.AuditVerifier;
import org.lobstertrap.puzzlepod.daemon.branch.BranchAlreadyExists;
import org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow;
import org.lobstertrap.puzzlepod.daemon.branch.BranchNotFound;
import org.lobstertrap.puzzlepod.daemon.branch.BranchPaths;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStoreException;
import org.lobstertrap.puzzlepod.daemon.branch.ExpiryReport;
import org.lobstertrap.puzzlepod.daemon.branch.ExpirySweeper;
import org.lobstertrap.puzzlepod.daemon.branch.NewBranch;
import org.lobstertrap.puzzlepod.daemon.branch.RecoveryReport;
import org.lobstertrap.puzzlepod.daemon.config.BusKind;
import org.lobstertrap.puzzlepod.daemon.config.DaemonConfig;
import org.lobstertrap.puzzlepod.daemon.diff.DiffResult;
import org.lobstertrap.puzzlepod.daemon.diff.SkippedEntry;
import org.lobstertrap.puzzlepod.daemon.gate.ConflictChecker;
import org.lobstertrap.puzzlepod.daemon.gate.ContainerRef;
import org.lobstertrap.puzzlepod.daemon.gate.Decision;
import org.lobstertrap.puzzlepod.daemon.gate.GovernanceGate;
import org.lobstertrap.puzzlepod.daemon.gate.Outcome;
import org.lobstertrap.puzzlepod.daemon.gate.PolicyStore;
import org.lobstertrap.puzzlepod.daemon.gate.PolicyUnavailable;
import org.lobstertrap.puzzlepod.daemon.gate.Quiescer;
import org.lobstertrap.puzzlepod.daemon.review.ReviewDesk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * puzzled's service: branches, the governance gate, review, policies, profiles and the audit log behind
 * {@link ManagerApi}, as {@code client/API.md} describes them (the D-Bus layer only transports). Every
 * argument is validated; every decision and state change is in the audit log and announced through
 * {@link GovernanceEvents}. Governance runs on one branch at a time; a second request for the same branch
 * meanwhile is InvalidState.
 */
public final class GovernanceService implements ManagerApi, AutoCloseable {
    /** Reported by {@code Status}. */
    public static final String VERSION = "0.1.0";
    /** How often expired branches are looked for. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    static final Duration MAX_WAIT = Duration.ofMinutes(10);
    static final int MAX_AUDIT_EVENTS = 10_000;
    /** Longest error message returned. */
    static final int MAX_MESSAGE = 400;
    private static final System.Logger LOG = System.getLogger(GovernanceService.class.getName());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> CREATE_KEYS = Set.of("id", "workspace", "lifetime_seconds", "on_exit", "require_clean_exit", "overlay",
            "podman_seccomp");
    private static final Set<String> FILTER_KEYS = Set.of("state", "base");
    private static final Set<String> CONTAINER_KEYS = Set.of("container_id", "pid", "cgroup", "bundle");
    private static final Set<String> EVENT_KEYS = Set.of("reason", "exit_code", "oom_killed", "timed_out");
    private static final Set<String> QUERY_KEYS = Set.of("branch", "types", "from", "to", "limit");
    private static final Set<String> ON_EXIT = Set.of("commit", "rollback", "hold");

    private final DaemonConfig config;
    private final GovernanceEvents events;
    private final int daemonUid;
    private final Clock clock;
    private final Instant started;
    private final BranchStore store;
    private final BranchCommitFlow flow;
    private final PolicyStore policies;
    private final GovernanceGate gate;
    private final ReviewDesk reviews;
    private final Quiescer quiescer;
    private final GovernanceRecords records;
    private final AuditLog audit;
    private final AuditKey auditKey;
    private final ExecutorService background;
    private volatile ExpirySweeper sweeper;
    private volatile ProfileRepository profiles;
    private volatile String profilesError;
    /** Branches with a governance run (gate, review decision, rollback) under way. */
    private final Set<BranchId> busy = ConcurrentHashMap.newKeySet();
    private final Object changed = new Object();
    private volatile boolean closed;
    private volatile Path seccompListener;

    private GovernanceService(DaemonConfig config, GovernanceEvents events, int daemonUid, Clock clock, BranchStore store,
                              AuditLog audit, AuditKey auditKey, GovernanceRecords records, ConflictChecker conflicts) {
        this.config = config;
        this.events = events;
        this.daemonUid = daemonUid;
        this.clock = clock;
        this.started = clock.instant();
        this.store = store;
        this.audit = audit;
        this.auditKey = auditKey;
        this.records = records;
        this.flow = BranchCommitFlow.onLinux(store);
        this.policies = PolicyStore.open(config.policiesDir());
        this.quiescer = Quiescer.onLinux();
        int cpus = Math.max(2, Runtime.getRuntime().availableProcessors());
        this.gate = new GovernanceGate(store, flow, policies, conflicts, quiescer,
                new GovernanceGate.Settings(config.evalDeadline(), config.evalStepBudget(), config.review().enabled(), cpus, 64,
                        config.commitTimeout()), clock);
        this.reviews = new ReviewDesk(store, flow, conflicts, config.review().timeout(), clock, this::reviewTimedOut);
        this.background = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("governance-", 0).daemon(true).factory());
    }

    /**
     * Opens everything the config names (creates missing directories with safe modes, recovers the branch
     * store and interrupted commits, loads profiles and policies — a policy that fails to compile leaves the
     * daemon up but every gate decision fails closed — opens the audit log) and starts the background
     * work (expiry sweep, review timeouts). {@code daemonUid} is the uid the daemon runs as.
     */
    public static GovernanceService open(DaemonConfig config, GovernanceEvents events, int daemonUid) throws Exception {
        for (Path dir : List.of(config.profilesDir(), config.policiesDir(), config.runtimeDir())) privateDirs(dir);
        privateDirs(auditKeyFile(config).getParent());
        AuditKey key = AuditKey.loadOrCreate(auditKeyFile(config));
        AuditLog audit = AuditLog.open(config.auditDir(), key);
        BranchStore store = null;
        GovernanceService s = null;
        try {
            store = BranchStore.open(config.branchRoot());
            Path gov = store.root().resolve(BranchStore.GOVERNANCE);
            GovernanceRecords records = new GovernanceRecords(gov.resolve("records"));
            ConflictChecker conflicts = new ConflictChecker(gov.resolve("commits"), FileSyscalls.linux());
            s = new GovernanceService(config, events == null ? GovernanceEvents.NONE : events, daemonUid,
                    Clock.systemUTC(), store, audit, key, records, conflicts);
            s.start();
            return s;
        } catch (Exception | Error e) {
            if (s != null) {
                s.close(); // releases the store and the audit log too
            } else {
                if (store != null) store.close(Duration.ofSeconds(5));
                audit.close();
            }
            throw e;
        }
    }

    /** The audit key beside the audit dir (created 0600 on first start). */
    static Path auditKeyFile(DaemonConfig config) { return AuditKey.defaultFile(config.auditDir()); }

    private static void privateDirs(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private void start() {
        ObjectNode started = NODES.objectNode().put("version", VERSION).put("daemon_uid", daemonUid)
                .put("branch_root", store.root().toString());
        auditQuietly("daemon.started", null, null, started);
        loadProfiles();
        PolicyStore.Snapshot p = policies.snapshot();
        if (p.loaded()) auditQuietly("policy.reloaded", null, null, policyJson(p));
        else auditQuietly("policy.load-failed", null, null, NODES.objectNode().put("error", p.error()));

        RecoveryReport report = store.recover();
        List<BranchCommitFlow.CommitRecovery> commits = flow.recoverCommits(report.awaitingCommitRecovery());
        ObjectNode rec = NODES.objectNode().put("summary", report.summary());
        ArrayNode cr = rec.putArray("commit_recovery");
        for (BranchCommitFlow.CommitRecovery c : commits) cr.addObject().put("branch", c.branch().id().value()).put("outcome", c.outcome())
                .put("state", c.branch().state().wire());
        ArrayNode degraded = rec.putArray("degraded");
        report.degraded().forEach(m -> degraded.add(m.id().value()));
        auditQuietly("daemon.recovered", null, null, rec);
        for (BranchMetadata m : store.list()) {
            if (m.state() != BranchState.REVIEW_PENDING) continue;
            GovernanceRecord r = records.read(m.id());
            reviews.schedule(m.id(), r != null && r.reviewSince() != null ? r.reviewSince() : m.updated());
        }
        sweeper = ExpirySweeper.start(store, SWEEP_INTERVAL, this::expired);
    }

    private void loadProfiles() {
        try {
            if (profiles == null) profiles = ProfileRepository.load(config.profilesDir());
            else profiles.reload();
            profilesError = null;
        } catch (ProfileException e) {
            profilesError = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "profiles in " + config.profilesDir() + " not loaded: " + e.getMessage());
        }
    }

    /** Tells Status where the seccomp listener socket is (set by the daemon once it listens; null = none). */
    public void seccompListener(Path socket) { this.seccompListener = socket; }

    /** The audit record type of a seccomp supervisor's answer to an exec or connect. */
    public static final String SECCOMP_AUDIT_TYPE = "seccomp.decision";
    /** The file name of the seccomp listener socket in the runtime dir. */
    public static final String SECCOMP_SOCKET = "seccomp.sock";
    /** The directory, in the runtime dir, of the branches' puzzle-init rules files ({@code ID.rules}). */
    public static final String SHIM_RULES_DIR = "shim";
    /** The directory, in the runtime dir, of the branches' podman seccomp profiles ({@code ID.json}). */
    public static final String SECCOMP_PROFILES_DIR = "seccomp";

    private volatile org.lobstertrap.puzzlepod.daemon.seccomp.BranchSeccompProfiles podmanSeccomp;

    /**
     * Podman's default seccomp profile, the base of the per-branch profile (the seccomp containment applied
     * to it) that {@code puzzle-podman run} hands to {@code podman run --security-opt seccomp=FILE} instead
     * of running the precreate hook. Null (the default): no such profile; the hook does the work. With a
     * listener already running, the transformation is made once in the background, so that the first
     * CreateBranch does not pay for it.
     */
    public void podmanSeccompBase(org.lobstertrap.puzzlepod.daemon.seccomp.PodmanSeccompBase base) {
        org.lobstertrap.puzzlepod.daemon.seccomp.BranchSeccompProfiles profiles =
                base == null ? null : new org.lobstertrap.puzzlepod.daemon.seccomp.BranchSeccompProfiles(base);
        this.podmanSeccomp = profiles;
        Path listener = seccompListener;
        if (profiles == null || listener == null) return;
        background.execute(() -> {
            try {
                profiles.forBranch(listener.toString(), "warm-up");
            } catch (IOException | RuntimeException | org.lobstertrap.puzzlepod.client.seccomp.SeccompProfileException e) {
                LOG.log(System.Logger.Level.WARNING, "podman's seccomp profile " + base.file() + " cannot be used; puzzle-podman runs "
                        + "will go through the precreate hook: " + e.getMessage());
            }
        });
    }

    private volatile java.net.InetSocketAddress gatedProxy;
    private volatile AutoCloseable seccompListenerSocket, seccompSupervisor;
    private final java.util.concurrent.ExecutorService seccompAudit =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("seccomp-audit").daemon(true).factory());

    /**
     * The proxy a Gated container may reach directly: its port goes into the Landlock rules and the address
     * into the seccomp policy. Without it a Gated branch's rules allow only the steered ports and its
     * container's seccomp policy cannot be made (the container is refused).
     */
    public void gatedProxy(java.net.InetSocketAddress proxy) { this.gatedProxy = proxy; }

    /**
     * Hands the running seccomp listener and its supervisor to the service: Status and every branch show the
     * socket, and both close with the service (the supervisor last: closing it makes every supervised
     * container's exec and connect fail with ENOSYS).
     */
    public void seccomp(Path socket, AutoCloseable listener, AutoCloseable supervisor) {
        this.seccompListenerSocket = listener;
        this.seccompSupervisor = supervisor;
        this.seccompListener = socket;
    }

    /**
     * The syscall policy for a container runc hands to the listener: from the profile of the branch named in
     * the spec's {@code listenerMetadata}; null (the container is refused) when the branch is unknown,
     * finished, or its profile is not loaded.
     */
    public org.lobstertrap.puzzlepod.daemon.seccomp.SyscallPolicy seccompPolicy(org.lobstertrap.puzzlepod.daemon.seccomp.GovernedContainer c) {
        return seccompPolicy(c, org.lobstertrap.puzzlepod.daemon.seccomp.RootResolver.direct());
    }

    /**
     * Like {@link #seccompPolicy(org.lobstertrap.puzzlepod.daemon.seccomp.GovernedContainer)}, resolving the
     * writable locations in the container's root with {@code roots} (its exec path resolver).
     */
    public org.lobstertrap.puzzlepod.daemon.seccomp.SyscallPolicy seccompPolicy(org.lobstertrap.puzzlepod.daemon.seccomp.GovernedContainer c,
                                                                             org.lobstertrap.puzzlepod.daemon.seccomp.RootResolver roots) {
        BranchMetadata m;
        try {
            m = store.get(Args.id(c.branchId()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "seccomp: container " + c.containerId() + " names branch " + c.branchId() + ": " + e.getMessage());
            return null;
        }
        if (m.state() != BranchState.READY && m.state() != BranchState.ACTIVE) {
            LOG.log(System.Logger.Level.WARNING, "seccomp: branch " + m.id() + " of container " + c.containerId() + " is " + m.state().wire());
            return null;
        }
        ProfileRepository repo = profiles;
        org.lobstertrap.puzzlepod.core.profile.Profile p = repo == null ? null : repo.find(m.profile()).orElse(null);
        if (p == null) return null;
        try {
            return org.lobstertrap.puzzlepod.daemon.seccomp.ProfileSyscallPolicies.of(p, gatedProxy, recordOf(m).workspace(), c.initPid(), roots);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "seccomp: no policy for branch " + m.id() + ": " + e.getMessage());
            return null;
        }
    }

    private volatile org.lobstertrap.puzzlepod.daemon.seccomp.InitExitWatcher initExits;

    /**
     * Attaches a container runc hands to the seccomp listener, before its notifications are served (its
     * init waits in its first execve meanwhile): what {@code AttachGovernance} does, for the branch named in
     * {@code listenerMetadata}, on behalf of the uid that handed it over (runc's; the same ownership rule as
     * D-Bus), with the cgroup read from {@code /proc}. Then the init's exit is watched: when it exits the
     * daemon triggers governance itself, unless the container's {@code trigger} annotation says
     * {@code puzzle-podman} does (it knows the exit code). Before the attach, the container's final spec
     * ({@code BUNDLE/config.json}) must not expose the branch's base writable outside the branch
     * ({@link AdmittedSpec}; a spec that cannot be read refuses the container). Throws when the container must
     * not run; the refusal is audited as {@code container.refused}.
     */
    public void admitContainer(org.lobstertrap.puzzlepod.daemon.seccomp.RuncSeccompMessage msg, int pidfd, int peerUid)
            throws org.lobstertrap.puzzlepod.daemon.seccomp.SeccompMessageException {
        String branch = msg.metadata();
        try {
            String cgroup;
            try {
                cgroup = org.lobstertrap.puzzlepod.daemon.seccomp.ProcCgroups.of(Path.of("/proc"), msg.pid());
            } catch (IOException e) {
                throw new ApiException(ApiError.Internal, "cannot read the cgroup of the container's init (pid " + msg.pid() + "): " + e.getMessage());
            }
            checkSpec(new Caller(peerUid, daemonUid), branch, msg.bundle());
            ObjectNode container = NODES.objectNode().put("container_id", msg.containerId()).put("pid", msg.pid()).put("cgroup", cgroup);
            if (!msg.bundle().isEmpty()) container.put("bundle", msg.bundle());
            attachGovernance(new Caller(peerUid, daemonUid), branch, container.toString());
        } catch (ApiException e) {
            try {
                BranchMetadata m = store.get(Args.id(branch));
                audit("container.refused", m, NODES.objectNode().put("container_id", msg.containerId()).put("pid", msg.pid())
                        .put("caller_uid", peerUid).put("code", e.code().name()).put("error", String.valueOf(e.getMessage())));
            } catch (RuntimeException ignored) {
                // no such branch: there is no branch to record it under; the daemon's log has it
            }
            throw new org.lobstertrap.puzzlepod.daemon.seccomp.SeccompMessageException(
                    org.lobstertrap.puzzlepod.daemon.seccomp.SeccompMessageException.Code.NOT_ADMITTED,
                    "container " + msg.containerId() + " on branch " + branch + " not attached (" + e.code() + "): " + e.getMessage());
        }
        boolean wrapperTriggers = org.lobstertrap.puzzlepod.client.Annotations.TRIGGER_WRAPPER
                .equals(msg.annotations().get(org.lobstertrap.puzzlepod.client.Annotations.TRIGGER));
        org.lobstertrap.puzzlepod.daemon.seccomp.InitExitWatcher w = initExits;
        if (w == null) {
            closeQuietly(pidfd);
            return;
        }
        try {
            w.watch(pidfd, () -> initExited(branch, msg.containerId(), wrapperTriggers));
        } catch (org.lobstertrap.puzzlepod.core.linux.LinuxException | RuntimeException e) {
            // the container is governed; only the automatic trigger is lost, so the branch waits for an operator or expiry
            LOG.log(System.Logger.Level.WARNING, "not watching container " + msg.containerId() + " for its exit: " + e.getMessage());
        }
    }

    /**
     * The final spec's check ({@link AdmittedSpec}) for a container of {@code branch}, after the same ownership
     * rule as the attach (so another user's runtime learns nothing of the branch's paths).
     */
    private void checkSpec(Caller c, String branch, String bundle) {
        BranchMetadata m = owned(c, branch);
        if (m.base() == null) throw ApiException.state("branch " + m.id() + " has no base; its container's spec cannot be checked");
        if (m.state().isTerminal()) throw ApiException.state("branch " + m.id() + " is " + m.state() + "; it carries no container");
        BranchPaths p = store.paths(m.id());
        AdmittedSpec.check(bundle, m.base(), recordOf(m).workspace(), p.upper(), p.work());
    }

    /** The init of a container on {@code branch} exited: the daemon's trigger, the one a poststop hook used to send. */
    private void initExited(String branch, String containerId, boolean wrapperTriggers) {
        if (wrapperTriggers) {
            LOG.log(System.Logger.Level.DEBUG, "container {0} of branch {1} exited; puzzle-podman triggers governance", containerId, branch);
            return;
        }
        try {
            triggerGovernance(new Caller(daemonUid, daemonUid), branch, "{\"reason\":\"stopped\"}");
        } catch (ApiException e) {
            // InvalidState: already decided or under way (an operator, a rollback); nothing is lost
            LOG.log(e.code() == ApiError.InvalidState ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "container " + containerId + " of branch " + branch + " exited; governance not triggered: " + e.getMessage());
        }
    }

    private static void closeQuietly(int fd) {
        try {
            org.lobstertrap.puzzlepod.core.linux.FileSyscalls.linux().close(fd);
        } catch (org.lobstertrap.puzzlepod.core.linux.LinuxException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
    }

    /** Watches attached containers' inits with {@code watcher} (closed with the service). */
    public void initExits(org.lobstertrap.puzzlepod.daemon.seccomp.InitExitWatcher watcher) { this.initExits = watcher; }

    /** The seccomp supervisor's decisions into the audit log, off its poll thread. */
    public org.lobstertrap.puzzlepod.daemon.seccomp.DecisionSink seccompAuditSink() {
        return d -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("time", d.time().toString());
            data.put("container_id", d.containerId());
            data.put("pid", d.pid());
            data.put("syscall", d.syscall());
            data.put("subject", d.subject());
            data.put("allowed", d.allowed());
            data.put("reason", d.reason());
            try {
                seccompAudit.execute(() -> {
                    try {
                        audit.append(SECCOMP_AUDIT_TYPE, d.branchId(), null, data);
                    } catch (AuditException e) {
                        LOG.log(System.Logger.Level.WARNING, "audit of a seccomp decision failed: " + e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "seccomp decision not audited (shutting down): " + data);
            }
        };
    }

    /** The audit record type of a governed container found running, unsupervised, after a daemon restart. */
    public static final String ORPHANED_AUDIT_TYPE = "container.orphaned";

    /**
     * A container attached to a live branch, as recorded at attach.
     *
     * @param branchId      the branch
     * @param containerId   the container's id
     * @param pid           its init process (host pid namespace) when attached
     * @param branchCreated when the branch was made (the container started after it)
     */
    public record AttachedContainer(String branchId, String containerId, int pid, java.time.Instant branchCreated) {}

    /** The containers attached to branches that are not finished, with the pid recorded at attach. */
    public List<AttachedContainer> attachedContainers() {
        List<AttachedContainer> out = new ArrayList<>();
        for (BranchMetadata m : store.list()) {
            if (m.state().isTerminal() || m.containerId() == null) continue;
            GovernanceRecord r = records.read(m.id());
            if (r == null || r.container() == null || r.container().pid() <= 0) continue;
            out.add(new AttachedContainer(m.id().value(), r.container().containerId(), r.container().pid(), m.created()));
        }
        return out;
    }

    /**
     * Records an orphaned container (running with nobody answering its seccomp notifications since the daemon
     * that held them stopped): audits {@link #ORPHANED_AUDIT_TYPE} with {@code data}; when it was killed, the
     * branch (if still ready, active, frozen or degraded) becomes failed with {@code reason} and its on_exit
     * becomes hold, so the stop that follows decides nothing: the upper dir stays for a person to commit
     * through the gate or roll back. Returns the branch's state afterwards.
     */
    public String containerOrphaned(AttachedContainer c, boolean killed, String reason, Map<String, Object> data) {
        BranchMetadata m = store.get(Args.id(c.branchId()));
        ObjectNode d = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(data);
        if (killed && (m.state() == BranchState.READY || m.state() == BranchState.ACTIVE || m.state() == BranchState.FROZEN
                || m.state() == BranchState.DEGRADED)) {
            records.write(m.id(), recordOf(m).withOnExit("hold"));
            m = store.transition(m.id(), BranchState.FAILED, reason);
            signalChange();
        }
        audit(ORPHANED_AUDIT_TYPE, m, d.put("state", m.state().wire()));
        return m.state().wire();
    }

    /** Where the branch's puzzle-init rules file is. */
    Path shimRulesFile(BranchId id) { return config.runtimeDir().resolve(SHIM_RULES_DIR).resolve(id.value() + ".rules"); }

    /** Where the branch's podman seccomp profile is (when one was written). */
    Path seccompProfileFile(BranchId id) { return config.runtimeDir().resolve(SECCOMP_PROFILES_DIR).resolve(id.value() + ".json"); }

    /**
     * Removes the rules files and podman seccomp profiles of finished (or vanished) branches, run at each CreateBranch: the runtime dir
     * holds one file per live branch plus those finished since the last create. A file is only removed once
     * its branch reads as finished, so a branch being created meanwhile keeps its file. {@code running} is the
     * create's own listing: only files of branches not in it are looked up again.
     */
    private void pruneShimRules(List<BranchMetadata> running) {
        pruneBranchFiles(running, SHIM_RULES_DIR, ".rules");
        pruneBranchFiles(running, SECCOMP_PROFILES_DIR, ".json");
    }

    /** Removes the files {@code ID + suffix} in the runtime dir's {@code dirName} whose branch is finished or gone. */
    private void pruneBranchFiles(List<BranchMetadata> running, String dirName, String suffix) {
        Set<String> keep = new java.util.HashSet<>();
        for (BranchMetadata m : running) keep.add(m.id().value() + suffix);
        Path dir = config.runtimeDir().resolve(dirName);
        if (!Files.isDirectory(dir)) return;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!name.endsWith(suffix) || name.startsWith(".") || keep.contains(name)) continue;
                boolean finished;
                try {
                    finished = store.get(BranchId.of(name.substring(0, name.length() - suffix.length()))).state().isTerminal();
                } catch (RuntimeException e) { // not found, or not a branch id at all
                    finished = true;
                }
                if (finished) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "pruning old branch files in " + dir + ": " + e.getMessage());
        }
    }

    /** Writes the branch's rules file, read-only, replacing nothing that is there. */
    private void writeShimRules(BranchId id, String text) throws IOException {
        writeReadOnly(shimRulesFile(id), text);
    }

    /**
     * Writes the branch's podman seccomp profile (asked for with the CreateBranch option {@code podman_seccomp})
     * when the daemon has a listener and a base profile and the branch is one podman mounts itself (kernel overlay): the seccomp containment ({@link
     * org.lobstertrap.puzzlepod.client.seccomp.GovernedSeccomp}, the precreate hook's own) applied to podman's
     * default profile, with this daemon's listener and the branch id. Anything missing or failing leaves no
     * file, so {@code puzzle-podman run} falls back to the precreate hook, which does the same to the spec.
     */
    private void writeSeccompProfile(BranchMetadata m) {
        org.lobstertrap.puzzlepod.daemon.seccomp.BranchSeccompProfiles profiles = podmanSeccomp;
        Path listener = seccompListener;
        if (profiles == null || listener == null || m.overlay() != OverlayFlavour.KERNEL) return;
        try {
            writeReadOnly(seccompProfileFile(m.id()), profiles.forBranch(listener.toString(), m.id().value()));
        } catch (IOException | RuntimeException | org.lobstertrap.puzzlepod.client.seccomp.SeccompProfileException e) {
            LOG.log(System.Logger.Level.WARNING, "no podman seccomp profile for branch " + m.id() + " (its container goes through "
                    + "the precreate hook): " + e.getMessage());
        }
    }

    /** Writes {@code file} read-only through a temporary file, replacing what is there. */
    private void writeReadOnly(Path file, String text) throws IOException {
        privateDirs(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Where a container's exit status comes from when the trigger does not carry one (the poststop hook
     * never knows it): in puzzled, podman's died events (conmon-bridge). Closed with the service.
     */
    public interface ExitStatuses extends AutoCloseable {
        /** The exit status of the container, waiting up to {@code timeout} for it; empty if it does not come. */
        java.util.OptionalInt await(String containerId, Duration timeout) throws InterruptedException;
    }

    /** How long a trigger without an exit status waits for the container's died event. */
    static final Duration EXIT_STATUS_WAIT = Duration.ofSeconds(5);

    private volatile ExitStatuses exitStatuses;

    /** Uses {@code source} for exit statuses that triggers lack (see {@link ExitStatuses}). */
    public void exitStatuses(ExitStatuses source) { this.exitStatuses = source; }

    private volatile org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks networks;
    private final java.util.concurrent.ExecutorService networkAudit =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("network-audit").daemon(true).factory());

    /**
     * Enforces each profile's network mode when a container is attached (Blocked, Gated); a container whose
     * network cannot be isolated is refused (AttachGovernance fails, so createRuntime aborts it). Closed with
     * the service.
     */
    public void containerNetworks(org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks n) { this.networks = n; }

    /** The network proxy's and DNS filter's decisions into the audit log, off their threads. */
    public org.lobstertrap.puzzlepod.daemon.network.NetworkDecisionSink networkAuditSink() {
        return d -> {
            try {
                networkAudit.execute(() -> {
                    try {
                        audit.append(org.lobstertrap.puzzlepod.daemon.network.NetworkDecision.AUDIT_TYPE, d.branchId(), null, d.auditData());
                    } catch (AuditException e) {
                        LOG.log(System.Logger.Level.WARNING, "audit of a network decision failed: " + e.getMessage());
                    }
                });
            } catch (RejectedExecutionException e) {
                // shutting down: the decision was made; only its record is lost, and the log says so
                LOG.log(System.Logger.Level.WARNING, "network decision not audited (shutting down): " + d.auditData());
            }
        };
    }

    // ---------------------------------------------------------------- branches

    @Override
    public String createBranch(Caller c, String profileName, String base, String optionsJson) {
        return call(() -> {
            String profile = Args.profile(profileName);
            String basePath = Args.path("base", base);
            ObjectNode o = Args.object("options", optionsJson, Args.MAX_JSON, CREATE_KEYS);
            String idText = Args.optString(o, "options", "id");
            BranchId id = idText == null ? null : Args.id(idText);
            String workspace = Args.optString(o, "options", "workspace");
            workspace = workspace == null ? "/workspace" : Args.path("options: workspace", workspace);
            if (workspace.indexOf(',') >= 0 || workspace.indexOf(':') >= 0)
                throw ApiException.invalid("options: workspace must not contain ',' or ':' (podman volume syntax)");
            long maxLife = config.branchLifetime().toSeconds();
            Long life = Args.optLong(o, "options", "lifetime_seconds", 1, Long.MAX_VALUE);
            Duration lifetime = Duration.ofSeconds(life == null ? maxLife : Math.min(life, maxLife));
            String onExit = Args.optString(o, "options", "on_exit");
            if (onExit == null) onExit = "commit";
            if (!ON_EXIT.contains(onExit)) throw ApiException.invalid("options: on_exit must be commit, rollback or hold, got " + Args.show(onExit));
            Boolean clean = Args.optBool(o, "options", "require_clean_exit");
            boolean podmanSeccompWanted = Boolean.TRUE.equals(Args.optBool(o, "options", "podman_seccomp"));
            OverlayFlavour overlay = overlay(Args.optString(o, "options", "overlay"), daemonUid);
            ProfileRepository repo = profiles;
            if (repo == null || repo.find(profile).isEmpty())
                throw ApiException.notFound("no profile named " + Args.show(profile) + "; ListProfiles shows the loaded ones");
            if (basePath.indexOf(',') >= 0 || basePath.indexOf(':') >= 0)
                throw ApiException.invalid("base " + Args.show(basePath) + " contains ',' or ':', which overlay mount options cannot carry");
            Path baseDir = Path.of(basePath);
            if (!Files.isDirectory(baseDir)) throw ApiException.invalid("base " + Args.show(basePath) + " is not an existing directory");
            if (c.uid() != 0) {
                int owner = (Integer) Files.getAttribute(baseDir.toRealPath(), "unix:uid");
                if (owner != c.uid()) throw ApiException.denied("base directory " + Args.show(basePath) + " is not owned by uid " + c.uid()
                        + "; only root may create branches of other users' directories");
            }
            // only the live branches: reading every tombstone made each create O(history)
            List<BranchMetadata> running = store.listLive().stream().filter(m -> !m.state().isTerminal()).toList();
            long live = running.size();
            pruneShimRules(running);
            if (live >= config.maxBranches())
                throw new ApiException(ApiError.Unavailable, "too many branches (" + live + " of at most " + config.maxBranches()
                        + "); commit or roll back some first");
            String shimRules;
            try {
                java.net.InetSocketAddress proxy = gatedProxy;
                shimRules = org.lobstertrap.puzzlepod.core.profile.ShimRules.forProfile(repo.find(profile).orElseThrow(), workspace,
                        proxy == null || proxy.getPort() == 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(proxy.getPort()), "profile " + profile);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("profile " + Args.show(profile) + " cannot be turned into Landlock rules: " + e.getMessage());
            }
            BranchMetadata m = store.create(new NewBranch(id, c.uid(), profile, baseDir, lifetime, overlay));
            try {
                writeShimRules(m.id(), shimRules);
            } catch (IOException | RuntimeException e) {
                store.rollback(m.id());
                throw new ApiException(ApiError.Unavailable, "cannot write the Landlock rules of branch " + m.id() + ": " + e.getMessage());
            }
            // only puzzle-podman asks: the precreate hook rewrites the spec itself, so its branches need no file
            if (podmanSeccompWanted) writeSeccompProfile(m);
            GovernanceRecord r = GovernanceRecord.of(workspace, onExit, clean != null && clean);
            records.write(m.id(), r);
            ObjectNode branch = branchJson(m, r);
            audit("branch.created", m, NODES.objectNode().put("profile", profile).put("base", m.base().toString())
                    .put("workspace", workspace).put("on_exit", onExit).put("require_clean_exit", r.requireClean())
                    .put("caller_uid", c.uid()));
            events.branchCreated(m.id().value(), branch.toString());
            signalChange();
            return branch.toString();
        });
    }

    @Override
    public String inspectBranch(Caller c, String id) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            return branchJson(m, records.read(m.id()), c).toString();
        });
    }

    @Override
    public String listBranches(Caller c, String filterJson) {
        return call(() -> {
            ObjectNode f = Args.object("filter", filterJson, Args.MAX_JSON, FILTER_KEYS);
            String stateText = Args.optString(f, "filter", "state");
            BranchState state = null;
            if (stateText != null) {
                try {
                    state = BranchState.fromWire(stateText);
                } catch (BranchException e) {
                    throw ApiException.invalid("filter: unknown state " + Args.show(stateText));
                }
            }
            String baseText = Args.optString(f, "filter", "base");
            Path base = baseText == null ? null : Path.of(Args.path("filter: base", baseText));
            List<BranchMetadata> all = new ArrayList<>(store.list());
            all.sort(Comparator.comparing(BranchMetadata::created).thenComparing(BranchMetadata::id).reversed());
            ObjectNode out = NODES.objectNode();
            ArrayNode arr = out.putArray("branches");
            for (BranchMetadata m : all) {
                if (!c.mayActOn(m.ownerUid())) continue;
                if (state != null && m.state() != state) continue;
                if (base != null && !base.equals(m.base())) continue;
                arr.add(branchJson(m, records.read(m.id()), c));
            }
            return out.toString();
        });
    }

    @Override
    public String diffBranch(Caller c, String id) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            if (m.state().isTerminal()) throw ApiException.state("branch " + m.id() + " is " + m.state() + "; it has no changes left to diff");
            DiffResult d;
            try {
                d = flow.diff(m.id());
            } catch (BranchException e) {
                throw new ApiException(ApiError.Internal, e.getMessage(), e);
            }
            ObjectNode out = NODES.objectNode();
            out.put("branch", m.id().value());
            ObjectNode tree = ChangesetJson.toTree(d.changeset());
            out.set("changes", tree.get("changes"));
            ArrayNode skipped = out.putArray("skipped");
            for (SkippedEntry s : d.skipped()) skipped.addObject().put("path", s.path().display()).put("reason", s.reason());
            ObjectNode summary = out.putObject("summary");
            summary.put("changes", d.changeset().size());
            summary.put("bytes", d.changeset().totalBytes());
            for (ChangeKind k : ChangeKind.values()) summary.put(k.name(), d.changeset().count(k));
            return out.toString();
        });
    }

    @Override
    public String commitBranch(Caller c, String id) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            requireGovernable(m);
            claim(m.id());
            try {
                GovernanceRecord r = recordOf(m);
                Decision d = runGate(m, r, false, "commit");
                return view(c, d).toJson().toString();
            } finally {
                release(m.id());
            }
        });
    }

    @Override
    public String rollbackBranch(Caller c, String id, String reason) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            String why = Args.text("reason", reason);
            if (m.state() == BranchState.ROLLED_BACK) return branchJson(m, records.read(m.id()), c).toString();
            if (m.state() == BranchState.COMMITTED) throw ApiException.state("branch " + m.id() + " is committed; it cannot be rolled back");
            claim(m.id());
            try {
                GovernanceRecord r = recordOf(m);
                stopContainer(r);
                reviews.cancel(m.id());
                BranchMetadata after = store.rollback(m.id());
                String text = why.isEmpty() ? "rolled back by uid " + c.uid() : why;
                audit("branch.rolled-back", after, NODES.objectNode().put("reason", text).put("caller_uid", c.uid()).put("was", m.state().wire()));
                events.branchRolledBack(m.id().value(), NODES.objectNode().put("branch", m.id().value()).put("reason", text).toString());
                signalChange();
                return branchJson(after, r, c).toString();
            } catch (BranchException e) {
                if ("commit-in-progress".equals(e.code())) throw ApiException.state(e.getMessage());
                throw e;
            } finally {
                release(m.id());
            }
        });
    }

    @Override
    public String approveBranch(Caller c, String id, String comment) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            String text = Args.text("comment", comment);
            if (m.state() != BranchState.REVIEW_PENDING) throw ApiException.state("branch " + m.id() + " is " + m.state() + ", not review-pending");
            claim(m.id());
            try {
                GovernanceRecord r = recordOf(m);
                stopContainer(r); // operational fail mode kept the agent running; what is approved must hold still
                Decision d = reviews.approve(m.id(), r.reviewDigest(), r.decision(), text.isEmpty() ? null : text);
                auditQuietly("review.approved", m, NODES.objectNode().put("caller_uid", c.uid()).put("comment", text)
                        .put("outcome", d.outcome().wire()));
                finish(m, r, d);
                return view(c, d).toJson().toString();
            } finally {
                release(m.id());
            }
        });
    }

    @Override
    public String rejectBranch(Caller c, String id, String reason) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            String text = Args.text("reason", reason);
            if (m.state() != BranchState.REVIEW_PENDING) throw ApiException.state("branch " + m.id() + " is " + m.state() + ", not review-pending");
            claim(m.id());
            try {
                GovernanceRecord r = recordOf(m);
                stopContainer(r);
                Decision d = reviews.reject(m.id(), r.decision(), text.isEmpty() ? "rejected by uid " + c.uid() : text);
                auditQuietly("review.rejected", m, NODES.objectNode().put("caller_uid", c.uid()).put("reason", text));
                finish(m, r, d);
                return view(c, d).toJson().toString();
            } finally {
                release(m.id());
            }
        });
    }

    /** The profile's network mode in the container's netns; refuses the container when that fails. */
    private String enforceNetwork(BranchMetadata m, long pid) {
        org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks n = networks;
        if (n == null) return "not enforced";
        ProfileRepository repo = profiles;
        org.lobstertrap.puzzlepod.core.profile.Profile p = repo == null ? null : repo.find(m.profile()).orElse(null);
        if (p == null) throw new ApiException(ApiError.Unavailable, "profile " + m.profile() + " of branch " + m.id()
                + " is not loaded; refusing to start its container without its network rules");
        try {
            return n.enforce(pid, m.id().value(), p.network());
        } catch (Exception e) {
            audit("network.refused", m, NODES.objectNode().put("pid", pid).put("mode", p.network().mode().name())
                    .put("error", String.valueOf(e.getMessage())));
            throw new ApiException(ApiError.Unavailable, "cannot apply the " + p.network().mode() + " network rules of profile "
                    + p.name() + " to the container (pid " + pid + "): " + e.getMessage() + "; refusing to let it run");
        }
    }

    @Override
    public String attachGovernance(Caller c, String id, String containerJson) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            ObjectNode o = Args.object("container", containerJson, Args.MAX_JSON, CONTAINER_KEYS);
            String cid = Args.optString(o, "container", "container_id");
            if (cid == null || cid.isEmpty() || cid.length() > 128 || !cid.matches("[A-Za-z0-9][A-Za-z0-9_.-]*"))
                throw ApiException.invalid("container: container_id " + Args.show(cid) + " must be 1 to 128 of letters, digits, '_', '.', '-'");
            Long pid = Args.optLong(o, "container", "pid", 1, 4_194_304);
            if (pid == null) throw ApiException.invalid("container: pid is missing");
            String cgroup = Args.optString(o, "container", "cgroup");
            if (cgroup != null) Args.path("container: cgroup", cgroup);
            String bundle = Args.optString(o, "container", "bundle");
            if (bundle != null) Args.path("container: bundle", bundle);
            if (m.state() != BranchState.READY && m.state() != BranchState.ACTIVE && m.state() != BranchState.FROZEN)
                throw ApiException.state("branch " + m.id() + " is " + m.state() + "; a container can only be attached to a ready or active branch");
            claim(m.id());
            try {
                GovernanceRecord r = recordOf(m).withContainer(new ContainerRef(cid, pid.intValue(), cgroup, bundle));
                String network = enforceNetwork(m, pid);
                records.write(m.id(), r);
                BranchMetadata after = store.attachContainer(m.id(), cid); // one durable write: the first exec waits
                audit("branch.attached", after, NODES.objectNode().put("container_id", cid).put("pid", pid).put("cgroup", cgroup)
                        .put("bundle", bundle).put("network", network).put("caller_uid", c.uid()));
                signalChange();
                return branchJson(after, r, c).toString();
            } finally {
                release(m.id());
            }
        });
    }

    @Override
    public String triggerGovernance(Caller c, String id, String eventJson) {
        return call(() -> {
            BranchMetadata m = owned(c, id);
            ObjectNode o = Args.object("event", eventJson, Args.MAX_JSON, EVENT_KEYS);
            String reason = Args.optString(o, "event", "reason");
            if (reason == null) reason = "stopped";
            if (!reason.equals("stopped") && !reason.equals("manual"))
                throw ApiException.invalid("event: reason must be stopped or manual, got " + Args.show(reason));
            Long exit = Args.optLong(o, "event", "exit_code", Integer.MIN_VALUE, Integer.MAX_VALUE);
            boolean oom = Boolean.TRUE.equals(Args.optBool(o, "event", "oom_killed"));
            boolean timedOut = Boolean.TRUE.equals(Args.optBool(o, "event", "timed_out"));
            requireGovernable(m);
            org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks n = networks;
            if (n != null && stopped(reason)) n.release(m.id().value());
            GovernanceRecord r = recordOf(m).withExitCode(exit == null ? null : exit.intValue());
            ObjectNode ev = NODES.objectNode().put("reason", reason).put("oom_killed", oom).put("timed_out", timedOut)
                    .put("on_exit", r.onExit()).put("caller_uid", c.uid());
            if (exit == null) ev.putNull("exit_code"); else ev.put("exit_code", exit);
            boolean stopped = reason.equals("stopped");
            ObjectNode out = NODES.objectNode().put("branch", m.id().value());
            if (r.onExit().equals("hold")) {
                records.write(m.id(), r);
                audit("governance.triggered", m, ev.put("accepted", false));
                // its container is gone and nothing is decided: ready again, not "active" with no agent
                BranchMetadata now = stopped && m.state() == BranchState.ACTIVE ? store.transition(m.id(), BranchState.READY, null) : m;
                return out.put("accepted", false).put("state", now.state().wire()).toString();
            }
            claim(m.id());
            try {
                records.write(m.id(), r);
                audit("governance.triggered", m, ev.put("accepted", true));
                ExitStatuses source = exitStatuses;
                boolean lookUp = exit == null && stopped && source != null && r.container() != null
                        && r.container().containerId() != null && !r.onExit().equals("rollback");
                Integer given = exit == null ? null : exit.intValue();
                background.execute(() -> {
                    try {
                        Integer status = given;
                        if (lookUp) {
                            // the poststop hook cannot know the status; podman's died event carries it
                            java.util.OptionalInt s = source.await(r.container().containerId(), EXIT_STATUS_WAIT);
                            if (s.isPresent()) {
                                status = s.getAsInt();
                                records.write(m.id(), recordOf(store.get(m.id())).withExitCode(status));
                                audit("governance.exit-status", m, NODES.objectNode().put("exit_code", status).put("source", "podman-events"));
                            }
                        }
                        String failure = null;
                        if (r.onExit().equals("rollback")) failure = "on_exit is rollback";
                        else if (r.requireClean() && (oom || timedOut || (status != null && status != 0) || (status == null && stopped)))
                            failure = "the agent did not exit cleanly (" + (oom ? "killed for lack of memory" : timedOut ? "timed out"
                                    : status == null ? "exit status unknown" : status < 0 ? "exit status unknown to podman"
                                    : "exit code " + status) + ") and require_clean_exit is set";
                        if (failure != null) rollBackWithDecision(m.id(), failure, stopped);
                        else runGate(store.get(m.id()), recordOf(store.get(m.id())), stopped, "trigger");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.log(System.Logger.Level.ERROR, "governance of branch " + m.id() + " failed: " + e.getMessage(), e);
                    } finally {
                        release(m.id());
                    }
                });
            } catch (RejectedExecutionException e) {
                release(m.id());
                throw new ApiException(ApiError.Unavailable, "the daemon is shutting down; governance not started");
            } catch (RuntimeException e) {
                release(m.id());
                throw e;
            }
            return out.put("accepted", true).put("state", store.get(m.id()).state().wire()).toString();
        });
    }

    private static boolean stopped(String reason) { return reason.equals("stopped"); }

    @Override
    public String waitBranch(Caller c, String id, long timeoutMillis) {
        return call(() -> {
            if (timeoutMillis < 0) throw ApiException.invalid("timeout must not be negative");
            BranchMetadata m = owned(c, id);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.min(timeoutMillis, MAX_WAIT.toMillis()));
            synchronized (changed) {
                while (true) {
                    m = store.get(m.id());
                    GovernanceRecord r = records.read(m.id());
                    boolean decided = isDecided(m, r);
                    long left = deadline - System.nanoTime();
                    if (decided || left <= 0 || closed) {
                        ObjectNode out = branchJson(m, r, c);
                        out.put("decided", decided);
                        return out.toString();
                    }
                    try {
                        changed.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ApiException(ApiError.Internal, "interrupted while waiting for branch " + m.id());
                    }
                }
            }
        });
    }

    /** Decided: nothing under way and the branch is finished, awaits a person, or failed after a decision. */
    private boolean isDecided(BranchMetadata m, GovernanceRecord r) {
        if (busy.contains(m.id()) || m.state() == BranchState.COMMITTING) return false;
        return m.state().isTerminal() || m.state() == BranchState.REVIEW_PENDING
                || (m.state() == BranchState.FAILED && r != null && r.decision() != null);
    }

    // ---------------------------------------------------------------- policy, audit, profiles

    @Override
    public String reloadPolicy(Caller c) {
        return call(() -> {
            if (!c.privileged()) throw ApiException.denied("only root or the daemon's user may reload policies");
            loadProfiles();
            PolicyStore.Snapshot s;
            try {
                s = policies.reload();
            } catch (PolicyUnavailable e) {
                PolicyStore.Snapshot old = policies.snapshot();
                auditQuietly("policy.load-failed", null, (long) c.uid(), NODES.objectNode().put("error", e.getMessage())
                        .put("kept_digest", old.digest()));
                throw new ApiException(ApiError.Unavailable, "policy not reloaded: " + e.getMessage() + (old.loaded()
                        ? "; the previous policy (" + old.digest() + ") stays in force" : "; no policy is loaded, every decision fails closed"));
            }
            auditQuietly("policy.reloaded", null, (long) c.uid(), policyJson(s));
            ObjectNode out = NODES.objectNode().put("policy_digest", s.digest());
            ArrayNode mods = out.putArray("modules");
            s.modules().forEach(mods::add);
            out.put("profiles", profiles == null ? 0 : profiles.names().size());
            if (profilesError != null) out.put("profiles_error", profilesError);
            return out.toString();
        });
    }

    @Override
    public String queryAuditEvents(Caller c, String queryJson) {
        return call(() -> {
            ObjectNode q = Args.object("query", queryJson, Args.MAX_JSON, QUERY_KEYS);
            String branch = Args.optString(q, "query", "branch");
            if (branch != null) {
                BranchId bid = Args.id(branch);
                if (!c.privileged()) {
                    try {
                        BranchMetadata m = store.get(bid);
                        if (m.ownerUid() != c.uid()) throw ApiException.denied("branch " + bid + " belongs to another user");
                    } catch (BranchNotFound e) {
                        // a branch that is gone may still have records; the uid filter below keeps others' out
                    }
                }
            }
            Set<String> types = new HashSet<>();
            JsonNode t = q.get("types");
            if (t != null) {
                if (!t.isArray() || t.size() > 64) throw ApiException.invalid("query: types must be an array of at most 64 strings");
                for (JsonNode x : t) {
                    if (!x.isTextual() || !x.asText().matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*") || x.asText().length() > 64)
                        throw ApiException.invalid("query: types must be event types like branch.committed");
                    types.add(x.asText());
                }
            }
            Instant from = instant(q, "from"), to = instant(q, "to");
            if (from != null && to != null && to.isBefore(from)) throw ApiException.invalid("query: \"to\" is before \"from\"");
            Long limit = Args.optLong(q, "query", "limit", 1, MAX_AUDIT_EVENTS);
            long max = limit == null ? 1000 : limit;
            AuditQuery query = new AuditQuery(branch, types, from, to, 0);
            ObjectNode out = NODES.objectNode();
            ArrayNode arr = out.putArray("events");
            try (Stream<AuditRecord> s = query.run(config.auditDir())) {
                s.filter(r -> c.privileged() || (r.uid() != null && r.uid() == c.uid())).limit(max).forEach(r -> arr.add(recordJson(r)));
            } catch (IOException | UncheckedIOException e) {
                throw new ApiException(ApiError.Internal, "cannot read the audit log: " + e.getMessage(), e);
            }
            return out.toString();
        });
    }

    @Override
    public String verifyAudit(Caller c) {
        return call(() -> {
            AuditVerifier.Report r;
            try {
                r = new AuditVerifier(auditKey).verify(config.auditDir());
            } catch (IOException e) {
                throw new ApiException(ApiError.Internal, "cannot read the audit log: " + e.getMessage(), e);
            }
            ObjectNode out = NODES.objectNode().put("ok", r.ok()).put("records", r.records()).put("files", r.files());
            ArrayNode problems = out.putArray("problems");
            r.failure().ifPresent(f -> problems.add(f.toString()));
            return out.toString();
        });
    }

    @Override
    public String listProfiles(Caller c) {
        return call(() -> {
            ObjectNode out = NODES.objectNode();
            ArrayNode arr = out.putArray("profiles");
            ProfileRepository repo = profiles;
            if (repo != null) for (Profile p : repo.list())
                arr.addObject().put("name", p.name()).put("description", p.description()).put("extends", p.extendsName().orElse(null));
            return out.toString();
        });
    }

    @Override
    public String showProfile(Caller c, String name) {
        return call(() -> {
            String n = Args.profile(name);
            ProfileRepository repo = profiles;
            Profile p = repo == null ? null : repo.find(n).orElse(null);
            if (p == null) throw ApiException.notFound("no profile named " + Args.show(n));
            return ProfileJson.toTree(p).toString();
        });
    }

    @Override
    public String validateProfile(Caller c, String yaml) {
        return call(() -> {
            if (yaml == null || yaml.isEmpty()) throw ApiException.invalid("yaml is empty");
            if (yaml.length() > Args.MAX_PROFILE_YAML || yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Args.MAX_PROFILE_YAML)
                throw ApiException.invalid("yaml is larger than " + Args.MAX_PROFILE_YAML + " bytes");
            return ProfileValidation.validate(yaml, config.profilesDir()).toString();
        });
    }

    @Override
    public String testPolicy(Caller c, String changesetJson, String profileName) {
        return call(() -> {
            String name = Args.profile(profileName);
            ObjectNode root = Args.object("changeset", changesetJson, Args.MAX_CHANGESET_JSON, ChangesetParser.TOP);
            ChangesetParser.Parsed parsed = ChangesetParser.parse(root);
            ProfileRepository repo = profiles;
            Profile p = repo == null ? null : repo.find(name).orElse(null);
            if (p == null) throw ApiException.notFound("no profile named " + Args.show(name));
            Decision d = gate.judge(parsed.changeset(), p, parsed.exitCode(), "/workspace");
            return view(c, d).toJson().toString();
        });
    }

    @Override
    public String status(Caller c) {
        return call(() -> {
            ObjectNode out = NODES.objectNode();
            out.put("version", VERSION);
            out.put("daemon_uid", daemonUid);
            out.put("bus", config.bus() == BusKind.SYSTEM ? "system" : "session");
            out.put("uptime_seconds", Duration.between(started, clock.instant()).toSeconds());
            ObjectNode b = out.putObject("branches");
            Map<String, Long> counts = new LinkedHashMap<>();
            for (BranchState s : BranchState.values()) counts.put(s.wire(), 0L);
            List<BranchMetadata> all = store.list();
            for (BranchMetadata m : all) if (c.mayActOn(m.ownerUid())) counts.merge(m.state().wire(), 1L, Long::sum);
            b.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
            counts.forEach(b::put);
            out.put("max_branches", config.maxBranches());
            PolicyStore.Snapshot p = policies.snapshot();
            ObjectNode pol = policyJson(p);
            pol.put("loaded", p.loaded());
            pol.put("loaded_at", p.loadedAt() == null ? null : p.loadedAt().toString());
            pol.put("error", p.error());
            out.set("policy", pol);
            out.put("profiles", profiles == null ? 0 : profiles.names().size());
            out.putObject("review").put("enabled", config.review().enabled()).put("timeout_seconds", config.review().timeout().toSeconds());
            Path listener = seccompListener;
            out.put("seccomp_listener", listener == null ? null : listener.toString());
            out.putObject("gate").put("running", gate.running()).put("queued", gate.queued()).put("decisions", gate.decisions());
            return out.toString();
        });
    }

    // ---------------------------------------------------------------- governance runs

    /** Runs the gate on a branch this thread has claimed; records, audits and announces the decision. */
    private Decision runGate(BranchMetadata m, GovernanceRecord r, boolean stopped, String trigger) {
        ProfileRepository repo = profiles;
        Profile profile = repo == null ? null : repo.find(m.profile()).orElse(null);
        GovernanceGate.Request req = new GovernanceGate.Request(m.id(), profile, m.profile(), r.workspace(), r.exitCode(),
                r.container(), stopped);
        GovernanceGate.Result res = gate.run(req, (id, digest, since) -> {
            records.write(id, recordOf(store.get(id)).withReview(digest, since));
            reviews.schedule(id, since);
        });
        GovernanceRecord latest = records.read(m.id());
        finish(m, latest == null ? r : latest, res.decision());
        return res.decision();
    }

    /** Rolls back without a policy verdict (on_exit=rollback, unclean exit); the container, if still running, is ended first. */
    private void rollBackWithDecision(BranchId id, String reason, boolean stopped) {
        long start = System.nanoTime();
        BranchMetadata m = store.get(id);
        GovernanceRecord r = recordOf(m);
        if (!stopped) stopContainer(r);
        BranchMetadata after = store.rollback(id);
        Profile p = profiles == null ? null : profiles.find(m.profile()).orElse(null);
        Decision d = new Decision(id.value(), Outcome.ROLLED_BACK, false, List.of(), List.of(), 0, 0, 0, r.exitCode(), reason,
                m.profile(), p == null ? null : p.failMode().yamlName(), null, after.state().wire(), clock.instant(),
                (System.nanoTime() - start) / 1_000_000);
        finish(m, r, d);
    }

    /** Records the decision, writes the audit records and sends the signals of its outcome. */
    private void finish(BranchMetadata before, GovernanceRecord r, Decision d) {
        records.write(before.id(), r.withDecision(d));
        BranchMetadata after;
        try {
            after = store.get(before.id());
        } catch (RuntimeException e) {
            after = before;
        }
        audit("gate.decision", after, d.toJson());
        String state = d.state() == null ? "" : d.state();
        switch (state) {
            case "committed" -> audit("branch.committed", after, NODES.objectNode().put("changes", d.changes()).put("bytes", d.bytes()));
            case "rolled-back" -> audit("branch.rolled-back", after, NODES.objectNode().put("outcome", d.outcome().wire()).put("reason", d.reason()));
            case "review-pending" -> audit("review.pending", after, NODES.objectNode().put("outcome", d.outcome().wire())
                    .put("timeout_seconds", reviews.timeout().toSeconds()));
            default -> { }
        }
        String json = d.silenced().toJson().toString(); // signals reach every listener on the bus
        String id = before.id().value();
        // a finished branch's container has been ended: stop serving its network (a per-user daemon closes the
        // container's own proxy); a later "stopped" trigger finds the branch decided and would not get here
        org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks n = networks;
        if (n != null && after.state().isTerminal()) n.release(id);
        switch (d.outcome()) {
            case COMMITTED -> events.branchCommitted(id, json);
            case REJECTED -> {
                events.policyViolation(id, json);
                events.branchRolledBack(id, json);
            }
            case REVIEW_PENDING -> events.reviewPending(id, json);
            case ROLLED_BACK -> events.branchRolledBack(id, json);
            case CONFLICT -> { }
            case FAILED -> {
                if (state.equals("rolled-back")) events.branchRolledBack(id, json);
                else if (state.equals("review-pending")) events.reviewPending(id, json);
            }
        }
        signalChange();
    }

    private void reviewTimedOut(BranchId id) {
        if (closed || !busy.add(id)) {
            if (!closed) reviews.schedule(id, clock.instant().minus(reviews.timeout()).plusSeconds(5)); // busy: try again shortly
            return;
        }
        try {
            BranchMetadata m = store.get(id);
            if (m.state() != BranchState.REVIEW_PENDING) return;
            GovernanceRecord r = recordOf(m);
            stopContainer(r);
            Decision d = reviews.reject(id, r.decision(), "review timed out after " + reviews.timeout().toSeconds() + " s");
            auditQuietly("review.timeout", m, NODES.objectNode().put("timeout_seconds", reviews.timeout().toSeconds()));
            finish(m, r, d);
        } finally {
            busy.remove(id);
            signalChange();
        }
    }

    private void expired(ExpiryReport report) {
        for (BranchMetadata m : report.rolledBack()) {
            stopContainer(records.read(m.id())); // its upper dir is gone: the agent must not keep running on it
            auditQuietly("branch.rolled-back", m, NODES.objectNode().put("reason", "expired at " + m.expiresAt()));
            events.branchRolledBack(m.id().value(), NODES.objectNode().put("branch", m.id().value())
                    .put("reason", "the branch expired").toString());
        }
        signalChange();
    }

    /** Ends an attached container that is still running (nothing when it has stopped or none is attached). */
    private void stopContainer(GovernanceRecord r) {
        if (r == null || r.container() == null) return;
        try (Quiescer.Quiesced q = quiescer.freeze(r.container())) {
            q.kill();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not stop container " + r.container().containerId() + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private BranchMetadata owned(Caller c, String id) {
        BranchId bid = Args.id(id);
        BranchMetadata m;
        try {
            m = store.get(bid);
        } catch (BranchNotFound e) {
            throw ApiException.notFound("no branch " + bid);
        }
        if (!c.mayActOn(m.ownerUid())) throw ApiException.denied("branch " + bid + " belongs to another user");
        return m;
    }

    private static void requireGovernable(BranchMetadata m) {
        switch (m.state()) {
            case READY, ACTIVE, FROZEN, FAILED, DEGRADED -> { }
            default -> throw ApiException.state("branch " + m.id() + " is " + m.state() + "; governance cannot run on it"
                    + (m.state() == BranchState.REVIEW_PENDING ? " (approve or reject it)" : ""));
        }
    }

    private void claim(BranchId id) {
        if (closed) throw new ApiException(ApiError.Unavailable, "the daemon is shutting down");
        if (!busy.add(id)) throw ApiException.state("a governance run on branch " + id + " is under way; wait for it (WaitBranch)");
    }

    private void release(BranchId id) {
        busy.remove(id);
        signalChange();
    }

    private void signalChange() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    private GovernanceRecord recordOf(BranchMetadata m) {
        GovernanceRecord r = records.read(m.id());
        return r != null ? r : GovernanceRecord.of("/workspace", "commit", false);
    }

    private Decision view(Caller c, Decision d) { return c.privileged() ? d : d.silenced(); }

    private ObjectNode branchJson(BranchMetadata m, GovernanceRecord r) { return branchJson(m, r, null); }

    private ObjectNode branchJson(BranchMetadata m, GovernanceRecord r, Caller viewer) {
        ObjectNode o = NODES.objectNode();
        String workspace = r == null ? "/workspace" : r.workspace();
        o.put("id", m.id().value());
        o.put("owner_uid", m.ownerUid());
        o.put("profile", m.profile());
        o.put("base", m.base() == null ? null : m.base().toString());
        o.put("workspace", workspace);
        o.put("state", m.state().wire());
        o.put("created", m.created().toString());
        o.put("updated", m.updated().toString());
        o.put("expires_at", m.expiresAt().toString());
        o.put("container_id", m.containerId());
        if (r != null && r.container() != null) o.put("pid", r.container().pid()); else o.putNull("pid");
        o.put("overlay", switch (m.overlay()) {
            case KERNEL -> "kernel";
            case KERNEL_USERXATTR -> "userxattr";
            case FUSE -> "fuse";
        });
        boolean live = !m.state().isTerminal();
        BranchPaths p = store.paths(m.id());
        o.put("upper", live ? p.upper().toString() : null);
        o.put("work", live ? p.work().toString() : null);
        o.put("on_exit", r == null ? "commit" : r.onExit());
        o.put("failure_reason", m.failureReason());
        o.put("shim_rules", live ? shimRulesFile(m.id()).toString() : null);
        Path listener = seccompListener;
        o.put("seccomp_listener", listener == null ? null : listener.toString());
        Path seccompProfile = seccompProfileFile(m.id());
        o.put("seccomp_profile", live && Files.isRegularFile(seccompProfile) ? seccompProfile.toString() : null);
        // a userxattr branch (rootless podman) cannot be a podman volume: podman would mount it with fuse-overlayfs,
        // whose markers differ; the precreate hook mounts it as a kernel overlay in the container's user namespace
        o.put("podman_volume", live && m.base() != null && m.overlay() != OverlayFlavour.KERNEL_USERXATTR ? m.base() + ":" + workspace + ":O,upperdir=" + p.upper() + ",workdir=" + p.work() : null);
        Decision d = r == null ? null : r.decision();
        if (d == null) o.putNull("decision");
        else o.set("decision", (viewer == null || viewer.privileged() ? d : d.silenced()).toJson());
        return o;
    }

    private static ObjectNode policyJson(PolicyStore.Snapshot p) {
        ObjectNode o = NODES.objectNode().put("digest", p.digest());
        ArrayNode mods = o.putArray("modules");
        p.modules().forEach(mods::add);
        return o;
    }

    private static ObjectNode recordJson(AuditRecord r) {
        ObjectNode o = NODES.objectNode();
        o.put("seq", r.seq());
        o.put("time", r.time().toString());
        o.put("type", r.type());
        o.put("branch", r.branch());
        if (r.uid() == null) o.putNull("uid"); else o.put("uid", r.uid());
        o.set("data", r.data());
        o.put("prev", r.prev());
        o.put("mac", r.mac());
        return o;
    }

    private static Instant instant(ObjectNode q, String key) {
        String s = Args.optString(q, "query", key);
        if (s == null) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("query: \"" + key + "\" must be an ISO-8601 instant like 2026-01-31T12:00:00Z, got " + Args.show(s));
        }
    }

    /**
     * The overlay a branch is mounted with. A per-user daemon serves rootless podman, where the precreate hook
     * mounts the branch as a kernel overlay with {@code userxattr} inside the container's user namespace (its
     * default); it refuses kernel overlay branches, whose opaque directories are marked in {@code trusted.*}
     * xattrs that only root can read (its diff would miss them).
     */
    private static OverlayFlavour overlay(String s, int daemonUid) {
        if (s == null) return daemonUid == 0 ? OverlayFlavour.KERNEL : OverlayFlavour.KERNEL_USERXATTR;
        if (s.equals("kernel") && daemonUid != 0)
            throw ApiException.invalid("options: overlay kernel needs a puzzled running as root (the kernel overlay marks opaque"
                    + " directories in trusted.* xattrs, which uid " + daemonUid + " cannot read); a per-user puzzled serves fuse or userxattr");
        if (s.equals("kernel")) return OverlayFlavour.KERNEL;
        if (s.equals("userxattr")) return OverlayFlavour.KERNEL_USERXATTR;
        if (s.equals("fuse")) return OverlayFlavour.FUSE;
        throw ApiException.invalid("options: overlay must be kernel, userxattr or fuse, got " + Args.show(s));
    }

    private void audit(String type, BranchMetadata m, ObjectNode data) {
        auditQuietly(type, m, m == null ? null : (long) m.ownerUid(), data);
    }

    private void auditQuietly(String type, BranchMetadata m, Long uid, ObjectNode data) {
        try {
            audit.append(type, m == null ? null : m.id().value(), uid, data);
        } catch (AuditException e) {
            // the action has happened and cannot be undone; the log's own repair and VerifyAudit show the gap
            LOG.log(System.Logger.Level.ERROR, "audit record " + type + " not written: " + e.getMessage(), e);
        }
    }

    private void auditQuietly(String type, BranchMetadata m, ObjectNode data) {
        auditQuietly(type, m, m == null ? null : (long) m.ownerUid(), data);
    }

    /** Runs an API method: everything that escapes becomes an {@link ApiException} with a code. */
    private <T> T call(ApiBody<T> body) {
        try {
            return translate(body);
        } catch (ApiException e) {
            String m = e.getMessage();
            // lower layers quote whole paths; a message stays readable and never carries a long argument
            if (m != null && m.length() > MAX_MESSAGE) throw new ApiException(e.code(), m.substring(0, MAX_MESSAGE) + "…", e.getCause());
            throw e;
        }
    }

    private <T> T translate(ApiBody<T> body) {
        if (closed) throw new ApiException(ApiError.Unavailable, "the daemon is shutting down");
        try {
            return body.run();
        } catch (ApiException e) {
            throw e;
        } catch (InvalidBranchId e) {
            throw ApiException.invalid(e.getMessage());
        } catch (BranchNotFound e) {
            throw ApiException.notFound(e.getMessage());
        } catch (IllegalBranchTransition e) {
            throw ApiException.state(e.getMessage());
        } catch (BranchStoreException e) {
            if (BranchStoreException.INVALID_BASE.equals(e.code())) throw ApiException.invalid(e.getMessage());
            throw new ApiException(ApiError.Internal, e.getMessage(), e);
        } catch (BranchException e) {
            if (Set.of("invalid-state", "finished", "commit-in-progress", "not-committing", "no-base").contains(e.code()))
                throw ApiException.state(e.getMessage());
            if (e instanceof BranchAlreadyExists) throw ApiException.invalid(e.getMessage() + "; choose another id");
            throw new ApiException(ApiError.Internal, e.getMessage(), e);
        } catch (IOException e) {
            throw new ApiException(ApiError.Internal, "I/O error: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new ApiException(ApiError.Internal, "I/O error: " + e.getMessage(), e);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "internal error: " + e, e);
            throw new ApiException(ApiError.Internal, "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface ApiBody<T> {
        T run() throws Exception;
    }

    /** Stops background work, waits for running gates, closes the audit log and the store. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        signalChange();
        ExpirySweeper s = sweeper;
        if (s != null) s.close();
        reviews.close();
        background.shutdown();
        try {
            if (!background.awaitTermination(2, TimeUnit.MINUTES))
                LOG.log(System.Logger.Level.WARNING, "governance runs still under way at shutdown; recovery finishes them");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close(Duration.ofSeconds(30));
        for (AutoCloseable a : new AutoCloseable[] {seccompListenerSocket, initExits, seccompSupervisor}) {
            if (a == null) continue;
            try {
                a.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing the seccomp " + (a == seccompSupervisor ? "supervisor" : a == initExits ? "exit watcher" : "listener") + ": " + e.getMessage());
            }
        }
        seccompAudit.shutdown();
        try {
            seccompAudit.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        org.lobstertrap.puzzlepod.daemon.network.ContainerNetworks n = networks;
        if (n != null) n.close();
        networkAudit.shutdown();
        try {
            networkAudit.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ExitStatuses x = exitStatuses;
        if (x != null) {
            try {
                x.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing the exit-status source: " + e.getMessage());
            }
        }
        try {
            audit.close();
        } catch (AuditException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the audit log: " + e.getMessage());
        }
    }
}
