package org.lobstertrap.puzzlepod.daemon.commit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/**
 * Applies a {@link Changeset} to a base directory so that, whatever moment the process or the machine
 * dies at, {@link #recover} leaves the base exactly as it was before the commit or exactly as the
 * branch saw it, never in between.
 *
 * <h2>Layout</h2>
 * The commit works in {@code BASE/.puzzlepod-commit/} ({@link #RESERVED_NAME}), on the base's own
 * file system so that every rename is atomic: {@code stage/} (new objects, one slot each),
 * {@code trash/} (objects moved out of the way), {@code journal} (the PREPARED record) and
 * {@code complete} (the COMPLETE record). The directory exists only while a commit or recovery runs;
 * tree comparisons and diffs ignore the name, and a changeset that names it is refused.
 *
 * <h2>Protocol</h2>
 * <ol>
 * <li>Plan and validate against the base, read-only ({@link CommitPlanner}); refuse on any conflict
 *     or escaping path.</li>
 * <li>Stage every new object: file content by {@code copy_file_range} from the upper directory, plus
 *     symlinks, directories, fifos and devices; owner, mode (set-id bits included) and mtime from the
 *     changeset and the upper object. Extended attributes are not copied: the upper directory's
 *     {@code trusted.overlay.*} attributes must never reach the base, and the changeset carries no
 *     other attributes a policy has seen.</li>
 * <li>{@code syncfs}: the staged objects are durable.</li>
 * <li>Write {@code journal.tmp}, {@code fsync}, rename to {@code journal}, {@code fsync} the directory:
 *     PREPARED.</li>
 * <li>Run the journalled {@link CommitOp}s: move removed objects to the trash, rename staged objects
 *     into place, set metadata of kept objects.</li>
 * <li>{@code syncfs}; create {@code complete} and {@code fsync} the directory: COMPLETE.</li>
 * <li>Remove {@code journal} ({@code fsync}), then the rest of the work directory.</li>
 * </ol>
 *
 * <h2>Recovery</h2>
 * No work directory: nothing to do. A {@code journal} without {@code complete}: replay every
 * operation (each one can tell whether it already happened), then finish as above: post-image.
 * Otherwise (no journal: staging only; or complete): remove the work directory. The journal is always
 * removed before anything else in the work directory, so a half-removed staging area can never be
 * mistaken for a prepared commit.
 */
public final class ChangesetCommitter {
    /** Name of the work directory at the top of the base. */
    public static final String RESERVED = ".puzzlepod-commit";
    static final byte[] RESERVED_NAME = RESERVED.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STAGE = bytes("stage"), TRASH = bytes("trash"), JOURNAL = bytes("journal"),
            JOURNAL_TMP = bytes("journal.tmp"), COMPLETE = bytes("complete");
    private static final long COPY_CHUNK = 8L << 20;
    private static final int DIR_READ = FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_NOFOLLOW
            | FileSyscalls.O_CLOEXEC;

    /** What {@link #commit} did. */
    public record CommitResult(int operations, int stagedObjects, long bytesCopied) {}

    /** What {@link #recover} found and did. */
    public enum RecoveryOutcome {
        /** No commit was in progress. */
        NOTHING_TO_DO,
        /** A commit died before PREPARED; its staging was discarded and the base is the pre-image. */
        ROLLED_BACK,
        /** A commit died after PREPARED; it was completed and the base is the post-image. */
        ROLLED_FORWARD,
        /** A commit had completed; only its work directory was left to remove. */
        CLEANED_UP
    }

    private final FileSyscalls sys;

    private final CommitOwnership ownership = CommitOwnership.ofThisProcess();

    public ChangesetCommitter(FileSyscalls sys) { this.sys = Objects.requireNonNull(sys); }

    /** A committer on the real kernel. */
    public static ChangesetCommitter linux() { return new ChangesetCommitter(FileSyscalls.linux()); }

