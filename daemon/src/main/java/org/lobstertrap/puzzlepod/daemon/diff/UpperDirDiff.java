package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.DirEntry;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

/**
 * Computes the {@link Changeset} of an overlay branch from its upper directory and the base (lower)
 * directory it was mounted over.
 *
 * <p>Rules (see {@link ChangeKind} for the kinds):
 * <ul>
 *   <li>A whiteout (char device 0:0, or {@code .wh.NAME} for {@link OverlayFlavor#FUSE}) deletes the
 *       base entry; a deleted base directory is reported with every file and directory beneath it.</li>
 *   <li>An opaque upper directory hides the base directory's content: base entries it does not
 *       re-create are Deleted (recursively); re-created entries are compared with the base.</li>
 *   <li>A copy-up that changed nothing (same bytes, mode, owner) is not a change; same bytes but another
 *       mode or owner is MetadataChanged; a directory that exists only because a child was copied up is
 *       not a change.</li>
 *   <li>A type replacement (file to directory, directory to symlink, …) is one entry of the new type
 *       with {@link Change#oldMode()} holding the base's type; when the base had a directory there,
 *       everything beneath it is also reported Deleted.</li>
 *   <li>Upper entries sharing an inode: the first by path order is reported as usual (MetadataChanged
 *       if it would otherwise be unchanged, so that it is present in the changeset), the others as
 *       Hardlink of it.</li>
 *   <li>Sockets are left out and listed in {@link DiffResult#skipped()}.</li>
 *   <li>A renamed directory ({@code overlay.redirect}) or a metadata-only copy-up whose data lives
 *       elsewhere cannot be expressed as a changeset: the diff fails with {@link DiffException}.</li>
 * </ul>
 * Names are handled as raw bytes throughout (openat/getdents64/fstatat through {@link FileSyscalls});
 * the walk uses an explicit work list, so depth is bounded only by the path length limit.
 * Both directories must be quiescent (container stopped); concurrent change is detected where it
 * matters and reported as {@link DiffException.Code#CHANGED_DURING_DIFF}.
 *
 * <p>Content is hashed within a byte budget ({@link #diff(byte[], byte[], OverlayFlavor, long)}): a file
 * whose bytes would take the hashed total over the budget is put aside and hashed after the walk, and
 * only when the bytes the changeset certainly writes (added files, and modified files whose size
 * changed) stay within the budget. Otherwise the result is {@linkplain DiffResult#contentHashed()
 * unhashed}: a gate can refuse an over-quota branch from the sizes the walk already knows instead of
 * reading gigabytes first.
 *
 * <p>Instances are cheap and thread-safe; each {@link #diff} call uses its own buffers.
 */
public final class UpperDirDiff {
    private static final int DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    private static final int FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
    private static final long BENEATH = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
    private static final byte[] DOT = {'.'};

    private final FileSyscalls sys;

    public UpperDirDiff(FileSyscalls sys) { this.sys = sys; }

    /** Diffs with the real kernel's system calls. */
    public static UpperDirDiff onLinux() { return new UpperDirDiff(FileSyscalls.linux()); }

    /**
     * The changeset that turns {@code base} into the branch's view.
     *
     * @param base   absolute path of the base (lower) directory
     * @param upper  absolute path of the branch's upper directory
     * @param flavor how the overlay implementation marks whiteouts and opaque directories
     */
    public DiffResult diff(byte[] base, byte[] upper, OverlayFlavor flavor) throws DiffException {
        return diff(base, upper, flavor, Long.MAX_VALUE);
    }

