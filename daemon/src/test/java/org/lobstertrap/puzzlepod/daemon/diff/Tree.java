package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

/** Builds test directory trees through {@link FileSyscalls}, so names can be any bytes. */
final class Tree {
    static final FileSyscalls SYS = FileSyscalls.linux();

    final Path root;
    private final byte[] rootBytes;

    Tree(Path root) {
        this.root = root;
        this.rootBytes = root.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] bytes() { return rootBytes; }

    static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private byte[] abs(byte[] rel) {
        byte[] out = new byte[rootBytes.length + 1 + rel.length];
        System.arraycopy(rootBytes, 0, out, 0, rootBytes.length);
        out[rootBytes.length] = '/';
        System.arraycopy(rel, 0, out, rootBytes.length + 1, rel.length);
        return out;
    }

    Tree file(String rel, String content) throws IOException { return file(b(rel), b(content), 0644); }
    Tree file(String rel, String content, int mode) throws IOException { return file(b(rel), b(content), mode); }

    Tree file(byte[] rel, byte[] content, int mode) throws IOException {
        int fd = SYS.open(abs(rel), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(Math.max(1, content.length));
            MemorySegment.copy(content, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, content.length);
            long off = 0;
            while (off < content.length) off += SYS.write(fd, seg.asSlice(off), content.length - off);
            SYS.fchmod(fd, mode);
        } finally {
            SYS.close(fd);
        }
        return this;
    }

    Tree dir(String rel) throws LinuxException { return dir(b(rel), 0755); }
    Tree dir(String rel, int mode) throws LinuxException { return dir(b(rel), mode); }

    Tree dir(byte[] rel, int mode) throws LinuxException {
        SYS.mkdirat(AT_FDCWD, abs(rel), mode);
        SYS.fchmodat(AT_FDCWD, abs(rel), mode); // umask
        return this;
    }

    Tree symlink(String rel, String target) throws LinuxException {
        SYS.symlinkat(b(target), AT_FDCWD, abs(b(rel)));
        return this;
    }

    Tree hardlink(String existing, String rel) throws LinuxException {
        SYS.linkat(AT_FDCWD, abs(b(existing)), AT_FDCWD, abs(b(rel)), 0);
        return this;
    }

    Tree whiteout(String rel) throws LinuxException { return whiteout(b(rel)); }

    Tree whiteout(byte[] rel) throws LinuxException {
        SYS.mknodat(AT_FDCWD, abs(rel), FileStat.S_IFCHR, 0);
        return this;
    }

    Tree node(String rel, int typeAndMode, long dev) throws LinuxException {
        SYS.mknodat(AT_FDCWD, abs(b(rel)), typeAndMode, dev);
        SYS.fchmodat(AT_FDCWD, abs(b(rel)), typeAndMode & 07777);
        return this;
    }

    Tree xattr(String rel, String name, String value) throws LinuxException {
        SYS.lsetxattr(rel.isEmpty() ? rootBytes : abs(b(rel)), name, b(value), 0);
        return this;
    }

    Tree opaque(String rel) throws LinuxException { return xattr(rel, "trusted.overlay.opaque", "y"); }

    Tree chmod(String rel, int mode) throws LinuxException {
        SYS.fchmodat(AT_FDCWD, abs(b(rel)), mode);
        return this;
    }

    Tree chown(String rel, int uid, int gid) throws LinuxException {
        SYS.fchownat(AT_FDCWD, abs(b(rel)), uid, gid, AT_SYMLINK_NOFOLLOW);
        return this;
    }

    FileStat stat(String rel) throws LinuxException { return SYS.fstatat(AT_FDCWD, abs(b(rel)), AT_SYMLINK_NOFOLLOW); }

    static String sha256(String content) { return sha256(b(content)); }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
