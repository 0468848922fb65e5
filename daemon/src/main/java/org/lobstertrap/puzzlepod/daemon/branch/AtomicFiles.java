package org.lobstertrap.puzzlepod.daemon.branch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadLocalRandom;

/** Crash-safe small-file writes: after a crash a reader sees either the old content or the new, never a mix. */
public final class AtomicFiles {
    /** Suffix of the temporary files a write leaves behind if it crashes; recovery removes them. */
    static final String TEMP_MARK = ".tmp-";

    private AtomicFiles() {}

    /** Writes {@code content} to {@code target}: temp file in the same dir, fsync, rename over, fsync the dir. */
    public static void write(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        Path tmp = dir.resolve(target.getFileName() + TEMP_MARK + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDir(dir);
    }

    /** fsync(2) on a directory, so that entries created, renamed or removed in it are durable. */
    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static boolean isTemp(String name) { return name.contains(TEMP_MARK); }
}
