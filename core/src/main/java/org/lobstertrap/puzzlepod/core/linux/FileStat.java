package org.lobstertrap.puzzlepod.core.linux;

/** The fields of {@code struct stat} the product uses. Times are seconds + nanoseconds. */
public record FileStat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
                       long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec, long ctimeSec, long ctimeNsec) {
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000,
            S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;

    public int type() { return mode & S_IFMT; }
    public int permissions() { return mode & 07777; }
    public boolean isRegular() { return type() == S_IFREG; }
    public boolean isDirectory() { return type() == S_IFDIR; }
    public boolean isSymlink() { return type() == S_IFLNK; }
    public boolean isCharDevice() { return type() == S_IFCHR; }
    public boolean isBlockDevice() { return type() == S_IFBLK; }
    public boolean isFifo() { return type() == S_IFIFO; }
    public boolean isSocket() { return type() == S_IFSOCK; }
    /** Linux {@code major()} of {@link #rdev()}. */
    public int rdevMajor() { return (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL)); }
    /** Linux {@code minor()} of {@link #rdev()}. */
    public int rdevMinor() { return (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL)); }
    /** An overlay whiteout: a character device 0:0. */
    public boolean isWhiteout() { return isCharDevice() && rdev == 0; }
}
