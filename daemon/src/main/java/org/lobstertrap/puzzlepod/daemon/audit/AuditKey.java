package org.lobstertrap.puzzlepod.daemon.audit;

import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The audit log's 32-byte master key, kept in a file of mode 0600 (created on first use), and the
 * per-file MAC keys derived from it with HKDF-SHA256 (RFC 5869), so every log file has its own key.
 */
public final class AuditKey {
    /** Size of the master key in bytes. */
    public static final int SIZE = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] master;

    private AuditKey(byte[] master) {
        this.master = master;
    }

    /** A key from raw bytes (tests, tools). */
    public static AuditKey of(byte[] master) {
        if (master.length != SIZE) throw new IllegalArgumentException("audit key must be " + SIZE + " bytes, got " + master.length);
        return new AuditKey(master.clone());
    }

    /** The default key file for a log directory: {@code audit.key} beside it. */
    public static Path defaultFile(Path logDir) {
        Path abs = logDir.toAbsolutePath();
        return (abs.getParent() == null ? abs : abs.getParent()).resolve("audit.key");
    }

    /** Reads the key file, or creates it (O_EXCL, mode 0600, fsync'd) with fresh random bytes if absent. */
    public static AuditKey loadOrCreate(Path file) throws AuditException {
        FileSyscalls sys = FileSyscalls.linux();
        byte[] path = file.toString().getBytes(StandardCharsets.UTF_8);
        try {
            int fd = sys.open(path, FileSyscalls.O_WRONLY | FileSyscalls.O_CREAT | FileSyscalls.O_EXCL
                    | FileSyscalls.O_CLOEXEC | FileSyscalls.O_NOFOLLOW, 0600);
            byte[] fresh = new byte[SIZE];
            new SecureRandom().nextBytes(fresh);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(SIZE);
                MemorySegment.copy(fresh, 0, buf, ValueLayout.JAVA_BYTE, 0, SIZE);
                if (sys.write(fd, buf, SIZE) != SIZE) throw new AuditException(AuditException.Code.IO, "short write to audit key file " + file);
                sys.fsync(fd);
            } finally {
                sys.close(fd);
            }
            return new AuditKey(fresh);
        } catch (LinuxException e) {
            if (!e.is(Errno.EEXIST)) throw new AuditException(AuditException.Code.IO, "cannot create audit key file: " + e.getMessage(), e.errno(), e);
        }
        return load(file);
    }

    /** Reads an existing key file; refuses one of the wrong size or one that others may read or write. */
    public static AuditKey load(Path file) throws AuditException {
        FileSyscalls sys = FileSyscalls.linux();
        byte[] path = file.toString().getBytes(StandardCharsets.UTF_8);
        try {
            int fd = sys.open(path, FileSyscalls.O_RDONLY | FileSyscalls.O_CLOEXEC | FileSyscalls.O_NOFOLLOW, 0);
            try (Arena arena = Arena.ofConfined()) {
                FileStat st = sys.fstat(fd);
                if ((st.mode() & 077) != 0) {
                    throw new AuditException(AuditException.Code.BAD_KEY, "audit key file " + file + " has mode "
                            + Integer.toOctalString(st.mode() & 07777) + "; it must not be accessible to group or others (chmod 600)");
                }
                if (st.size() != SIZE) {
                    throw new AuditException(AuditException.Code.BAD_KEY, "audit key file " + file + " holds " + st.size() + " bytes, expected " + SIZE);
                }
                MemorySegment buf = arena.allocate(SIZE);
                long n = sys.read(fd, buf, SIZE);
                if (n != SIZE) throw new AuditException(AuditException.Code.BAD_KEY, "short read from audit key file " + file);
                return new AuditKey(buf.toArray(ValueLayout.JAVA_BYTE));
            } finally {
                sys.close(fd);
            }
        } catch (LinuxException e) {
            throw new AuditException(e.is(Errno.ENOENT) ? AuditException.Code.BAD_KEY : AuditException.Code.IO,
                    "cannot read audit key file: " + e.getMessage(), e.errno(), e);
        }
    }

    /** HKDF-SHA256 of the master key with info {@code "puzzlepod audit file <n>"}: the MAC key of file n. */
    byte[] fileKey(long fileNumber) {
        byte[] prk = hmac(new byte[32], master); // extract with an all-zero salt (RFC 5869 default)
        byte[] info = ("puzzlepod audit file " + fileNumber).getBytes(StandardCharsets.US_ASCII);
        byte[] t = Arrays.copyOf(info, info.length + 1);
        t[info.length] = 1; // one output block of 32 bytes is all we need
        return hmac(prk, t);
    }

    /** A ready HMAC-SHA256 instance keyed for file n (not thread-safe: one per writer). */
    Mac newMac(long fileNumber) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(fileKey(fileNumber), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Hex HMAC-SHA256 of data under a file key. */
    static String mac(byte[] fileKey, byte[] data) {
        return HEX.formatHex(hmac(fileKey, data));
    }

    static boolean macEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
