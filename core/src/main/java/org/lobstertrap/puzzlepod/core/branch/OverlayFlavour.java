package org.lobstertrap.puzzlepod.core.branch;

/**
 * How a branch's overlay is mounted, which decides where overlay metadata lives: the kernel overlay
 * keeps it in {@code trusted.overlay.*} xattrs, with {@code userxattr} in {@code user.overlay.*}
 * (unprivileged mounts), fuse-overlayfs in its own {@code user.fuseoverlayfs.*} attributes.
 */
public enum OverlayFlavour {
    KERNEL("kernel"),
    KERNEL_USERXATTR("kernel-userxattr"),
    FUSE("fuse");

    private final String wire;

    OverlayFlavour(String wire) { this.wire = wire; }

    /** The one spelling used on the wire. */
    public String wire() { return wire; }

    /** The flavour spelled {@code wire}; throws {@link BranchException} (code "invalid-overlay-flavour") otherwise. */
    public static OverlayFlavour fromWire(String wire) {
        for (OverlayFlavour f : values()) if (f.wire.equals(wire)) return f;
        throw new BranchException("invalid-overlay-flavour",
                "unknown overlay flavour \"" + wire + "\"; known: kernel, kernel-userxattr, fuse");
    }

    @Override public String toString() { return wire; }
}