    /**
     * The changeset that turns {@code base} into the branch's view, hashing content only while the
     * changeset certainly writes at most {@code hashBudget} bytes.
     *
     * <p>When it certainly writes more, the result is unhashed ({@link DiffResult#contentHashed()} false):
     * the files put aside carry no checksum, and those whose kind only their content tells (a copy-up of
     * the base file's size: Modified, MetadataChanged or no change) are left out, so
     * {@link Changeset#totalBytes()} is a lower bound of the full diff's, and still above the budget.
     * Every other entry (deletions, additions, type changes, links, metadata) is as in the full diff.
     *
     * @param hashBudget bytes; {@link Long#MAX_VALUE} always hashes everything
     */
    public DiffResult diff(byte[] base, byte[] upper, OverlayFlavor flavor, long hashBudget) throws DiffException {
        if (hashBudget < 0) throw new IllegalArgumentException("hash budget must not be negative: " + hashBudget);
        int upperRoot = openRoot(upper, DiffException.Code.UPPER_MISSING, "upper directory");
        try {
            int baseRoot = openRoot(base, DiffException.Code.BASE_MISSING, "base directory");
            try (Walk walk = new Walk(upperRoot, baseRoot, flavor, hashBudget)) {
                return walk.run();
            } finally {
                closeQuietly(baseRoot);
            }
        } finally {
            closeQuietly(upperRoot);
        }
    }

    /** {@link #diff(byte[], byte[], OverlayFlavor)} with paths given as text (UTF-8). */
    public DiffResult diff(String base, String upper, OverlayFlavor flavor) throws DiffException {
        return diff(base.getBytes(StandardCharsets.UTF_8), upper.getBytes(StandardCharsets.UTF_8), flavor);
    }

    /** {@link #diff(byte[], byte[], OverlayFlavor, long)} with paths given as text (UTF-8). */
    public DiffResult diff(String base, String upper, OverlayFlavor flavor, long hashBudget) throws DiffException {
        return diff(base.getBytes(StandardCharsets.UTF_8), upper.getBytes(StandardCharsets.UTF_8), flavor, hashBudget);
    }

