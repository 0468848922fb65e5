package org.lobstertrap.puzzlepod.daemon.commit;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.DirEntry;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/**
 * A base, an upper directory and the changeset between them, built side by side with an
 * independently maintained {@code expected} tree (the branch's view): base operations write to base
 * and expected, branch operations write to upper and expected and record the change the diff would
 * report. A commit is correct when the base then hashes like expected.
 */
final class BranchFixture {
    static final FileSyscalls SYS = FileSyscalls.linux();
    static final int REG = FileStat.S_IFREG, DIR = FileStat.S_IFDIR, LNK = FileStat.S_IFLNK;

    final Path base, upper, expected;
    private final List<Change> changes = new ArrayList<>();

    BranchFixture(Path root) throws IOException {
        base = Files.createDirectories(root.resolve("base"));
        upper = Files.createDirectories(root.resolve("upper"));
        expected = Files.createDirectories(root.resolve("expected"));
    }

    Changeset changeset() { return new Changeset(changes); }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    // ---- the base before the branch ----

    BranchFixture baseDir(String path, int perm) throws LinuxException { return baseDir(b(path), perm); }

    BranchFixture baseDir(byte[] path, int perm) throws LinuxException {
        for (Path root : List.of(base, expected)) mkdirs(root, path, perm);
        return this;
    }

    BranchFixture baseFile(String path, byte[] content, int perm) throws LinuxException { return baseFile(b(path), content, perm, 0, 0); }

    BranchFixture baseFile(byte[] path, byte[] content, int perm, int uid, int gid) throws LinuxException {
        for (Path root : List.of(base, expected)) writeFile(root, path, content, perm, uid, gid);
        return this;
    }

    BranchFixture baseSymlink(String path, String target) throws LinuxException {
        for (Path root : List.of(base, expected)) { parents(root, b(path)); SYS.symlinkat(b(target), FileSyscalls.AT_FDCWD, abs(root, b(path))); }
        return this;
    }

    // ---- what the branch did ----

    /** A new or replaced regular file. */
    BranchFixture file(String path, byte[] content, int perm) throws LinuxException { return file(b(path), content, perm, 0, 0); }

    BranchFixture file(byte[] path, byte[] content, int perm, int uid, int gid) throws LinuxException {
        Integer old = replacing(path, false);
        writeFile(upper, path, content, perm, uid, gid);
        writeFile(expected, path, content, perm, uid, gid);
        ChangeKind kind = old != null && (old & FileStat.S_IFMT) == REG ? ChangeKind.Modified : ChangeKind.Added;
        changes.add(new Change(RelPath.of(path), kind, false, content.length, REG | perm, uid, gid, sha256(content), null, null, 0, old));
        return this;
    }

    /** A new regular file of {@code size} pseudo-random bytes, written in chunks (for files too big for the heap). */
    BranchFixture largeFile(String path, long size, long seed) throws Exception {
        byte[] p = b(path);
        if (baseObject(p) != null) throw new IllegalArgumentException("largeFile only adds: " + path);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        java.util.Random rnd = new java.util.Random(seed);
        byte[] chunk = new byte[1 << 20];
        int[] fds = new int[2];
        List<Path> roots = List.of(upper, expected);
        for (int i = 0; i < 2; i++) {
            parents(roots.get(i), p);
            fds[i] = SYS.open(abs(roots.get(i), p), FileSyscalls.O_WRONLY | FileSyscalls.O_CREAT | FileSyscalls.O_EXCL, 0644);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(chunk.length);
            for (long done = 0; done < size; ) {
                int n = (int) Math.min(chunk.length, size - done);
                rnd.nextBytes(chunk);
                md.update(chunk, 0, n);
                MemorySegment.copy(chunk, 0, seg, ValueLayout.JAVA_BYTE, 0, n);
                for (int fd : fds) for (long w = 0; w < n; ) w += SYS.write(fd, seg.asSlice(w), n - w);
                done += n;
            }
        } finally {
            for (int fd : fds) SYS.close(fd);
        }
        changes.add(new Change(RelPath.of(p), ChangeKind.Added, false, size, REG | 0644, 0, 0,
                HexFormat.of().formatHex(md.digest()), null, null, 0, null));
        return this;
    }

    BranchFixture dir(String path, int perm) throws LinuxException { return dir(b(path), perm, 0, 0); }

