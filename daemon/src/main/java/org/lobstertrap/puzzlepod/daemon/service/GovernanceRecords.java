package org.lobstertrap.puzzlepod.daemon.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.lobstertrap.puzzlepod.core.branch.BranchId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The governance records of all branches, one JSON file per branch ({@code <dir>/<id>.json}), each written
 * atomically (temp file, fsync, rename, fsync of the dir). They live beside the branch dirs rather than in
 * them because a commit or rollback retires a branch dir at once, and the last decision must outlive it.
 */
final class GovernanceRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(GovernanceRecords.class.getName());
    private final Path dir;

    GovernanceRecords(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // temp files of writes cut short by a crash
        try (var s = Files.newDirectoryStream(dir, "*.tmp-*")) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }

    /** The record of a branch, or null when there is none (or it is unreadable: then the defaults apply). */
    GovernanceRecord read(BranchId id) {
        Path f = dir.resolve(id.value() + ".json");
        try {
            return GovernanceRecord.fromJson(JSON.readTree(Files.readAllBytes(f)));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "governance record " + f + " is unreadable: " + e.getMessage());
            return null;
        }
    }

    void write(BranchId id, GovernanceRecord r) {
        Path target = dir.resolve(id.value() + ".json");
        Path tmp = dir.resolve(id.value() + ".json.tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(r.toJson().toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error is the one to report
            }
            throw new UncheckedIOException("cannot write governance record of branch " + id + ": " + e.getMessage(), e);
        }
    }
}