    private int openRoot(byte[] path, DiffException.Code missing, String what) throws DiffException {
        try {
            return sys.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        } catch (LinuxException e) {
            String shown = new String(path, StandardCharsets.UTF_8);
            if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR))
                throw new DiffException(missing, null, what + " " + shown + " does not exist or is not a directory", e.errno(), e);
            throw new DiffException(DiffException.Code.IO, null, "cannot open " + what + " " + shown + ": " + e.getMessage(), e.errno(), e);
        }
    }

    private void closeQuietly(int fd) {
        if (fd < 0) return;
        try {
            sys.close(fd);
        } catch (LinuxException ignored) {
            // read-only descriptors: a failed close loses nothing
        }
    }

    /** A directory still to visit: its path, whether the base has a directory there, and whether an
     *  opaque ancestor already hides the base. */
    private record DirTask(RelPath path, boolean basePresent, boolean opaqueInherited) {}

    /** An upper entry sharing its inode with others, kept until all names are known. */
    private record LinkMember(RelPath path, FileStat stat, Integer oldMode, Change standalone, String checksum, byte[] target) {}

    /** A regular file whose hashing was put aside because it would have taken the hashed bytes over the budget. */
    private record Deferred(RelPath path, FileStat stat, FileStat baseStat) {
        /** The kind the sizes alone tell, or null when only the content can (same size as the base file). */
        ChangeKind kindBySize() {
            if (baseStat == null || !baseStat.isRegular()) return ChangeKind.Added;
            return baseStat.size() != stat.size() ? ChangeKind.Modified : null;
        }
    }

    /** Map key for raw names. */
    private static ByteBuffer key(byte[] name) { return ByteBuffer.wrap(name); }

    /** One diff run: its work list, output and buffers. */
    private final class Walk implements AutoCloseable {
        private final int upperRoot, baseRoot;
        private final OverlayFlavor flavor;
        private final ContentHasher hasher;
        private final ArrayDeque<DirTask> work = new ArrayDeque<>();
        private final List<Change> changes = new ArrayList<>();
        private final List<SkippedEntry> skipped = new ArrayList<>();
        private final Map<InodeKey, List<LinkMember>> linkGroups = new LinkedHashMap<>();
        private final List<Deferred> deferred = new ArrayList<>();
        private final long hashBudget;
        private long hashedBytes;
        /** Bytes the changeset writes whatever the content: single-link files Added or Modified with another size. */
        private long certainBytes;

        Walk(int upperRoot, int baseRoot, OverlayFlavor flavor, long hashBudget) {
            this.upperRoot = upperRoot;
            this.baseRoot = baseRoot;
            this.flavor = flavor;
            this.hashBudget = hashBudget;
            this.hasher = new ContentHasher(sys);
        }

        DiffResult run() throws DiffException {
            work.push(new DirTask(null, true, false));
            while (!work.isEmpty()) visit(work.pop());
            boolean hashed = certainBytes <= hashBudget;
            for (Deferred d : deferred) {
                if (hashed) {
                    FileOutcome f = hashDeferred(d);
                    record(d.path(), d.stat(), d.baseStat() == null ? null : d.baseStat().mode(), f.kind(), f.checksum(), null);
                } else {
                    record(d.path(), d.stat(), d.baseStat() == null ? null : d.baseStat().mode(), d.kindBySize(), null, null);
                }
            }
            resolveHardlinks();
            return new DiffResult(new Changeset(changes), skipped, hashed);
        }

        @Override public void close() { hasher.close(); }

        private void visit(DirTask task) throws DiffException {
            int upperFd = openDir(upperRoot, task.path(), false);
            int baseFd = -1;
            try {
                if (task.basePresent()) baseFd = openDir(baseRoot, task.path(), true);
                visitOpen(task, upperFd, baseFd);
            } finally {
                closeQuietly(baseFd);
                closeQuietly(upperFd);
            }
        }

        private void visitOpen(DirTask task, int upperFd, int baseFd) throws DiffException {
            RelPath dir = task.path();
            List<DirEntry> upperEntries = readdir(upperFd, dir, false);
            if (flavor.isKernel() && task.path() != null) {
                byte[] redirect = getxattr(upperFd, flavor.xattrPrefix() + "redirect", dir);
                if (redirect != null)
                    throw new DiffException(DiffException.Code.REDIRECT_UNSUPPORTED, dir,
                            "directory was renamed inside the branch (overlay redirect to "
                                    + displayBytes(redirect) + "); its content lives at another base path, which a changeset cannot express");
            }
            byte[] opaqueValue = getxattr(upperFd, flavor.opaqueXattr(), dir);
            boolean opaque = task.opaqueInherited() || isY(opaqueValue);
            // kernel >= 6.7 "x": not opaque, but regular files carrying overlay.whiteout are whiteouts
            boolean xwhiteouts = flavor.isKernel() && opaqueValue != null && opaqueValue.length == 1 && opaqueValue[0] == 'x';
            if (flavor == OverlayFlavor.FUSE && !opaque)
                opaque = isY(getxattr(upperFd, "trusted.overlay.opaque", dir));

            Set<ByteBuffer> whiteouts = new HashSet<>();
            List<DirEntry> present = new ArrayList<>(upperEntries.size());
            List<FileStat> presentStats = new ArrayList<>(upperEntries.size());
            for (DirEntry e : upperEntries) {
                byte[] name = e.name();
                if (flavor.usesWhiteoutFiles() && OverlayFlavor.startsWith(name, OverlayFlavor.WHITEOUT_PREFIX)) {
                    if (Arrays.equals(name, OverlayFlavor.OPAQUE_MARKER) || Arrays.equals(name, OverlayFlavor.OPAQUE_MARKER_SHORT)) {
                        opaque = true;
                    } else if (name.length > OverlayFlavor.WHITEOUT_PREFIX.length) {
                        whiteouts.add(key(Arrays.copyOfRange(name, OverlayFlavor.WHITEOUT_PREFIX.length, name.length)));
                    }
                    continue;
                }
                FileStat st = stat(upperFd, name, dir, false);
                if (st.isWhiteout() || (xwhiteouts && isXattrWhiteout(upperFd, name, st, dir))) {
                    whiteouts.add(key(name));
                    continue;
                }
                present.add(e);
                presentStats.add(st);
            }

            Map<ByteBuffer, DirEntry> baseEntries = new HashMap<>();
            if (baseFd >= 0) for (DirEntry e : readdir(baseFd, dir, true)) baseEntries.put(key(e.name()), e);

            Set<ByteBuffer> presentNames = new HashSet<>(present.size() * 2);
            for (DirEntry e : present) presentNames.add(key(e.name()));
            // base entries the branch no longer shows
            for (Map.Entry<ByteBuffer, DirEntry> b : baseEntries.entrySet()) {
                if (presentNames.contains(b.getKey())) continue;
                if (!opaque && !whiteouts.contains(b.getKey())) continue;
                byte[] name = b.getValue().name();
                reportDeletedTree(child(dir, name), stat(baseFd, name, dir, true));
            }
            for (int i = 0; i < present.size(); i++) {
                byte[] name = present.get(i).name();
                FileStat baseStat = baseEntries.containsKey(key(name)) ? stat(baseFd, name, dir, true) : null;
                visitEntry(upperFd, baseFd, dir, name, presentStats.get(i), baseStat, opaque);
            }
        }

        private void visitEntry(int upperFd, int baseFd, RelPath dir, byte[] name, FileStat st, FileStat bst,
                                boolean parentOpaque) throws DiffException {
            RelPath path = child(dir, name);
            Integer oldMode = bst == null ? null : bst.mode();
            if (st.isDirectory()) {
                if (bst != null && bst.isDirectory()) {
                    if (metadataDiffers(st, bst)) changes.add(change(path, ChangeKind.MetadataChanged, st, null, null, null, oldMode));
                    work.push(new DirTask(path, true, parentOpaque));
                } else {
                    if (bst != null) reportDeletedTree(path, bst, false);
                    changes.add(change(path, ChangeKind.Added, st, null, null, null, oldMode));
                    work.push(new DirTask(path, false, false));
                }
                return;
            }
            if (bst != null && bst.isDirectory()) reportDeletedTree(path, bst, false);

            String checksum = null;
            byte[] target = null;
            ChangeKind kind;
            boolean putAside = false;
            switch (st.type()) {
                case FileStat.S_IFREG -> {
                    FileOutcome f = visitFile(upperFd, baseFd, path, name, st, bst);
                    checksum = f.checksum();
                    kind = f.kind();
                    putAside = f.deferred();
                }
                case FileStat.S_IFLNK -> {
                    target = readlink(upperFd, name, path, false);
                    boolean sameLink = bst != null && bst.isSymlink() && Arrays.equals(target, readlink(baseFd, name, path, true));
                    kind = !sameLink ? ChangeKind.Symlink : ownerDiffers(st, bst) ? ChangeKind.MetadataChanged : null;
                }
                case FileStat.S_IFIFO -> kind = special(st, bst, ChangeKind.Fifo);
                case FileStat.S_IFCHR -> kind = special(st, bst, ChangeKind.CharDevice);
                case FileStat.S_IFBLK -> kind = special(st, bst, ChangeKind.BlockDevice);
                case FileStat.S_IFSOCK -> {
                    skipped.add(new SkippedEntry(path, "Unix socket: sockets cannot be committed"
                            + (bst == null ? "" : "; the base's " + typeName(bst) + " at this path is reported Deleted")));
                    // a base directory's content was reported Deleted above; the entry itself goes too
                    if (bst != null) changes.add(deleted(path, bst));
                    return;
                }
                default -> throw new DiffException(DiffException.Code.IO, path, "unknown file type " + Integer.toOctalString(st.type()));
            }
            if (putAside) {
                Deferred d = new Deferred(path, st, bst);
                deferred.add(d);
                ChangeKind k = d.kindBySize();
                if (st.nlink() == 1 && k != null) certainBytes += st.size();
                return;
            }
            record(path, st, oldMode, kind, checksum, target);
        }

        /** Adds the change of a non-directory entry, or keeps it for its hardlink group. */
        private void record(RelPath path, FileStat st, Integer oldMode, ChangeKind kind, String checksum, byte[] target) {
            Change standalone = kind == null ? null : change(path, kind, st, checksum, target, null, oldMode);
            if (st.nlink() > 1) {
                linkGroups.computeIfAbsent(new InodeKey(st.dev(), st.ino()), k -> new ArrayList<>(2))
                        .add(new LinkMember(path, st, oldMode, standalone, checksum, target));
            } else if (standalone != null) {
                changes.add(standalone);
            }
        }

        private ChangeKind special(FileStat st, FileStat bst, ChangeKind kind) {
            if (bst == null || bst.type() != st.type() || bst.rdev() != st.rdev()) return kind;
            return metadataDiffers(st, bst) ? ChangeKind.MetadataChanged : null;
        }

        /** A file's kind (null: no change) and checksum, or {@code deferred}: hashing put aside. */
        private record FileOutcome(ChangeKind kind, String checksum, boolean deferred) {
            FileOutcome(ChangeKind kind, String checksum) { this(kind, checksum, false); }
        }

        private static final FileOutcome PUT_ASIDE = new FileOutcome(null, null, true);

        private FileOutcome visitFile(int upperFd, int baseFd, RelPath path, byte[] name, FileStat st, FileStat bst)
                throws DiffException {
            int fd = openFile(upperFd, name, path, st, false);
            try {
                if (flavor.isKernel() && getxattr(fd, flavor.xattrPrefix() + "metacopy", path) != null)
                    return metacopy(fd, baseFd, path, name, st, bst);
                if (st.size() > hashBudget - hashedBytes) return PUT_ASIDE;
                hashedBytes += st.size();
                FileOutcome f = compareAndHash(fd, bst != null && bst.isRegular() && bst.size() == st.size()
                        ? openFile(baseFd, name, path, bst, true) : -1, path, st, bst);
                if (st.nlink() == 1 && (f.kind() == ChangeKind.Added || f.kind() == ChangeKind.Modified)) certainBytes += st.size();
                return f;
            } finally {
                closeQuietly(fd);
            }
        }

        /** Hashes a file put aside during the walk, reopened by its path beneath both roots. */
        private FileOutcome hashDeferred(Deferred d) throws DiffException {
            RelPath path = d.path();
            FileStat st = d.stat(), bst = d.baseStat();
            int fd = openFileBeneath(upperRoot, path, st, false);
            try {
                return compareAndHash(fd, bst != null && bst.isRegular() && bst.size() == st.size()
                        ? openFileBeneath(baseRoot, path, bst, true) : -1, path, st, bst);
            } finally {
                closeQuietly(fd);
            }
        }

        /** Hashes the upper file, comparing it with the base file when {@code bfd >= 0} (which it closes). */
        private FileOutcome compareAndHash(int fd, int bfd, RelPath path, FileStat st, FileStat bst) throws DiffException {
            try {
                ContentHasher.Result r = hash(fd, bfd, path);
                if (r.bytes() != st.size())
                    throw new DiffException(DiffException.Code.CHANGED_DURING_DIFF, path,
                            "file size changed while it was read (" + st.size() + " bytes by stat, " + r.bytes() + " read)");
                ChangeKind kind;
                if (bst == null || !bst.isRegular()) kind = ChangeKind.Added;
                else if (!r.sameAsOther()) kind = ChangeKind.Modified;
                else kind = metadataDiffers(st, bst) ? ChangeKind.MetadataChanged : null;
                return new FileOutcome(kind, r.checksum());
            } finally {
                closeQuietly(bfd);
            }
        }

        /** A metadata-only copy-up: the data is the base file's at the same path unless redirected. */
        private FileOutcome metacopy(int fd, int baseFd, RelPath path, byte[] name, FileStat st, FileStat bst) throws DiffException {
            byte[] redirect = getxattr(fd, flavor.xattrPrefix() + "redirect", path);
            if (redirect != null || bst == null || !bst.isRegular())
                throw new DiffException(DiffException.Code.METACOPY_UNSUPPORTED, path,
                        "metadata-only copy-up whose data is not the base file at the same path"
                                + (redirect == null ? "" : " (redirect to " + displayBytes(redirect) + ")"));
            int bfd = openFile(baseFd, name, path, bst, true);
            try {
                ContentHasher.Result r = hash(bfd, -1, path);
                return new FileOutcome(metadataDiffers(st, bst) ? ChangeKind.MetadataChanged : null, r.checksum());
            } finally {
                closeQuietly(bfd);
            }
        }

        private ContentHasher.Result hash(int fd, int otherFd, RelPath path) throws DiffException {
            try {
                return hasher.hash(fd, otherFd);
            } catch (ContentHasher.ReadFailure f) {
                throw new DiffException(DiffException.Code.UNREADABLE, path,
                        "cannot read " + (f.onBase ? "base" : "upper") + " file: " + f.cause.getMessage(), f.cause.errno(), f.cause);
            }
        }

        /** Hardlink groups: the first name by path order carries the content, the others point at it. */
        private void resolveHardlinks() {
            for (List<LinkMember> group : linkGroups.values()) {
                if (group.size() == 1) {
                    if (group.getFirst().standalone() != null) changes.add(group.getFirst().standalone());
                    continue;
                }
                group.sort(Comparator.comparing(LinkMember::path));
                LinkMember first = group.getFirst();
                changes.add(first.standalone() != null ? first.standalone()
                        : change(first.path(), ChangeKind.MetadataChanged, first.stat(), first.checksum(), first.target(), null, first.oldMode()));
                for (LinkMember m : group.subList(1, group.size()))
                    changes.add(change(m.path(), ChangeKind.Hardlink, m.stat(), m.checksum(), m.target(), first.path(), m.oldMode()));
            }
        }

        private void reportDeletedTree(RelPath path, FileStat bst) throws DiffException { reportDeletedTree(path, bst, true); }

        /** Reports a base entry Deleted and, for a directory, everything beneath it (the root itself only if asked). */
        private void reportDeletedTree(RelPath path, FileStat bst, boolean includeRoot) throws DiffException {
            if (includeRoot) changes.add(deleted(path, bst));
            if (!bst.isDirectory()) return;
            ArrayDeque<RelPath> dirs = new ArrayDeque<>();
            dirs.push(path);
            while (!dirs.isEmpty()) {
                RelPath d = dirs.pop();
                int fd = openDir(baseRoot, d, true);
                try {
                    for (DirEntry e : readdir(fd, d, true)) {
                        RelPath p = child(d, e.name());
                        FileStat s = stat(fd, e.name(), d, true);
                        changes.add(deleted(p, s));
                        if (s.isDirectory()) dirs.push(p);
                    }
                } finally {
                    closeQuietly(fd);
                }
            }
        }

        private boolean isXattrWhiteout(int upperFd, byte[] name, FileStat st, RelPath dir) throws DiffException {
            if (!st.isRegular() || st.size() != 0) return false;
            RelPath path = child(dir, name);
            int fd = openFile(upperFd, name, path, st, false);
            try {
                return getxattr(fd, flavor.xattrPrefix() + "whiteout", path) != null;
            } finally {
                closeQuietly(fd);
            }
        }

        // ---- system calls with errors turned into DiffException naming the path ----

        private int openDir(int root, RelPath path, boolean base) throws DiffException {
            try {
                return path == null ? sys.openat(root, DOT, DIR_FLAGS, 0) : sys.openat2(root, path.bytes(), DIR_FLAGS, 0, BENEATH);
            } catch (LinuxException e) {
                throw failure(e, path, base, "open directory");
            }
        }

        private int openFile(int dirFd, byte[] name, RelPath path, FileStat expected, boolean base) throws DiffException {
            int fd;
            try {
                fd = sys.openat(dirFd, name, FILE_FLAGS, 0);
            } catch (LinuxException e) {
                throw failure(e, path, base, "open file");
            }
            return checkedFile(fd, path, expected, base);
        }

        private int openFileBeneath(int root, RelPath path, FileStat expected, boolean base) throws DiffException {
            int fd;
            try {
                fd = sys.openat2(root, path.bytes(), FILE_FLAGS, 0, BENEATH);
            } catch (LinuxException e) {
                throw failure(e, path, base, "open file");
            }
            return checkedFile(fd, path, expected, base);
        }

        /** The open file must still be the object the walk saw (same inode, same size), else the diff fails. */
        private int checkedFile(int fd, RelPath path, FileStat expected, boolean base) throws DiffException {
            try {
                FileStat now = sys.fstat(fd);
                if (now.ino() != expected.ino() || now.dev() != expected.dev() || now.size() != expected.size())
                    throw new DiffException(DiffException.Code.CHANGED_DURING_DIFF, path,
                            (base ? "base" : "upper") + " file was replaced or resized while the diff ran");
                return fd;
            } catch (LinuxException e) {
                closeQuietly(fd);
                throw failure(e, path, base, "fstat");
            } catch (DiffException e) {
                closeQuietly(fd);
                throw e;
            }
        }

        private List<DirEntry> readdir(int fd, RelPath dir, boolean base) throws DiffException {
            try {
                return sys.readdir(fd);
            } catch (LinuxException e) {
                throw failure(e, dir, base, "read directory");
            }
        }

        private FileStat stat(int dirFd, byte[] name, RelPath dir, boolean base) throws DiffException {
            try {
                return sys.fstatat(dirFd, name, AT_SYMLINK_NOFOLLOW);
            } catch (LinuxException e) {
                throw failure(e, child(dir, name), base, "stat");
            }
        }

        private byte[] readlink(int dirFd, byte[] name, RelPath path, boolean base) throws DiffException {
            try {
                return sys.readlinkat(dirFd, name);
            } catch (LinuxException e) {
                throw failure(e, path, base, "read symlink");
            }
        }

        private byte[] getxattr(int fd, String xattr, RelPath path) throws DiffException {
            try {
                return sys.fgetxattr(fd, xattr);
            } catch (LinuxException e) {
                // file systems without xattr support cannot carry overlay marks
                if (e.is(Errno.ENOTSUP)) return null;
                throw failure(e, path, false, "read xattr " + xattr);
            }
        }

        private RelPath child(RelPath dir, byte[] name) throws DiffException {
            try {
                return dir == null ? RelPath.ofName(name) : dir.resolve(name);
            } catch (IllegalArgumentException e) {
                throw new DiffException(DiffException.Code.PATH_TOO_LONG, dir,
                        "entry " + displayBytes(name) + " cannot be named: " + e.getMessage());
            }
        }
    }

    private static DiffException failure(LinuxException e, RelPath path, boolean base, String action) {
        String layer = base ? "base" : "upper";
        DiffException.Code code = switch (e.errno()) {
            case Errno.ENOENT, Errno.ENOTDIR, Errno.ELOOP, Errno.EXDEV -> DiffException.Code.CHANGED_DURING_DIFF;
            case Errno.EACCES, Errno.EPERM, Errno.EIO -> DiffException.Code.UNREADABLE;
            default -> DiffException.Code.IO;
        };
        String why = code == DiffException.Code.CHANGED_DURING_DIFF ? " (it vanished or was replaced while the diff ran)" : "";
        return new DiffException(code, path, "cannot " + action + " in " + layer + ": " + e.getMessage() + why, e.errno(), e);
    }

    private static Change change(RelPath path, ChangeKind kind, FileStat st, String checksum, byte[] target,
                                 RelPath hardlinkOf, Integer oldMode) {
        boolean carriesBytes = st.isRegular() && (kind == ChangeKind.Added || kind == ChangeKind.Modified || kind == ChangeKind.Hardlink);
        long rdev = st.isCharDevice() || st.isBlockDevice() ? st.rdev() : 0;
        return new Change(path, kind, st.isDirectory(), carriesBytes ? st.size() : 0, st.mode(), st.uid(), st.gid(),
                checksum, target, hardlinkOf, rdev, oldMode);
    }

    private static Change deleted(RelPath path, FileStat bst) {
        return new Change(path, ChangeKind.Deleted, bst.isDirectory(), 0, bst.mode(), bst.uid(), bst.gid(),
                null, null, null, 0, bst.mode());
    }

    private static boolean metadataDiffers(FileStat a, FileStat b) {
        return a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid();
    }

    /** Symlink permissions are always 0777 on Linux: only the owner can differ. */
    private static boolean ownerDiffers(FileStat a, FileStat b) { return a.uid() != b.uid() || a.gid() != b.gid(); }

    private static boolean isY(byte[] v) { return v != null && v.length == 1 && v[0] == 'y'; }

    private static String typeName(FileStat st) {
        return org.lobstertrap.puzzlepod.core.changeset.ChangesetJson.typeName(st.mode());
    }

    /** Raw bytes for an error message: printable ASCII as is, everything else as \xNN. */
    static String displayBytes(byte[] raw) {
        StringBuilder sb = new StringBuilder(raw.length);
        for (byte b : raw) {
            if (b >= 0x20 && b < 0x7f && b != '\\') sb.append((char) b);
            else sb.append(String.format("\\x%02x", b & 0xff));
        }
        return sb.toString();
    }

    private record InodeKey(long dev, long ino) {}
}
