package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.core.linux.DirEntry;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * How an overlay implementation records its bookkeeping in the upper directory.
 * <ul>
 *   <li>{@link #TRUSTED_XATTR}: kernel overlayfs, {@code trusted.overlay.*} xattrs (the default when
 *       mounted by root, e.g. by podman's {@code :O} volumes);</li>
 *   <li>{@link #USER_XATTR}: kernel overlayfs mounted with {@code -o userxattr}, {@code user.overlay.*};</li>
 *   <li>{@link #FUSE}: fuse-overlayfs, {@code user.fuseoverlayfs.*} xattrs (as root it also writes
 *       {@code trusted.overlay.opaque}), whiteouts as char 0:0 or {@code .wh.NAME} files, opaque
 *       markers {@code .wh..wh..opq} and {@code .wh..opq}.</li>
 * </ul>
 * All three use a character device 0:0 as a whiteout.
 */
public enum OverlayFlavor {
    TRUSTED_XATTR("trusted.overlay."),
    USER_XATTR("user.overlay."),
    FUSE("user.fuseoverlayfs.");

    static final byte[] WHITEOUT_PREFIX = ".wh.".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OPAQUE_MARKER = ".wh..wh..opq".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OPAQUE_MARKER_SHORT = ".wh..opq".getBytes(StandardCharsets.US_ASCII);

    private final String prefix;

    OverlayFlavor(String prefix) { this.prefix = prefix; }

    /** The xattr name prefix this flavour writes, e.g. {@code "trusted.overlay."}. */
    public String xattrPrefix() { return prefix; }

    /** The xattr that marks an opaque directory (value {@code "y"}). */
    public String opaqueXattr() { return prefix + "opaque"; }

    /** True for kernel overlayfs, which may write redirect and metacopy xattrs. */
    public boolean isKernel() { return this != FUSE; }

    /** True when this flavour may spell whiteouts and opaque markers as {@code .wh.} files. */
    public boolean usesWhiteoutFiles() { return this == FUSE; }

    /**
     * Guesses the flavour from what an upper directory holds: {@code .wh.} names or
     * {@code user.fuseoverlayfs.*} xattrs mean FUSE, {@code user.overlay.*} means USER_XATTR, anything
     * else TRUSTED_XATTR. Looks at directories only (at most {@code 4096} of them), where every flavour
     * leaves its marks (opaque, origin, markers). The caller normally knows the flavour; this is a
     * fallback for upper directories of unknown origin.
     *
     * @param upper absolute path of the upper directory
     */
    public static OverlayFlavor detect(FileSyscalls sys, byte[] upper) throws LinuxException {
        int root = sys.open(upper, FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC, 0);
        try {
            ArrayDeque<byte[]> pending = new ArrayDeque<>();
            pending.add(new byte[0]);
            int budget = 4096;
            while (!pending.isEmpty() && budget-- > 0) {
                byte[] rel = pending.poll();
                int fd = rel.length == 0
                        ? sys.openat(root, new byte[] {'.'}, FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC, 0)
                        : sys.openat2(root, rel, FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_NOFOLLOW
                                | FileSyscalls.O_CLOEXEC, 0, FileSyscalls.RESOLVE_BENEATH | FileSyscalls.RESOLVE_NO_SYMLINKS);
                try {
                    for (String x : sys.flistxattr(fd)) {
                        if (x.startsWith(FUSE.prefix)) return FUSE;
                        if (x.startsWith(USER_XATTR.prefix)) return USER_XATTR;
                    }
                    List<DirEntry> entries = sys.readdir(fd);
                    for (DirEntry e : entries) {
                        if (startsWith(e.name(), WHITEOUT_PREFIX)) return FUSE;
                        if (e.type() == DirEntry.DT_DIR) pending.add(join(rel, e.name()));
                    }
                } finally {
                    sys.close(fd);
                }
            }
            return TRUSTED_XATTR;
        } finally {
            sys.close(root);
        }
    }

    static boolean startsWith(byte[] name, byte[] prefix) {
        return name.length >= prefix.length && Arrays.equals(name, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] join(byte[] parent, byte[] name) {
        if (parent.length == 0) return name;
        byte[] out = Arrays.copyOf(parent, parent.length + 1 + name.length);
        out[parent.length] = '/';
        System.arraycopy(name, 0, out, parent.length + 1, name.length);
        return out;
    }
}