    BranchFixture dir(byte[] path, int perm, int uid, int gid) throws LinuxException {
        Integer old = replacing(path, true);
        for (Path root : List.of(upper, expected)) {
            mkdirs(root, path, perm);
            SYS.fchownat(FileSyscalls.AT_FDCWD, abs(root, path), uid, gid, FileSyscalls.AT_SYMLINK_NOFOLLOW);
            SYS.fchmodat(FileSyscalls.AT_FDCWD, abs(root, path), perm);
        }
        changes.add(new Change(RelPath.of(path), ChangeKind.Added, true, 0, DIR | perm, uid, gid, null, null, null, 0, old));
        return this;
    }

    BranchFixture symlink(String path, byte[] target) throws LinuxException { return symlink(b(path), target); }

    BranchFixture symlink(byte[] path, byte[] target) throws LinuxException {
        Integer old = replacing(path, false);
        for (Path root : List.of(upper, expected)) { parents(root, path); SYS.symlinkat(target, FileSyscalls.AT_FDCWD, abs(root, path)); }
        changes.add(new Change(RelPath.of(path), ChangeKind.Symlink, false, 0, LNK | 0777, 0, 0, null, target, null, 0, old));
        return this;
    }

    BranchFixture node(String path, ChangeKind kind, int perm, long rdev) throws LinuxException {
        byte[] p = b(path);
        Integer old = replacing(p, false);
        int type = switch (kind) { case Fifo -> FileStat.S_IFIFO; case CharDevice -> FileStat.S_IFCHR; default -> FileStat.S_IFBLK; };
        for (Path root : List.of(upper, expected)) {
            parents(root, p);
            SYS.mknodat(FileSyscalls.AT_FDCWD, abs(root, p), type | perm, rdev);
            SYS.fchmodat(FileSyscalls.AT_FDCWD, abs(root, p), perm);
        }
        changes.add(new Change(RelPath.of(p), kind, false, 0, type | perm, 0, 0, null, null, null, rdev, old));
        return this;
    }

    BranchFixture hardlink(String path, String of) throws LinuxException {
        byte[] p = b(path);
        Integer old = replacing(p, false);
        Change target = changes.stream().filter(c -> c.path().equals(RelPath.of(of))).findFirst().orElseThrow();
        for (Path root : List.of(upper, expected)) {
            parents(root, p);
            SYS.linkat(FileSyscalls.AT_FDCWD, abs(root, b(of)), FileSyscalls.AT_FDCWD, abs(root, p), 0);
        }
        changes.add(new Change(RelPath.of(p), ChangeKind.Hardlink, false, target.size(), target.mode(), target.uid(), target.gid(),
                target.checksum(), null, RelPath.of(of), 0, old));
        return this;
    }

    BranchFixture chmod(String path, int perm, int uid, int gid) throws LinuxException {
        byte[] p = b(path);
        FileStat st = SYS.fstatat(FileSyscalls.AT_FDCWD, abs(base, p), FileSyscalls.AT_SYMLINK_NOFOLLOW);
        SYS.fchownat(FileSyscalls.AT_FDCWD, abs(expected, p), uid, gid, FileSyscalls.AT_SYMLINK_NOFOLLOW);
        if (!st.isSymlink()) SYS.fchmodat(FileSyscalls.AT_FDCWD, abs(expected, p), perm);
        changes.add(new Change(RelPath.of(p), ChangeKind.MetadataChanged, st.isDirectory(), 0, st.type() | perm, uid, gid,
                null, null, null, 0, st.mode()));
        return this;
    }

    /** Deletes a base object and, for a directory, lists everything beneath it as the diff does. */
    BranchFixture delete(String path) throws LinuxException { return delete(b(path)); }

    BranchFixture delete(byte[] path) throws LinuxException {
        listDeleted(RelPath.of(path), true);
        removeTree(expected, path);
        return this;
    }