    /**
     * Commits {@code changeset}, reading new content from {@code upperDir}, into {@code baseDir}.
     *
     * @throws CommitException with {@link CommitException#baseModified()} false when the commit was
     *         refused or failed before the journal was written (the base is untouched and the work
     *         directory removed), true when it failed afterwards ({@link #recover} completes it)
     */
    public CommitResult commit(Changeset changeset, Path upperDir, Path baseDir) throws CommitException {
        int baseFd = openBase(baseDir);
        try {
            if (io(() -> lstat(baseFd, RESERVED_NAME), "inspect the base", false) != null) {
                throw new CommitException(CommitError.RECOVERY_PENDING, "a journal of an interrupted commit is present in "
                        + baseDir + "; run recovery before committing");
            }
            CommitPlan plan = new CommitPlanner(sys).plan(changeset, baseFd);
            if (plan.isEmpty()) return new CommitResult(0, 0, 0);
            ownership.check(plan);
            int upperFd = openUpper(upperDir);
            try {
                return run(plan, baseFd, upperFd);
            } finally {
                closeQuietly(upperFd);
            }
        } finally {
            closeQuietly(baseFd);
        }
    }

    /**
     * Brings {@code baseDir} to a consistent state after an interrupted commit (run it before the
     * first commit after a restart). Running it again is a no-op.
     */
    public RecoveryOutcome recover(Path baseDir) throws CommitException {
        int baseFd = openBase(baseDir);
        try {
            FileStat st = io(() -> lstat(baseFd, RESERVED_NAME), "inspect the base", false);
            if (st == null) return RecoveryOutcome.NOTHING_TO_DO;
            if (!st.isDirectory()) {
                throw new CommitException(CommitError.JOURNAL_CORRUPT, baseDir + "/" + RESERVED + " is not a directory; refusing to touch it");
            }
            int workFd = io(() -> sys.openat(baseFd, RESERVED_NAME, DIR_READ, 0), "open the commit journal directory", false);
            try {
                boolean prepared = io(() -> lstat(workFd, JOURNAL), "inspect the commit journal", true) != null;
                boolean complete = io(() -> lstat(workFd, COMPLETE), "inspect the commit journal", true) != null;
                RecoveryOutcome outcome;
                if (prepared && !complete) {
                    List<CommitOp> ops = CommitJournal.decode(readAll(workFd, JOURNAL));
                    CrashPoints.reached("recover-read-journal");
                    applyAll(ops, baseFd, workFd);
                    markComplete(baseFd, workFd);
                    outcome = RecoveryOutcome.ROLLED_FORWARD;
                } else {
                    outcome = complete ? RecoveryOutcome.CLEANED_UP : RecoveryOutcome.ROLLED_BACK;
                }
                removeWork(baseFd, workFd, true);
                return outcome;
            } finally {
                closeQuietly(workFd);
            }
        } finally {
            closeQuietly(baseFd);
        }
    }

    private CommitResult run(CommitPlan plan, int baseFd, int upperFd) throws CommitException {
        int workFd;
        try {
            sys.mkdirat(baseFd, RESERVED_NAME, 0700);
        } catch (LinuxException e) {
            if (e.is(Errno.EEXIST)) throw new CommitException(CommitError.RECOVERY_PENDING, "another commit is running on this base", e, false);
            throw stagingFailure("create the commit work directory", e);
        }
        try {
            workFd = sys.openat(baseFd, RESERVED_NAME, DIR_READ, 0);
        } catch (LinuxException e) {
            throw stagingFailure("open the commit work directory", e);
        }
        try {
            long copied;
            try {
                sys.mkdirat(workFd, STAGE, 0700);
                sys.mkdirat(workFd, TRASH, 0700);
                CrashPoints.reached("work-dirs");
                copied = stage(plan, workFd, upperFd);
                sys.syncfs(baseFd);
                CrashPoints.reached("staged-durable");
                writeJournal(workFd, CommitJournal.encode(plan.ops()));
            } catch (CommitException | LinuxException | RuntimeException e) {
                CommitException failure = e instanceof CommitException ce ? ce
                        : e instanceof LinuxException le ? stagingFailure("stage the commit", le)
                        : new CommitException(CommitError.IO, "staging failed: " + e, e, false);
                try {
                    removeWork(baseFd, workFd, false);
                } catch (CommitException cleanup) {
                    failure.addSuppressed(cleanup);
                }
                throw failure;
            }
            applyAll(plan.ops(), baseFd, workFd);
            markComplete(baseFd, workFd);
            removeWork(baseFd, workFd, true);
            return new CommitResult(plan.ops().size(), plan.staged().size(), copied);
        } finally {
            closeQuietly(workFd);
        }
    }

