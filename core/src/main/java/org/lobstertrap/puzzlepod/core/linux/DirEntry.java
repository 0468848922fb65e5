package org.lobstertrap.puzzlepod.core.linux;

/**
 * One entry of a directory as {@code getdents64} returns it. The name is raw bytes: Linux file names
 * need not be UTF-8, and a Java String would lose them. Never "." or "..".
 * {@code type} is the {@code d_type} value (DT_REG = 8, DT_DIR = 4, DT_LNK = 10, DT_CHR = 2, DT_BLK = 6,
 * DT_FIFO = 1, DT_SOCK = 12, DT_UNKNOWN = 0).
 */
public record DirEntry(byte[] name, int type, long ino) {
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8,
            DT_LNK = 10, DT_SOCK = 12;
}
