package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The branches of one machine, on disk under a branch root:
 * <pre>
 * root/
 *   &lt;id&gt;/branch.json    metadata of a live branch (written atomically)
 *   &lt;id&gt;/upper/         overlay upper dir: the branch's changes
 *   &lt;id&gt;/work/          overlay work dir
 *   .tombstones/&lt;id&gt;.json  the final record of a committed or rolled-back branch
 *   .trash/&lt;id&gt;.&lt;nonce&gt;   retired branch dirs awaiting deletion in the background
 *   .lock                  serialises mutations between processes
 *   .governance/           the governance service's records (left alone here)
 * </pre>
 * Every mutation is persisted before it returns. Rollback (and the clean-up after a commit) writes the
 * tombstone first and then renames the branch dir into the trash: the caller waits for two small
 * fsync'd writes and one rename, never for the deletion of the files, which a background platform
 * thread does. A crash between the two steps is finished by {@link #recover()}.
 *
 * <p>Thread-safe: mutations are serialised by an in-process lock per root (shared by all stores on
 * that root in this JVM) plus an fcntl lock on {@code .lock} between processes.
 */
public final class BranchStore implements AutoCloseable {
    static final String TRASH = ".trash";
    static final String TOMBSTONES = ".tombstones";
    static final String LOCK = ".lock";
    /** Reserved for the governance service's records beside the branches; recovery leaves it alone. */
    public static final String GOVERNANCE = ".governance";
    private static final String METADATA = "branch.json";
    private static final String CORRUPT_SUFFIX = ".corrupt";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final System.Logger LOG = System.getLogger(BranchStore.class.getName());

    private final Path root;
    private final Path trash;
    private final Path tombstones;
    private final Clock clock;
    private final TreeRemover remover;
    private final Executor deleter;
    private final ExecutorService ownDeleter;
    private final Duration recoveryLifetime;
    private final FileChannel lockChannel;
    /** One in-process lock per root, shared by every store on it: fcntl locks do not exclude threads of one process. */
    private static final Map<Path, ReentrantLock> ROOT_LOCKS = new ConcurrentHashMap<>();
    private final ReentrantLock lock;
    private final Map<Path, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private BranchStore(Path root, StoreOptions options, FileChannel lockChannel) {
        this.root = root;
        this.trash = root.resolve(TRASH);
        this.tombstones = root.resolve(TOMBSTONES);
        this.clock = options.clock();
        this.remover = options.remover() != null ? options.remover() : defaultRemover();
        this.recoveryLifetime = options.recoveryLifetime();
        this.lockChannel = lockChannel;
        this.lock = ROOT_LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
        if (options.deletionExecutor() != null) {
            this.deleter = options.deletionExecutor();
            this.ownDeleter = null;
        } else {
            // a platform thread with a large stack: deletion recurses once per directory level
            this.ownDeleter = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("branch-trash-deleter")
                    .daemon(true).stackSize(64L << 20).factory());
            this.deleter = ownDeleter;
        }
    }

    /** Opens (creating if needed) the branch root with default options. Does not run {@link #recover()}. */
    public static BranchStore open(Path root) { return open(root, StoreOptions.defaults()); }

    /**
     * Opens the branch root, creating it (mode 0700) and its {@code .trash} and {@code .tombstones}
     * dirs when missing. Throws {@link BranchStoreException} with code {@code root-unusable} when the
     * root is not a directory or not writable. A daemon calls {@link #recover()} right after.
     */
    public static BranchStore open(Path root, StoreOptions options) {
        Path abs = root.toAbsolutePath().normalize();
        try {
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS))
                throw new BranchStoreException(BranchStoreException.ROOT_UNUSABLE, "branch root " + abs + " is not a directory");
            if (!mountable(abs))
                throw new BranchStoreException(BranchStoreException.ROOT_UNUSABLE, "branch root " + abs
                        + " contains ',' or ':', which overlay mount options (upperdir=, workdir=) cannot carry");
            if (!Files.exists(abs)) {
                Files.createDirectories(abs.getParent());
                createPrivateDir(abs);
            }
            Path real = abs.toRealPath();
            if (!mountable(abs) || !mountable(real))
                throw new BranchStoreException(BranchStoreException.ROOT_UNUSABLE, "branch root " + real
                        + " contains ',' or ':', which overlay mount options (upperdir=, workdir=) cannot carry");
            for (String sub : List.of(TRASH, TOMBSTONES)) {
                Path p = real.resolve(sub);
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) createPrivateDir(p);
            }
            FileChannel lockChannel = FileChannel.open(real.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new BranchStore(real, options, lockChannel);
        } catch (BranchStoreException e) {
            throw e;
        } catch (IOException e) {
            throw new BranchStoreException(BranchStoreException.ROOT_UNUSABLE,
                    "branch root " + abs + " is not usable: " + describe(e), e);
        }
    }

    /** The branch root (absolute, symlinks resolved). */
    public Path root() { return root; }

    /** Where branch {@code id} lives (whether or not it exists). */
    public BranchPaths paths(BranchId id) { return BranchPaths.of(root.resolve(id.value())); }

    // ---------------------------------------------------------------- create / read

    /**
     * Creates a branch in state ready: {@code <root>/<id>/} (0700) with {@code upper/} (mode and
     * owner of the base's root, so the workspace looks the same inside the container), {@code work/}
     * (0700) and {@code branch.json}. Refuses an id that is or was in use.
     */
    public BranchMetadata create(NewBranch request) {
        Path base = validateBase(request.base());
        return locked("create branch", () -> {
            if (request.id() != null) return createLocked(request.id(), request, base);
            for (int attempt = 0; ; attempt++) {
                try {
                    return createLocked(BranchId.generate(), request, base);
                } catch (BranchAlreadyExists e) {
                    if (attempt >= 5) throw e;
                }
            }
        });
    }

    private BranchMetadata createLocked(BranchId id, NewBranch request, Path base) throws IOException {
        BranchPaths p = paths(id);
        if (Files.exists(tombstone(id), LinkOption.NOFOLLOW_LINKS)) throw new BranchAlreadyExists(id);
        try {
            createPrivateDir(p.dir());
        } catch (FileAlreadyExistsException e) {
            throw new BranchAlreadyExists(id);
        }
        boolean done = false;
        try {
            Files.createDirectory(p.upper());
            Files.setAttribute(p.upper(), "unix:mode", (Integer) Files.getAttribute(base, "unix:mode") & 07777);
            Files.setAttribute(p.upper(), "unix:uid", Files.getAttribute(base, "unix:uid"));
            Files.setAttribute(p.upper(), "unix:gid", Files.getAttribute(base, "unix:gid"));
            createPrivateDir(p.work());
            BranchMetadata m = BranchMetadata.newBranch(id, request.ownerUid(), request.profile(), base,
                    request.lifetime(), request.overlay(), now());
            AtomicFiles.write(p.metadata(), BranchMetadataJson.toBytes(m));
            AtomicFiles.fsyncDir(root);
            done = true;
            LOG.log(System.Logger.Level.INFO, "branch {0} created over {1} (owner {2}, profile {3}, expires {4})",
                    id, base, Integer.toString(request.ownerUid()), request.profile(), m.expiresAt());
            return m;
        } finally {
            if (!done) {
                try {
                    remover.removeTree(p.dir());
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not clean up half-created branch " + id, e);
                }
            }
        }
    }

    /** The metadata of a live or finished branch; throws {@link BranchNotFound} when there is none. */
    public BranchMetadata get(BranchId id) {
        checkOpen();
        try {
            return requireLiveOrFinished(id);
        } catch (IOException e) {
            throw failure("read branch " + id, e);
        }
    }

    /**
     * All branches, live and finished, oldest first. Unreadable metadata is skipped with a warning
     * in the log; {@link #recover()} turns those branches into failed ones.
     */
    public List<BranchMetadata> list() {
        checkOpen();
        Map<BranchId, BranchMetadata> out = new HashMap<>();
        try {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tombstones, "*.json")) {
                for (Path f : ds) {
                    try {
                        BranchMetadata m = readMetadata(f);
                        out.put(m.id(), m);
                    } catch (BranchStoreException e) {
                        LOG.log(System.Logger.Level.WARNING, e.getMessage());
                    }
                }
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                for (Path dir : ds) {
                    String name = dir.getFileName().toString();
                    if (!BranchId.isValid(name) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
                    try {
                        BranchMetadata m = readLive(BranchId.of(name));
                        if (m != null && !out.containsKey(m.id())) out.put(m.id(), m);
                    } catch (BranchStoreException e) {
                        LOG.log(System.Logger.Level.WARNING, e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw failure("list branches", e);
        }
        List<BranchMetadata> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(BranchMetadata::created).thenComparing(BranchMetadata::id));
        return list;
    }

    /**
     * The branches that still have their directory (live ones, and failed ones kept for inspection),
     * oldest first. Unlike {@link #list()} it reads no tombstones, so its cost follows the live branches,
     * not the store's whole history: for checks on every CreateBranch.
     */
    public List<BranchMetadata> listLive() {
        checkOpen();
        List<BranchMetadata> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path dir : ds) {
                String name = dir.getFileName().toString();
                if (!BranchId.isValid(name) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
                BranchId id = BranchId.of(name);
                if (Files.exists(tombstone(id), LinkOption.NOFOLLOW_LINKS)) continue; // ended; retirement not finished
                try {
                    BranchMetadata m = readLive(id);
                    if (m != null) out.add(m);
                } catch (BranchStoreException e) {
                    LOG.log(System.Logger.Level.WARNING, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw failure("list live branches", e);
        }
        out.sort(Comparator.comparing(BranchMetadata::created).thenComparing(BranchMetadata::id));
        return out;
    }

    // ---------------------------------------------------------------- state changes

    /**
     * Moves a branch to {@code target}, validated against the lifecycle table and persisted before
     * returning. Going to rolled-back is {@link #rollback}; going to committed also retires the
     * branch's dirs (the commit has moved the changes into the base by then).
     *
     * @param reason why (required for failed and degraded), or null
     */
    public BranchMetadata transition(BranchId id, BranchState target, String reason) {
        if (target == BranchState.ROLLED_BACK) return rollback(id, true);
        return locked("change state of branch " + id, () -> {
            BranchMetadata current = requireLiveOrFinished(id);
            BranchMetadata next = current.transition(target, now(), reason);
            if (target == BranchState.COMMITTED) retire(next);
            else AtomicFiles.write(paths(id).metadata(), BranchMetadataJson.toBytes(next));
            LOG.log(System.Logger.Level.INFO, "branch {0}: {1} -> {2}{3}", id, current.state(), target,
                    reason == null ? "" : " (" + reason + ")");
            return next;
        });
    }

    /** Records the container running on a live branch (null to clear it). */
    public BranchMetadata setContainerId(BranchId id, String containerId) {
        return update(id, "set container of branch " + id, m -> m.withContainerId(containerId, now()));
    }

    /**
     * Records the container attached to a live branch and, when the branch is ready, makes it active, in one
     * durable write: a container's first exec waits for the attach, and each durable write costs it milliseconds.
     */
    public BranchMetadata attachContainer(BranchId id, String containerId) {
        return locked("attach a container to branch " + id, () -> {
            BranchMetadata current = requireLiveOrFinished(id);
            if (current.state().isTerminal())
                throw new BranchException("finished", "branch " + id + " is " + current.state() + "; its record can no longer change");
            BranchMetadata next = current.withContainerId(containerId, now());
            if (next.state() == BranchState.READY) next = next.transition(BranchState.ACTIVE, now(), null);
            AtomicFiles.write(paths(id).metadata(), BranchMetadataJson.toBytes(next));
            if (next.state() != current.state())
                LOG.log(System.Logger.Level.INFO, "branch {0}: {1} -> {2}", id, current.state(), next.state());
            return next;
        });
    }

    private BranchMetadata update(BranchId id, String what, UnaryOperator<BranchMetadata> change) {
        return locked(what, () -> {
            BranchMetadata current = requireLiveOrFinished(id);
            if (current.state().isTerminal())
                throw new BranchException("finished", "branch " + id + " is " + current.state() + "; its record can no longer change");
            BranchMetadata next = change.apply(current);
            AtomicFiles.write(paths(id).metadata(), BranchMetadataJson.toBytes(next));
            return next;
        });
    }

    /**
     * Rolls a branch back: the base is untouched and the branch's changes are discarded. O(1) for the
     * caller: the tombstone is written, the branch dir is renamed into the trash, and the files are
     * deleted in the background. Idempotent: rolling back a rolled-back branch returns its record.
     * Refused (IllegalBranchTransition) for a committed branch, and refused with code "commit-in-progress"
     * for a committing one: the commit may be reading the upper dir and writing the base right now.
     * (The commit flow itself rolls back a committing branch whose changes a policy rejected, through
     * {@link #transition} to rolled-back.)
     */
    public BranchMetadata rollback(BranchId id) {
        return rollback(id, false);
    }

    private BranchMetadata rollback(BranchId id, boolean fromCommitFlow) {
        return locked("roll back branch " + id, () -> {
            BranchMetadata current = requireLiveOrFinished(id);
            if (current.state() == BranchState.COMMITTING && !fromCommitFlow)
                throw new BranchException("commit-in-progress", "branch " + id + " is committing; wait for the commit to"
                        + " finish, or after a crash run recovery, which completes or undoes it");
            BranchMetadata next = current.transition(BranchState.ROLLED_BACK, now(), null);
            if (current.state() == BranchState.ROLLED_BACK) return current;
            retire(next);
            LOG.log(System.Logger.Level.INFO, "branch {0} rolled back (was {1})", id, current.state());
            return next;
        });
    }

    /** Tombstone first, then the dir into the trash: a crash in between is finished by recovery. */
    private void retire(BranchMetadata finalRecord) throws IOException {
        AtomicFiles.write(tombstone(finalRecord.id()), BranchMetadataJson.toBytes(finalRecord));
        moveToTrash(paths(finalRecord.id()).dir(), finalRecord.id().value());
    }

    private Path moveToTrash(Path entry, String label) throws IOException {
        Path target = trash.resolve(trashName(label));
        Files.move(entry, target, StandardCopyOption.ATOMIC_MOVE);
        // one rename is one journal transaction on Linux file systems: syncing the source dir makes
        // both sides durable, and an entry that reappears in root after a crash is finished by recovery
        AtomicFiles.fsyncDir(root);
        scheduleDeletion(target);
        return target;
    }

    private static String trashName(String label) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < label.length() && sb.length() < BranchId.MAX_LENGTH; i++) {
            char c = label.charAt(i);
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        if (sb.isEmpty()) sb.append('_');
        return sb + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    // ---------------------------------------------------------------- expiry

    /**
     * Rolls back every branch past its {@code expiresAt} that is ready, active, frozen or failed.
     * Committing and review-pending branches are never touched (a commit or a person's decision is
     * under way); degraded ones are left for a person too. Everything is logged and reported.
     */
    public ExpiryReport sweepExpired() {
        Instant now = now();
        List<BranchMetadata> rolledBack = new ArrayList<>();
        List<BranchMetadata> spared = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Set<BranchState> sweepable = EnumSet.of(BranchState.READY, BranchState.ACTIVE, BranchState.FROZEN, BranchState.FAILED);
        for (BranchMetadata m : list()) {
            if (m.state().isTerminal() || !m.isExpired(now)) continue;
            if (!sweepable.contains(m.state())) {
                spared.add(m);
                LOG.log(System.Logger.Level.INFO, "branch {0} expired at {1} but is {2}; left alone", m.id(), m.expiresAt(), m.state());
                continue;
            }
            try {
                BranchMetadata done = rollback(m.id());
                rolledBack.add(done);
                LOG.log(System.Logger.Level.WARNING, "branch {0} ({1}) expired at {2} after its lifetime of {3}; rolled back",
                        m.id(), m.state(), m.expiresAt(), m.lifetime());
            } catch (BranchException e) {
                failures.add(m.id() + ": " + e.getMessage());
                LOG.log(System.Logger.Level.ERROR, "expired branch " + m.id() + " could not be rolled back: " + e.getMessage(), e);
            }
        }
        return new ExpiryReport(now, rolledBack, spared, failures);
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Start-up recovery. Loads every metadata file and repairs what a crash or a restart left:
     * active/frozen → degraded (their container is not supervised any more); committing → reported
     * for the commit recovery, untouched; corrupt metadata → failed (the bad file is kept as
     * {@code branch.json.corrupt}); a missing upper dir → failed; a missing work dir is re-created;
     * dirs without metadata (orphans) → trash, never committed; interrupted rollbacks/commit
     * clean-ups → finished; leftover trash → deleted. Everything is logged and returned.
     */
    public RecoveryReport recover() {
        return locked("recover branch root", this::recoverLocked);
    }

    private RecoveryReport recoverLocked() throws IOException {
        Instant now = now();
        List<BranchMetadata> loaded = new ArrayList<>(), degraded = new ArrayList<>(), committing = new ArrayList<>(),
                corrupt = new ArrayList<>(), missing = new ArrayList<>();
        List<String> orphans = new ArrayList<>(), trashed = new ArrayList<>(), problems = new ArrayList<>();
        List<BranchId> finished = new ArrayList<>();

        trashed.addAll(collectTrashLocked());

        Map<BranchId, BranchMetadata> finishedRecords = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tombstones)) {
            for (Path f : ds) {
                String name = f.getFileName().toString();
                if (AtomicFiles.isTemp(name)) {
                    Files.deleteIfExists(f);
                    continue;
                }
                if (!name.endsWith(".json")) continue;
                try {
                    BranchMetadata m = readMetadata(f);
                    finishedRecords.put(m.id(), m);
                } catch (BranchStoreException e) {
                    Files.move(f, f.resolveSibling(name + CORRUPT_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
                    problems.add(e.getMessage() + " (kept as " + name + CORRUPT_SUFFIX + ")");
                    LOG.log(System.Logger.Level.WARNING, "recovery: " + e.getMessage());
                }
            }
        }

        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) entries.add(p);
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.equals(TRASH) || name.equals(TOMBSTONES) || name.equals(LOCK) || name.equals(GOVERNANCE)) continue;
            if (!BranchId.isValid(name) || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                orphan(entry, name, "not a branch directory", orphans);
                continue;
            }
            BranchId id = BranchId.of(name);
            BranchPaths p = BranchPaths.of(entry);
            removeTempFiles(entry);
            if (finishedRecords.containsKey(id)) {
                moveToTrash(entry, name);
                finished.add(id);
                LOG.log(System.Logger.Level.WARNING, "recovery: branch {0} was {1} but its dir was still in place; moved to trash",
                        id, finishedRecords.get(id).state());
                continue;
            }
            if (!Files.exists(p.metadata(), LinkOption.NOFOLLOW_LINKS)) {
                orphan(entry, name, "no " + METADATA, orphans);
                continue;
            }
            BranchMetadata m;
            try {
                m = readMetadata(p.metadata());
                if (!m.id().equals(id))
                    throw new BranchStoreException(BranchStoreException.CORRUPT_METADATA,
                            "corrupt branch metadata " + p.metadata() + ": it names branch " + m.id());
            } catch (BranchStoreException e) {
                Files.move(p.metadata(), p.dir().resolve(METADATA + CORRUPT_SUFFIX), StandardCopyOption.REPLACE_EXISTING);
                m = lostMetadata(id, entry, e.getMessage() + " (kept as " + METADATA + CORRUPT_SUFFIX + ")", now);
                AtomicFiles.write(p.metadata(), BranchMetadataJson.toBytes(m));
                corrupt.add(m);
                LOG.log(System.Logger.Level.WARNING, "recovery: branch {0} is now failed: {1}", id, m.failureReason());
                continue;
            }
            if (m.state().isTerminal()) {
                retire(m);
                finished.add(id);
                continue;
            }
            loaded.add(m);
            if (m.state() == BranchState.COMMITTING) {
                committing.add(m);
                LOG.log(System.Logger.Level.WARNING, "recovery: branch {0} was committing; handed to commit recovery", id);
                continue;
            }
            if (!Files.isDirectory(p.upper(), LinkOption.NOFOLLOW_LINKS)) {
                if (m.state() != BranchState.FAILED) {
                    m = m.transition(BranchState.FAILED, now, "upper dir " + p.upper() + " is missing; the branch's changes are lost");
                    AtomicFiles.write(p.metadata(), BranchMetadataJson.toBytes(m));
                }
                missing.add(m);
                LOG.log(System.Logger.Level.WARNING, "recovery: branch {0} has no upper dir; now failed", id);
                continue;
            }
            if (!Files.isDirectory(p.work(), LinkOption.NOFOLLOW_LINKS)) {
                // the work dir is overlay scratch space: re-creating it loses nothing
                Files.deleteIfExists(p.work());
                createPrivateDir(p.work());
                problems.add("branch " + id + ": work dir was missing; re-created");
                LOG.log(System.Logger.Level.WARNING, "recovery: branch {0}: work dir was missing; re-created", id);
            }
            if (m.state() == BranchState.ACTIVE || m.state() == BranchState.FROZEN) {
                String reason = "the branch was " + m.state() + " when its supervisor stopped; container "
                        + (m.containerId() == null ? "(none recorded)" : m.containerId()) + " is no longer supervised";
                m = m.transition(BranchState.DEGRADED, now, reason);
                AtomicFiles.write(p.metadata(), BranchMetadataJson.toBytes(m));
                degraded.add(m);
                LOG.log(System.Logger.Level.WARNING, "recovery: branch {0} is now degraded: {1}", id, reason);
            }
        }
        RecoveryReport report = new RecoveryReport(loaded, degraded, committing, corrupt, missing, orphans, finished,
                trashed, problems);
        LOG.log(report.isClean() ? System.Logger.Level.INFO : System.Logger.Level.WARNING, report.summary());
        return report;
    }

    /**
     * Schedules the deletion of every trash entry not already being deleted (left by a crash or a
     * failed deletion) and returns their names. {@link #awaitDeletions} waits for them.
     */
    public List<String> collectTrash() {
        return locked("collect trash", this::collectTrashLocked);
    }

    private List<String> collectTrashLocked() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(trash)) {
            for (Path entry : ds) {
                if (pending.containsKey(entry)) continue;
                names.add(entry.getFileName().toString());
                LOG.log(System.Logger.Level.INFO, "deleting leftover trash {0}", entry.getFileName());
                scheduleDeletion(entry);
            }
        }
        return names;
    }

    private void orphan(Path entry, String name, String why, List<String> orphans) throws IOException {
        moveToTrash(entry, name);
        orphans.add(name);
        LOG.log(System.Logger.Level.WARNING, "recovery: {0} in the branch root ({1}) moved to trash", entry.getFileName(), why);
    }

    private static void removeTempFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) if (AtomicFiles.isTemp(f.getFileName().toString())) Files.deleteIfExists(f);
        }
    }

    /** A failed record for a branch whose metadata is unreadable: what the dir itself still tells. */
    private BranchMetadata lostMetadata(BranchId id, Path dir, String reason, Instant now) throws IOException {
        int uid = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Instant created = ((FileTime) Files.getAttribute(dir, "lastModifiedTime", LinkOption.NOFOLLOW_LINKS)).toInstant();
        if (created.isAfter(now)) created = now;
        return new BranchMetadata(id, uid, "unknown", null, created, BranchState.FAILED, null, recoveryLifetime,
                now.plus(recoveryLifetime), OverlayFlavour.KERNEL, now, reason);
    }

    // ---------------------------------------------------------------- background deletion

    private void scheduleDeletion(Path entry) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        pending.put(entry, done);
        Runnable job = () -> {
            try {
                remover.removeTree(entry);
                LOG.log(System.Logger.Level.DEBUG, "deleted {0}", entry);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not delete " + entry + "; the next recovery retries: " + e.getMessage(), e);
            } finally {
                pending.remove(entry);
                done.complete(null);
            }
        };
        try {
            deleter.execute(job);
        } catch (RejectedExecutionException e) {
            pending.remove(entry);
            done.complete(null);
            LOG.log(System.Logger.Level.WARNING, "deletion of " + entry + " not scheduled; the next recovery retries");
        }
    }

    /** Trash entries whose deletion is scheduled or running. */
    public Set<Path> pendingDeletions() { return Set.copyOf(pending.keySet()); }

    /** Waits until every scheduled deletion has finished; false on timeout. */
    public boolean awaitDeletions(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (CompletableFuture<Void> f : List.copyOf(pending.values())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return pending.isEmpty();
                f.get(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return pending.isEmpty() || awaitDeletions(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Waits (up to ten minutes) for background deletions, then releases the store. */
    @Override
    public void close() {
        close(Duration.ofMinutes(10));
    }

    /**
     * Waits at most {@code maxWait} for background deletions, then releases the store. Deletions cut
     * short when the process exits leave trash behind, which {@link #collectTrash()} or
     * {@link #recover()} removes later.
     */
    public void close(Duration maxWait) {
        if (closed) return;
        closed = true;
        if (!awaitDeletions(maxWait))
            LOG.log(System.Logger.Level.WARNING, "closing with trash deletions still running; the next recovery finishes them");
        if (ownDeleter != null) ownDeleter.shutdown();
        try {
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + root.resolve(LOCK) + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- internals

    private Instant now() { return clock.instant(); }

    private Path tombstone(BranchId id) { return tombstones.resolve(id.value() + ".json"); }

    /** The tombstone wins: it is written first, so its presence means the branch's end was decided. */
    private BranchMetadata requireLiveOrFinished(BranchId id) throws IOException {
        BranchMetadata m = readTombstone(id);
        if (m == null) m = readLive(id);
        if (m == null) {
            checkRoot();
            throw new BranchNotFound(id);
        }
        return m;
    }

    private BranchMetadata readLive(BranchId id) throws IOException {
        try {
            return readMetadata(paths(id).metadata());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private BranchMetadata readTombstone(BranchId id) throws IOException {
        try {
            return readMetadata(tombstone(id));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static BranchMetadata readMetadata(Path file) throws IOException {
        return BranchMetadataJson.fromBytes(Files.readAllBytes(file), file.toString());
    }

    private Path validateBase(Path base) {
        Path real;
        try {
            real = base.toAbsolutePath().toRealPath();
        } catch (NoSuchFileException e) {
            throw new BranchStoreException(BranchStoreException.INVALID_BASE, "base directory " + base + " does not exist");
        } catch (IOException e) {
            throw new BranchStoreException(BranchStoreException.INVALID_BASE, "base directory " + base + " is not usable: " + describe(e), e);
        }
        if (!Files.isDirectory(real))
            throw new BranchStoreException(BranchStoreException.INVALID_BASE, "base " + base + " is not a directory");
        if (!mountable(real))
            throw new BranchStoreException(BranchStoreException.INVALID_BASE, "base directory " + real
                    + " contains ',' or ':', which overlay mount options and podman volume arguments cannot carry");
        if (real.startsWith(root) || root.startsWith(real))
            throw new BranchStoreException(BranchStoreException.INVALID_BASE,
                    "base directory " + real + " overlaps the branch root " + root + "; an overlay cannot contain its own upper dir");
        return real;
    }

    /** Overlay mount options are split at ',' and lower dirs at ':'; neither can be escaped in podman's -v. */
    private static boolean mountable(Path p) {
        String s = p.toString();
        return s.indexOf(',') < 0 && s.indexOf(':') < 0;
    }

    private static void createPrivateDir(Path dir) throws IOException {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have narrowed it; make it exact
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("branch store " + root + " is closed");
    }

    private void checkRoot() {
        if (!Files.isDirectory(root))
            throw new BranchStoreException(BranchStoreException.ROOT_UNUSABLE, "branch root " + root + " vanished");
    }

    private BranchStoreException failure(String what, IOException e) {
        if (!Files.isDirectory(root) || !Files.isDirectory(trash) || !Files.isDirectory(tombstones))
            return new BranchStoreException(BranchStoreException.ROOT_UNUSABLE,
                    "cannot " + what + ": branch root " + root + " vanished or lost its .trash/.tombstones dirs", e);
        if (e instanceof AccessDeniedException || describe(e).contains("Read-only file system"))
            return new BranchStoreException(BranchStoreException.ROOT_UNUSABLE,
                    "cannot " + what + ": branch root " + root + " is not writable (" + describe(e) + ")", e);
        return new BranchStoreException(BranchStoreException.IO, "cannot " + what + ": " + describe(e), e);
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException fse) {
            String reason = fse.getReason();
            return fse.getFile() + (reason == null ? " (" + e.getClass().getSimpleName() + ")" : ": " + reason);
        }
        return String.valueOf(e.getMessage());
    }

    private static TreeRemover defaultRemover() {
        try {
            return new RawTreeRemover(FileSyscalls.linux());
        } catch (UnsupportedOperationException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "raw file syscalls unavailable (" + e.getMessage()
                    + "); deleting trash with java.nio, which cannot remove names that are not valid "
                    + System.getProperty("sun.jnu.encoding"));
            return new NioTreeRemover();
        }
    }

    @FunctionalInterface
    private interface IoBody<T> {
        T run() throws IOException;
    }

    private <T> T locked(String what, IoBody<T> body) {
        checkOpen();
        lock.lock();
        FileLock fileLock = null;
        try {
            if (lock.getHoldCount() == 1) fileLock = lockChannel.lock();
            return body.run();
        } catch (IOException e) {
            throw failure(what, e);
        } finally {
            if (fileLock != null) {
                try {
                    fileLock.release();
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "releasing " + root.resolve(LOCK) + ": " + e.getMessage());
                }
            }
            lock.unlock();
        }
    }
}
