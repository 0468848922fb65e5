package org.lobstertrap.puzzlepod.daemon.commit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.DirEntry;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

/**
 * What a directory tree "is", as one SHA-256: for every object beneath the root (and the root
 * itself) its raw path bytes, type, permission bits, owner, group and, by type, the SHA-256 of the
 * content, the symlink target or the device number. Times, inode numbers, link counts and extended
 * attributes are not part of it. The commit work directory {@link ChangesetCommitter#RESERVED} at the
 * top is excluded, so a base mid-recovery and a clean base compare equal when their content does.
 *
 * @param digest   lowercase hex SHA-256 over the listing
 * @param listing  one line per object in path byte order, for people comparing two trees
 */
public record TreeHash(String digest, List<String> listing) {
    private static final HexFormat HEX = HexFormat.of();

    /** Hashes the tree at {@code root}; symlinks are recorded, never followed. */
    public static TreeHash of(FileSyscalls sys, Path root) throws LinuxException {
        int fd = sys.open(root.toString().getBytes(StandardCharsets.UTF_8),
                FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MessageDigest tree = sha256();
            List<String> lines = new ArrayList<>();
            MemorySegment buffer = arena.allocate(1 << 20);
            add(tree, lines, new byte[0], sys.fstat(fd), "");
            walk(sys, fd, null, tree, lines, buffer);
            return new TreeHash(HEX.formatHex(tree.digest()), List.copyOf(lines));
        } finally {
            sys.close(fd);
        }
    }

    private static void walk(FileSyscalls sys, int dirFd, RelPath dir, MessageDigest tree, List<String> lines,
                             MemorySegment buffer) throws LinuxException {
        List<DirEntry> entries = new ArrayList<>(sys.readdir(dirFd));
        entries.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
        for (DirEntry e : entries) {
            if (dir == null && Arrays.equals(e.name(), ChangesetCommitter.RESERVED_NAME)) continue;
            RelPath path = dir == null ? RelPath.ofName(e.name()) : dir.resolve(e.name());
            FileStat st = sys.fstatat(dirFd, e.name(), FileSyscalls.AT_SYMLINK_NOFOLLOW);
            String detail = switch (st.type()) {
                case FileStat.S_IFREG -> contentHash(sys, dirFd, e.name(), buffer);
                case FileStat.S_IFLNK -> "-> " + HEX.formatHex(sys.readlinkat(dirFd, e.name()));
                case FileStat.S_IFCHR, FileStat.S_IFBLK -> "dev " + st.rdevMajor() + ":" + st.rdevMinor();
                default -> "";
            };
            add(tree, lines, path.bytes(), st, detail);
            if (st.isDirectory()) {
                int fd = sys.openat(dirFd, e.name(), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_NOFOLLOW
                        | FileSyscalls.O_CLOEXEC, 0);
                try {
                    walk(sys, fd, path, tree, lines, buffer);
                } finally {
                    sys.close(fd);
                }
            }
        }
    }

    private static void add(MessageDigest tree, List<String> lines, byte[] path, FileStat st, String detail) {
        String attrs = Integer.toOctalString(st.mode()) + " " + Integer.toUnsignedString(st.uid()) + ":"
                + Integer.toUnsignedString(st.gid()) + " " + detail;
        tree.update(new byte[] {(byte) (path.length >>> 24), (byte) (path.length >>> 16), (byte) (path.length >>> 8), (byte) path.length});
        tree.update(path);
        tree.update((attrs + "\n").getBytes(StandardCharsets.US_ASCII));
        lines.add((path.length == 0 ? "." : RelPath.of(path).display()) + " " + attrs);
    }

    private static String contentHash(FileSyscalls sys, int dirFd, byte[] name, MemorySegment buffer) throws LinuxException {
        int fd = sys.openat(dirFd, name, FileSyscalls.O_RDONLY | FileSyscalls.O_NOFOLLOW | FileSyscalls.O_CLOEXEC, 0);
        try {
            MessageDigest md = sha256();
            long n;
            while ((n = sys.read(fd, buffer, buffer.byteSize())) > 0) md.update(buffer.asSlice(0, n).asByteBuffer());
            return "sha256 " + HEX.formatHex(md.digest());
        } finally {
            sys.close(fd);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override public boolean equals(Object o) { return o instanceof TreeHash t && digest.equals(t.digest); }

    @Override public int hashCode() { return digest.hashCode(); }

    @Override public String toString() { return digest; }
}