    // ---- staging ----

    private long stage(CommitPlan plan, int workFd, int upperFd) throws LinuxException, CommitException {
        int stageFd = sys.openat(workFd, STAGE, DIR_READ, 0);
        long copied = 0;
        try (DirectoryHandles upper = new DirectoryHandles(sys, upperFd); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = null;
            List<CommitPlan.StagedObject> dirs = new ArrayList<>(), links = new ArrayList<>();
            for (CommitPlan.StagedObject so : plan.staged()) {
                Change c = so.change();
                if (c.kind() == ChangeKind.Hardlink) { links.add(so); continue; }
                FileStat up = upperObject(upper, c, so.type());
                byte[] at = so.stagePath();
                switch (so.type()) {
                    case FileStat.S_IFDIR -> { sys.mkdirat(stageFd, at, 0700); dirs.add(so); continue; }
                    case FileStat.S_IFREG -> {
                        if (buffer == null) buffer = arena.allocate(1 << 20);
                        copied += copyFile(upper, c, up, stageFd, at, buffer);
                        continue;
                    }
                    case FileStat.S_IFLNK -> sys.symlinkat(c.symlinkTarget(), stageFd, at);
                    case FileStat.S_IFIFO, FileStat.S_IFCHR, FileStat.S_IFBLK -> sys.mknodat(stageFd, at, so.type() | 0600, c.rdev());
                    default -> throw new CommitException(CommitError.INVALID_CHANGESET, c.path().display() + ": cannot commit a socket");
                }
                sys.fchownat(stageFd, at, c.uid(), c.gid(), FileSyscalls.AT_SYMLINK_NOFOLLOW);
                if (so.type() != FileStat.S_IFLNK) sys.fchmodat(stageFd, at, c.permissions());
                sys.utimensat(stageFd, at, 0, FileSyscalls.UTIME_OMIT, up.mtimeSec(), up.mtimeNsec(), FileSyscalls.AT_SYMLINK_NOFOLLOW);
                CrashPoints.reached("stage-object");
            }
            Map<RelPath, byte[]> stagedAt = new HashMap<>();
            for (CommitPlan.StagedObject so : plan.staged()) stagedAt.put(so.change().path(), so.stagePath());
            for (CommitPlan.StagedObject so : links) {
                byte[] target = stagedAt.get(so.change().hardlinkOf());
                sys.linkat(stageFd, target, stageFd, so.stagePath(), 0);
                CrashPoints.reached("stage-hardlink");
            }
            // children first, so that adding entries does not disturb a directory's mtime afterwards
            for (int i = dirs.size() - 1; i >= 0; i--) {
                CommitPlan.StagedObject so = dirs.get(i);
                Change c = so.change();
                FileStat up = upperObject(upper, c, FileStat.S_IFDIR);
                sys.fchownat(stageFd, so.stagePath(), c.uid(), c.gid(), FileSyscalls.AT_SYMLINK_NOFOLLOW);
                sys.fchmodat(stageFd, so.stagePath(), c.permissions());
                sys.utimensat(stageFd, so.stagePath(), 0, FileSyscalls.UTIME_OMIT, up.mtimeSec(), up.mtimeNsec(),
                        FileSyscalls.AT_SYMLINK_NOFOLLOW);
                CrashPoints.reached("stage-directory");
            }
        } finally {
            closeQuietly(stageFd);
        }
        return copied;
    }

