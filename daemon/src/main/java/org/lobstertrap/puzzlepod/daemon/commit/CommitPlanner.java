package org.lobstertrap.puzzlepod.daemon.commit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.DirEntry;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/**
 * Turns a changeset into a {@link CommitPlan} and checks it against the base without modifying
 * anything: every path the plan touches must resolve beneath the base without symlinks, and the
 * base must still hold exactly what the changeset expects (old modes, absent paths, the complete
 * content of directories it removes).
 *
 * <p>Shape of the plan: a path the base lacks is staged and renamed in; a new directory is staged
 * with everything beneath it and renamed in as one subtree. A non-directory replacing a
 * non-directory is renamed over it. Anything that cannot be renamed over (a directory, or an object
 * a directory replaces) and every top-most deletion is first moved into the trash. A directory that
 * stays a directory keeps its inode and only gets owner and mode set.
 */
final class CommitPlanner {
    private final FileSyscalls sys;

    CommitPlanner(FileSyscalls sys) { this.sys = sys; }

    CommitPlan plan(Changeset changeset, int baseFd) throws CommitException {
        Map<RelPath, Change> byPath = new HashMap<>();
        Map<RelPath, Integer> newRoots = new HashMap<>();   // new directory -> its stage slot
        Set<RelPath> removedDirs = new HashSet<>();          // base directories moved to the trash
        Map<RelPath, Integer> expectedOld = new HashMap<>(); // base paths removed, with their expected mode
        List<RelPath> covered = new ArrayList<>();           // removed along with a removed directory
        List<RelPath> baseChecks = new ArrayList<>();        // paths to check against the base directly
        Map<RelPath, byte[]> stagedAt = new HashMap<>();
        List<CommitPlan.StagedObject> staged = new ArrayList<>();
        List<CommitOp> outs = new ArrayList<>(), ins = new ArrayList<>(), metas = new ArrayList<>();
        int slot = 0;
        long bytes = 0;

        for (Change c : changeset.changes()) {
            RelPath p = c.path();
            if (Arrays.equals(p.components().getFirst(), ChangesetCommitter.RESERVED_NAME)) {
                throw new CommitException(CommitError.PATH_ESCAPES,
                        p.display() + " uses the name reserved for the commit journal");
            }
            if (byPath.put(p, c) != null) throw invalid("path listed twice: " + p.display());
            RelPath newRoot = nearestAncestor(p, newRoots.keySet());
            RelPath removed = nearestAncestor(p, removedDirs);
            if (c.kind() == ChangeKind.Deleted) {
                int old = c.oldMode() != null ? c.oldMode() : c.mode();
                if (newRoot != null) throw invalid("deletes " + p.display() + " inside the new directory " + newRoot.display());
                expectedOld.put(p, old);
                if (removed != null) {
                    covered.add(p);
                } else {
                    outs.add(new CommitOp.MoveOut(p, slot++));
                    baseChecks.add(p);
                    if (isDir(old, c.directory())) removedDirs.add(p);
                }
                continue;
            }
            int type = typeOf(c);
            if (newRoot != null) {
                if (c.oldMode() != null || c.kind() == ChangeKind.MetadataChanged) {
                    throw invalid(p.display() + " claims a base object inside the new directory " + newRoot.display());
                }
                byte[] where = stagePath(newRoots.get(newRoot), newRoot, p);
                staged.add(new CommitPlan.StagedObject(c, type, where));
                stagedAt.put(p, where);
                bytes += contentBytes(c);
                continue;
            }
            if (removed != null) throw invalid(p.display() + " lies inside " + removed.display() + ", which the changeset removes");
            baseChecks.add(p);
            Integer old = c.oldMode();
            if (old != null) expectedOld.put(p, old);
            if (c.kind() == ChangeKind.MetadataChanged) {
                if (old == null || (old & FileStat.S_IFMT) != type) {
                    throw invalid("metadata change of " + p.display() + " without a matching old mode");
                }
                metas.add(new CommitOp.SetMetadata(p, c.mode() | type, c.uid(), c.gid()));
                continue;
            }
            boolean oldDir = old != null && (old & FileStat.S_IFMT) == FileStat.S_IFDIR;
            boolean newDir = type == FileStat.S_IFDIR;
            if (oldDir && newDir) {
                metas.add(new CommitOp.SetMetadata(p, c.mode() | type, c.uid(), c.gid()));
                continue;
            }
            if (old != null && (oldDir || newDir)) {
                outs.add(new CommitOp.MoveOut(p, slot++));
                if (oldDir) removedDirs.add(p);
            }
            int s = slot++;
            byte[] where = Integer.toString(s).getBytes(StandardCharsets.US_ASCII);
            staged.add(new CommitPlan.StagedObject(c, type, where));
            stagedAt.put(p, where);
            ins.add(new CommitOp.PlaceIn(s, p));
            bytes += contentBytes(c);
            if (newDir) newRoots.put(p, s);
        }

        for (CommitPlan.StagedObject so : staged) {
            Change c = so.change();
            if (c.kind() != ChangeKind.Hardlink) continue;
            Change target = byPath.get(c.hardlinkOf());
            if (target == null || !(target.kind() == ChangeKind.Added || target.kind() == ChangeKind.Modified)
                    || typeOf(target) != FileStat.S_IFREG) {
                throw invalid("hardlink " + c.path().display() + " names " + c.hardlinkOf().display()
                        + ", which the changeset does not write as a regular file");
            }
        }

        verifyBase(baseFd, baseChecks, byPath, expectedOld, removedDirs, covered);

        List<CommitOp> ops = new ArrayList<>(outs.size() + ins.size() + metas.size());
        ops.addAll(outs);
        ops.addAll(ins);
        ops.addAll(metas);
        return new CommitPlan(List.copyOf(staged), List.copyOf(ops), bytes);
    }