    /** The old mode at path, listing Deleted entries for the children of a directory the new object replaces. */
    private Integer replacing(byte[] path, boolean newIsDir) throws LinuxException {
        RelPath parent = RelPath.of(path).parent();
        if (parent != null && baseObject(parent.bytes()) == null
                && changes.stream().noneMatch(c -> c.path().equals(parent) && c.kind() != ChangeKind.Deleted)) {
            dir(parent.bytes(), 0755, 0, 0); // the diff reports a new parent directory as Added
        }
        FileStat st = baseObject(path);
        if (st == null) return null;
        if (st.isDirectory() && !newIsDir) {
            listChildrenDeleted(RelPath.of(path));
            removeTree(expected, path);
        } else if (!st.isDirectory() || !newIsDir) {
            removeTree(expected, path);
        }
        return st.mode();
    }

    /** lstat in the base without following any symlink on the way; null when absent. */
    private FileStat baseObject(byte[] path) throws LinuxException {
        for (RelPath p = RelPath.of(path).parent(); p != null; p = p.parent()) {
            FileStat st = lstatOrNull(abs(base, p.bytes()));
            if (st == null || !st.isDirectory()) return null;
        }
        return lstatOrNull(abs(base, path));
    }

    private void listDeleted(RelPath p, boolean withChildren) throws LinuxException {
        FileStat st = SYS.fstatat(FileSyscalls.AT_FDCWD, abs(base, p.bytes()), FileSyscalls.AT_SYMLINK_NOFOLLOW);
        changes.add(new Change(p, ChangeKind.Deleted, st.isDirectory(), 0, st.mode(), st.uid(), st.gid(), null, null, null, 0, st.mode()));
        if (withChildren && st.isDirectory()) listChildrenDeleted(p);
    }

    private void listChildrenDeleted(RelPath dir) throws LinuxException {
        int fd = SYS.open(abs(base, dir.bytes()), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY, 0);
        try {
            for (DirEntry e : SYS.readdir(fd)) listDeleted(dir.resolve(e.name()), true);
        } finally {
            SYS.close(fd);
        }
    }

    // ---- primitives on absolute byte paths ----

    static byte[] abs(Path root, byte[] rel) {
        byte[] r = root.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[r.length + 1 + rel.length];
        System.arraycopy(r, 0, out, 0, r.length);
        out[r.length] = '/';
        System.arraycopy(rel, 0, out, r.length + 1, rel.length);
        return out;
    }

    static FileStat lstatOrNull(byte[] absPath) throws LinuxException {
        return FileTrees.lstatOrNull(SYS, FileSyscalls.AT_FDCWD, absPath);
    }

    static void parents(Path root, byte[] rel) throws LinuxException {
        RelPath parent = RelPath.of(rel).parent();
        if (parent != null) mkdirs(root, parent.bytes(), 0755);
    }

    static void mkdirs(Path root, byte[] rel, int perm) throws LinuxException {
        RelPath p = RelPath.of(rel);
        if (p.parent() != null) mkdirs(root, p.parent().bytes(), 0755);
        if (lstatOrNull(abs(root, rel)) == null) {
            SYS.mkdirat(FileSyscalls.AT_FDCWD, abs(root, rel), perm);
            SYS.fchmodat(FileSyscalls.AT_FDCWD, abs(root, rel), perm);
        }
    }

    static void writeFile(Path root, byte[] rel, byte[] content, int perm, int uid, int gid) throws LinuxException {
        parents(root, rel);
        int fd = SYS.open(abs(root, rel), FileSyscalls.O_WRONLY | FileSyscalls.O_CREAT | FileSyscalls.O_TRUNC | FileSyscalls.O_NOFOLLOW, 0600);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(1, content.length));
            MemorySegment.copy(content, 0, seg, ValueLayout.JAVA_BYTE, 0, content.length);
            long done = 0;
            while (done < content.length) done += SYS.write(fd, seg.asSlice(done), content.length - done);
            SYS.fchown(fd, uid, gid);
            SYS.fchmod(fd, perm);
        } finally {
            SYS.close(fd);
        }
    }

    static void removeTree(Path root, byte[] rel) throws LinuxException {
        RelPath p = RelPath.of(rel);
        int parentFd = SYS.open(p.parent() == null ? root.toString().getBytes(StandardCharsets.UTF_8) : abs(root, p.parent().bytes()),
                FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY, 0);
        try {
            FileTrees.removeTree(SYS, parentFd, p.name());
        } finally {
            SYS.close(parentFd);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] content(long seed, int size) {
        byte[] out = new byte[size];
        new java.util.Random(seed).nextBytes(out);
        return out;
    }
}