    /** The upper directory's object for a change, which must exist with the change's type. */
    private FileStat upperObject(DirectoryHandles upper, Change c, int type) throws CommitException {
        FileStat st;
        try {
            st = FileTrees.lstatOrNull(sys, upper.parentOf(c.path()), c.path().name());
        } catch (LinuxException e) {
            throw new CommitException(CommitError.UPPER_MISMATCH, "cannot reach " + c.path().display()
                    + " in the upper directory: " + e.getMessage(), e, false);
        }
        if (st == null) throw new CommitException(CommitError.UPPER_MISMATCH, c.path().display() + " is missing from the upper directory");
        if (st.type() != type) {
            throw new CommitException(CommitError.UPPER_MISMATCH, c.path().display() + " in the upper directory has type "
                    + Integer.toOctalString(st.type()) + ", the changeset says " + Integer.toOctalString(type));
        }
        return st;
    }

    private long copyFile(DirectoryHandles upper, Change c, FileStat up, int stageFd, byte[] at, MemorySegment buffer)
            throws LinuxException, CommitException {
        if (up.size() != c.size()) {
            throw new CommitException(CommitError.UPPER_MISMATCH, c.path().display() + " in the upper directory has "
                    + up.size() + " bytes, the changeset says " + c.size());
        }
        int in = sys.openat2(upper.parentOf(c.path()), c.path().name(), FileSyscalls.O_RDONLY | FileSyscalls.O_NOFOLLOW
                | FileSyscalls.O_CLOEXEC, 0, DirectoryHandles.RESOLVE);
        try {
            int out = sys.openat(stageFd, at, FileSyscalls.O_WRONLY | FileSyscalls.O_CREAT | FileSyscalls.O_EXCL
                    | FileSyscalls.O_NOFOLLOW | FileSyscalls.O_CLOEXEC, 0600);
            try {
                long copied = copyContent(in, out, c.size(), buffer);
                if (copied != c.size()) {
                    throw new CommitException(CommitError.UPPER_MISMATCH, c.path().display()
                            + " changed in the upper directory while it was being committed");
                }
                sys.fchown(out, c.uid(), c.gid());
                sys.fchmod(out, c.permissions()); // after fchown, which clears set-id bits
                sys.utimensat(stageFd, at, 0, FileSyscalls.UTIME_OMIT, up.mtimeSec(), up.mtimeNsec(), FileSyscalls.AT_SYMLINK_NOFOLLOW);
                CrashPoints.reached("stage-file");
                return copied;
            } finally {
                closeQuietly(out);
            }
        } finally {
            closeQuietly(in);
        }
    }

    /** copy_file_range, or read/write where the kernel cannot copy between these file systems. */
    private long copyContent(int in, int out, long size, MemorySegment buffer) throws LinuxException {
        long copied = 0;
        boolean kernelCopy = true;
        while (copied < size || size == 0) {
            long n;
            if (kernelCopy) {
                try {
                    n = sys.copyFileRange(in, out, Math.min(COPY_CHUNK, Math.max(size - copied, 1)));
                } catch (LinuxException e) {
                    if (copied == 0 && (e.is(Errno.EXDEV) || e.is(Errno.EINVAL) || e.is(Errno.EOPNOTSUPP) || e.is(Errno.ENOSYS))) {
                        kernelCopy = false;
                        continue;
                    }
                    throw e;
                }
            } else {
                n = sys.read(in, buffer, buffer.byteSize());
                if (n > 0) writeFully(out, buffer, n);
            }
            if (n == 0) break;
            copied += n;
            if (copied < size) CrashPoints.reached("copy-chunk");
        }
        return copied;
    }