    private void verifyBase(int baseFd, List<RelPath> checks, Map<RelPath, Change> byPath, Map<RelPath, Integer> expectedOld,
                            Set<RelPath> removedDirs, List<RelPath> covered) throws CommitException {
        Set<RelPath> seen = new HashSet<>();
        long baseDev;
        try {
            baseDev = sys.fstat(baseFd).dev();
        } catch (LinuxException e) {
            throw new CommitException(CommitError.IO, "cannot inspect the base: " + e.getMessage(), e, false);
        }
        try (DirectoryHandles base = new DirectoryHandles(sys, baseFd)) {
            for (RelPath p : checks) {
                int parentFd;
                try {
                    parentFd = base.parentOf(p);
                } catch (LinuxException e) {
                    throw parentProblem(p, e);
                }
                FileStat st;
                try {
                    st = FileTrees.lstatOrNull(sys, parentFd, p.name());
                } catch (LinuxException e) {
                    throw new CommitException(CommitError.IO, "cannot inspect " + p.display() + " in the base: " + e.getMessage(), e, false);
                }
                if (st != null && st.dev() != baseDev) throw mountPoint(p);
                Integer expected = expectedOld.get(p);
                if (expected == null) {
                    if (st != null) throw conflict(p.display() + " already exists in the base");
                    continue;
                }
                Change c = byPath.get(p);
                if (st == null) throw conflict(p.display() + " vanished from the base");
                if (!modeMatches(st.mode(), expected, c.directory() && c.kind() == ChangeKind.Deleted)) {
                    throw conflict(p.display() + " changed in the base (mode " + Integer.toOctalString(st.mode())
                            + ", the branch saw " + Integer.toOctalString(expected) + ")");
                }
                if (removedDirs.contains(p)) {
                    try {
                        int dirFd = sys.openat2(parentFd, p.name(), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY
                                | FileSyscalls.O_NOFOLLOW | FileSyscalls.O_CLOEXEC, 0, DirectoryHandles.RESOLVE);
                        try {
                            walkRemoved(dirFd, p, byPath, expectedOld, seen, baseDev);
                        } finally {
                            sys.close(dirFd);
                        }
                    } catch (LinuxException e) {
                        throw new CommitException(CommitError.IO, "cannot read " + p.display() + " in the base: " + e.getMessage(), e, false);
                    }
                }
            }
        }
        for (RelPath p : covered) {
            if (!seen.contains(p)) throw conflict(p.display() + " vanished from the base");
        }
    }