    private void writeFully(int fd, MemorySegment data, long length) throws LinuxException {
        long done = 0;
        while (done < length) done += sys.write(fd, data.asSlice(done), length - done);
    }

    // ---- journal ----

    private void writeJournal(int workFd, byte[] record) throws LinuxException {
        int fd = sys.openat(workFd, JOURNAL_TMP, FileSyscalls.O_WRONLY | FileSyscalls.O_CREAT | FileSyscalls.O_TRUNC
                | FileSyscalls.O_NOFOLLOW | FileSyscalls.O_CLOEXEC, 0600);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(record.length, 1));
            MemorySegment.copy(record, 0, seg, ValueLayout.JAVA_BYTE, 0, record.length);
            writeFully(fd, seg, record.length);
            sys.fsync(fd);
        } finally {
            closeQuietly(fd);
        }
        CrashPoints.reached("journal-written");
        sys.renameat2(workFd, JOURNAL_TMP, workFd, JOURNAL, 0);
        CrashPoints.reached("journal-renamed");
        sys.fsync(workFd);
        CrashPoints.reached("prepared");
    }

    private byte[] readAll(int dirFd, byte[] name) throws CommitException {
        return io(() -> {
            int fd = sys.openat(dirFd, name, FileSyscalls.O_RDONLY | FileSyscalls.O_NOFOLLOW | FileSyscalls.O_CLOEXEC, 0);
            try (Arena arena = Arena.ofConfined()) {
                long size = sys.fstat(fd).size();
                MemorySegment seg = arena.allocate(Math.max(size, 1));
                long done = 0;
                while (done < size) {
                    long n = sys.read(fd, seg.asSlice(done), size - done);
                    if (n == 0) break;
                    done += n;
                }
                return seg.asSlice(0, done).toArray(ValueLayout.JAVA_BYTE);
            } finally {
                closeQuietly(fd);
            }
        }, "read the commit journal", true);
    }

    // ---- apply (the same code runs a commit and replays it) ----

    private void applyAll(List<CommitOp> ops, int baseFd, int workFd) throws CommitException {
        io(() -> {
            int stageFd = sys.openat(workFd, STAGE, DIR_READ, 0);
            int trashFd = sys.openat(workFd, TRASH, DIR_READ, 0);
            try (DirectoryHandles base = new DirectoryHandles(sys, baseFd)) {
                for (CommitOp op : ops) {
                    apply(op, base, stageFd, trashFd);
                }
                sys.syncfs(baseFd);
                CrashPoints.reached("applied-durable");
            } finally {
                closeQuietly(stageFd);
                closeQuietly(trashFd);
            }
            return null;
        }, "apply the prepared commit (run recovery to complete it)", true);
    }

    private void apply(CommitOp op, DirectoryHandles base, int stageFd, int trashFd) throws LinuxException {
        switch (op) {
            case CommitOp.MoveOut m -> {
                byte[] slot = slotName(m.slot());
                if (lstat(trashFd, slot) != null) return;
                sys.renameat2(base.parentOf(m.path()), m.path().name(), trashFd, slot, FileSyscalls.RENAME_NOREPLACE);
                CrashPoints.reached("move-out");
            }
            case CommitOp.PlaceIn p -> {
                byte[] slot = slotName(p.slot());
                if (lstat(stageFd, slot) == null) return;
                sys.renameat2(stageFd, slot, base.parentOf(p.path()), p.path().name(), 0);
                CrashPoints.reached("place-in");
            }
            case CommitOp.SetMetadata s -> {
                int parent = base.parentOf(s.path());
                sys.fchownat(parent, s.path().name(), s.uid(), s.gid(), FileSyscalls.AT_SYMLINK_NOFOLLOW);
                if ((s.mode() & FileStat.S_IFMT) != FileStat.S_IFLNK) sys.fchmodat(parent, s.path().name(), s.mode() & 07777);
                CrashPoints.reached("set-metadata");
            }
        }
    }

    private void markComplete(int baseFd, int workFd) throws CommitException {
        io(() -> {
            sys.close(sys.openat(workFd, COMPLETE, FileSyscalls.O_WRONLY | FileSyscalls.O_CREAT | FileSyscalls.O_NOFOLLOW
                    | FileSyscalls.O_CLOEXEC, 0600));
            sys.fsync(workFd);
            CrashPoints.reached("complete");
            return null;
        }, "record the commit as complete", true);
    }

    /** Removes the work directory; the journal goes first and durably, see the class comment. */
    private void removeWork(int baseFd, int workFd, boolean baseModified) throws CommitException {
        io(() -> {
            if (lstat(workFd, JOURNAL) != null) {
                sys.unlinkat(workFd, JOURNAL, 0);
                sys.fsync(workFd);
                CrashPoints.reached("journal-removed");
            }
            for (byte[] area : new byte[][] {STAGE, TRASH}) {
                if (lstat(workFd, area) == null) continue;
                int fd = sys.openat(workFd, area, DIR_READ, 0);
                try {
                    for (var entry : sys.readdir(fd)) {
                        FileTrees.removeTree(sys, fd, entry.name());
                        CrashPoints.reached("cleanup-slot");
                    }
                } finally {
                    closeQuietly(fd);
                }
            }
            FileTrees.removeChildren(sys, workFd);
            sys.unlinkat(baseFd, RESERVED_NAME, FileSyscalls.AT_REMOVEDIR);
            CrashPoints.reached("work-removed");
            return null;
        }, "remove the commit work directory", baseModified);
    }

    // ---- small helpers ----

    @FunctionalInterface
    private interface SysCall<T> {
        T run() throws LinuxException, CommitException;
    }

    private <T> T io(SysCall<T> call, String what, boolean baseModified) throws CommitException {
        try {
            return call.run();
        } catch (LinuxException e) {
            CommitError code = e.is(Errno.ENOSPC) || e.is(Errno.EDQUOT) ? CommitError.NO_SPACE : CommitError.IO;
            throw new CommitException(code, "cannot " + what + ": " + e.getMessage(), e, baseModified);
        }
    }

    private static CommitException stagingFailure(String what, LinuxException e) {
        CommitError code = e.is(Errno.ENOSPC) || e.is(Errno.EDQUOT) ? CommitError.NO_SPACE : CommitError.IO;
        return new CommitException(code, "cannot " + what + ": " + e.getMessage() + "; the base is unchanged", e, false);
    }

    private int openBase(Path baseDir) throws CommitException {
        try {
            return sys.open(pathBytes(baseDir), DIR_READ, 0);
        } catch (LinuxException e) {
            throw new CommitException(CommitError.BASE_MISSING, "base directory " + baseDir + " cannot be opened: " + e.getMessage(), e, false);
        }
    }

    private int openUpper(Path upperDir) throws CommitException {
        try {
            return sys.open(pathBytes(upperDir), FileSyscalls.O_PATH | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC, 0);
        } catch (LinuxException e) {
            throw new CommitException(CommitError.UPPER_MISMATCH, "upper directory " + upperDir + " cannot be opened: " + e.getMessage(), e, false);
        }
    }

    private FileStat lstat(int dirFd, byte[] name) throws LinuxException {
        return FileTrees.lstatOrNull(sys, dirFd, name);
    }

    private static byte[] slotName(int slot) { return Integer.toString(slot).getBytes(StandardCharsets.US_ASCII); }

    private static byte[] pathBytes(Path p) { return p.toString().getBytes(StandardCharsets.UTF_8); }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    private void closeQuietly(int fd) {
        try { sys.close(fd); } catch (LinuxException ignored) { /* nothing to recover from a failed close of a read handle */ }
    }
}