    /** Every object beneath a removed directory must be one the changeset deletes, with the mode it expects. */
    private void walkRemoved(int dirFd, RelPath dir, Map<RelPath, Change> byPath, Map<RelPath, Integer> expectedOld,
                             Set<RelPath> seen, long baseDev) throws LinuxException, CommitException {
        for (DirEntry e : sys.readdir(dirFd)) {
            RelPath child = dir.resolve(e.name());
            FileStat st = sys.fstatat(dirFd, e.name(), FileSyscalls.AT_SYMLINK_NOFOLLOW);
            if (st.dev() != baseDev) throw mountPoint(child);
            Integer expected = expectedOld.get(child);
            Change c = byPath.get(child);
            if (expected == null || c == null || c.kind() != ChangeKind.Deleted) {
                throw conflict(child.display() + " appeared in the base after the branch was made; removing "
                        + dir.display() + " would lose it");
            }
            if (!modeMatches(st.mode(), expected, c.directory())) {
                throw conflict(child.display() + " changed in the base (mode " + Integer.toOctalString(st.mode())
                        + ", the branch saw " + Integer.toOctalString(expected) + ")");
            }
            seen.add(child);
            if (st.isDirectory()) {
                int fd = sys.openat(dirFd, e.name(), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_NOFOLLOW
                        | FileSyscalls.O_CLOEXEC, 0);
                try {
                    walkRemoved(fd, child, byPath, expectedOld, seen, baseDev);
                } finally {
                    sys.close(fd);
                }
            }
        }
    }

    private static CommitException mountPoint(RelPath p) {
        return new CommitException(CommitError.PATH_ESCAPES, p.display()
                + " is a mount point inside the base; a commit does not cross into other file systems");
    }

    private static CommitException parentProblem(RelPath p, LinuxException e) {
        if (e.is(Errno.ELOOP) || e.is(Errno.EXDEV)) {
            return new CommitException(CommitError.PATH_ESCAPES, "a parent of " + p.display()
                    + " is a symlink or a mount point, or leads outside the base; refusing to write through it", e, false);
        }
        if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)) {
            return new CommitException(CommitError.CONFLICT, "the parent directory of " + p.display()
                    + " does not exist as a directory in the base", e, false);
        }
        return new CommitException(CommitError.IO, "cannot open the parent of " + p.display() + ": " + e.getMessage(), e, false);
    }

    /** Full st_mode comparison; a mode without type bits compares permissions and directory-ness only. */
    static boolean modeMatches(int actual, int expected, boolean expectDirectory) {
        if ((expected & FileStat.S_IFMT) != 0) return actual == expected;
        boolean isDir = (actual & FileStat.S_IFMT) == FileStat.S_IFDIR;
        return (actual & 07777) == (expected & 07777) && isDir == expectDirectory;
    }

    private static boolean isDir(int mode, boolean directoryFlag) {
        int t = mode & FileStat.S_IFMT;
        return t == 0 ? directoryFlag : t == FileStat.S_IFDIR;
    }

    /** The file type of the new object, checked against the kind. */
    static int typeOf(Change c) throws CommitException {
        int t = c.mode() & FileStat.S_IFMT;
        int implied = switch (c.kind()) {
            case Added, MetadataChanged -> c.directory() ? FileStat.S_IFDIR : (t != 0 ? t : FileStat.S_IFREG);
            case Modified, Hardlink -> FileStat.S_IFREG;
            case Symlink -> FileStat.S_IFLNK;
            case BlockDevice -> FileStat.S_IFBLK;
            case CharDevice -> FileStat.S_IFCHR;
            case Fifo -> FileStat.S_IFIFO;
            case Deleted -> 0;
        };
        if (t == 0) return implied;
        boolean ok = t == implied || (c.kind() == ChangeKind.MetadataChanged && !c.directory());
        if (c.kind() == ChangeKind.Added && !(t == FileStat.S_IFREG || t == FileStat.S_IFDIR)) ok = false;
        if (!ok) throw invalid(c.path().display() + ": mode " + Integer.toOctalString(c.mode()) + " does not fit kind " + c.kind());
        return t;
    }

    private static long contentBytes(Change c) {
        return c.kind() == ChangeKind.Added || c.kind() == ChangeKind.Modified ? c.size() : 0;
    }

    private static byte[] stagePath(int rootSlot, RelPath root, RelPath p) {
        byte[] prefix = Integer.toString(rootSlot).getBytes(StandardCharsets.US_ASCII);
        byte[] all = p.bytes();
        int rest = all.length - root.length(); // starts with '/'
        byte[] out = Arrays.copyOf(prefix, prefix.length + rest);
        System.arraycopy(all, root.length(), out, prefix.length, rest);
        return out;
    }

    private static RelPath nearestAncestor(RelPath p, Set<RelPath> set) {
        if (set.isEmpty()) return null;
        for (RelPath a = p.parent(); a != null; a = a.parent()) if (set.contains(a)) return a;
        return null;
    }

    private static CommitException invalid(String message) { return new CommitException(CommitError.INVALID_CHANGESET, message); }

    private static CommitException conflict(String message) { return new CommitException(CommitError.CONFLICT, message); }
}
