package org.lobstertrap.puzzlepod.daemon.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The append-only, HMAC-chained audit log of one directory.
 *
 * <p>Every {@link #append} writes the whole record line with one write(2) on an O_APPEND descriptor and
 * fdatasync's it before returning, under a lock, so records are durable and never interleave. A failed
 * write is truncated away again, so the log on disk always ends with a complete, valid record.
 * {@link #open} repairs a torn last line left by a crash (and records an {@code audit.repaired} event);
 * it refuses to continue any other break in the chain.
 */
public final class AuditLog implements AutoCloseable {
    /** Default size at which a new file is started. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;
    /** Largest record line accepted. */
    public static final int MAX_RECORD_BYTES = 8 << 20;
    /** Event type written after a torn last line was cut off on open. */
    public static final String REPAIRED = "audit.repaired";

    private static final long MAX_KEPT_BUFFER = 1 << 20;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PREV_KEY = ",\"prev\":\"".getBytes(StandardCharsets.US_ASCII);

    private final FileSyscalls sys = FileSyscalls.linux();
    private final ReentrantLock lock = new ReentrantLock();
    private final Path dir;
    private final AuditKey key;
    private final Clock clock;
    private final long maxFileBytes;

    private long fileNumber;
    private Mac fileMac;
    /** Native copy of the line being written; reused (appends are serialised), grown on demand. */
    private MemorySegment buffer = Arena.ofAuto().allocate(64 * 1024);
    private int fd = -1;
    private long size;
    private long nextSeq;
    private String lastMac;
    private boolean broken;

    private AuditLog(Path dir, AuditKey key, Clock clock, long maxFileBytes) {
        this.dir = dir;
        this.key = key;
        this.clock = clock;
        this.maxFileBytes = maxFileBytes;
    }

    /** Opens the log in dir with default rotation size and the system clock, creating dir if needed. */
    public static AuditLog open(Path dir, AuditKey key) throws AuditException {
        return open(dir, key, Clock.systemUTC(), DEFAULT_MAX_FILE_BYTES);
    }

    /** Opens the log in dir, creating dir (mode 0700) if needed and repairing a torn last line. */
    public static AuditLog open(Path dir, AuditKey key, Clock clock, long maxFileBytes) throws AuditException {
        if (maxFileBytes < 1) throw new IllegalArgumentException("maxFileBytes must be positive");
        AuditLog log = new AuditLog(dir, key, clock, maxFileBytes);
        log.recover();
        return log;
    }

    private void recover() throws AuditException {
        List<AuditFiles.LogFile> files;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            files = AuditFiles.list(dir);
        } catch (IOException e) {
            throw new AuditException(AuditException.Code.IO, "cannot read audit directory " + dir + ": " + e.getMessage(), 0, e);
        }
        if (files.isEmpty()) {
            nextSeq = 1;
            lastMac = RecordCodec.GENESIS;
            openFile(1, true);
            return;
        }
        AuditFiles.LogFile last = files.getLast();
        ChainWalker walker = files.size() == 1
                ? new ChainWalker(key, 1, RecordCodec.GENESIS)
                : seedFrom(files.get(files.size() - 2));
        AuditFailure failure;
        try {
            failure = walker.walk(last);
        } catch (IOException e) {
            throw new AuditException(AuditException.Code.IO, "cannot read " + last.path() + ": " + e.getMessage(), 0, e);
        }
        nextSeq = walker.nextSeq();
        lastMac = walker.lastMac();
        if (failure != null && failure.reason() != AuditFailure.Reason.TORN_LINE) {
            throw new AuditException(AuditException.Code.CHAIN_BROKEN, "audit log is broken at " + failure
                    + "; refusing to append to it (move the directory aside after checking it with the verifier)");
        }
        openFile(last.number(), false);
        if (failure != null) {
            long torn = walker.tornOffset();
            long dropped = size - torn;
            try {
                sys.ftruncate(fd, torn);
                sys.fsync(fd);
            } catch (LinuxException e) {
                throw new AuditException(AuditException.Code.IO, "cannot repair torn line: " + e.getMessage(), e.errno(), e);
            }
            size = torn;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("file", last.path().getFileName().toString());
            data.put("line", failure.line());
            data.put("offset", torn);
            data.put("dropped_bytes", dropped);
            append(REPAIRED, null, null, data);
        }
    }

    /** The state after the last record of a full (earlier) file; that file must end cleanly. */
    private ChainWalker seedFrom(AuditFiles.LogFile previous) throws AuditException {
        try (LineReader reader = new LineReader(previous.path())) {
            LineReader.Line line, lastLine = null;
            while ((line = reader.next()) != null) lastLine = line;
            if (lastLine == null) {
                throw new AuditException(AuditException.Code.CHAIN_BROKEN, "audit file " + previous.path() + " is empty but a later file exists");
            }
            if (!lastLine.complete()) {
                throw new AuditException(AuditException.Code.CHAIN_BROKEN, "audit file " + previous.path() + " ends in a torn line " + lastLine.number());
            }
            ObjectNode o = RecordCodec.parse(lastLine.bytes());
            String mac = o.get("mac").textValue();
            if (!AuditKey.macEquals(mac, RecordCodec.expectedMac(key.fileKey(previous.number()), o))) {
                throw new AuditException(AuditException.Code.CHAIN_BROKEN, previous.path() + ":" + lastLine.number() + ": bad mac");
            }
            return new ChainWalker(key, o.get("seq").longValue() + 1, mac);
        } catch (RecordCodec.Unparsable e) {
            throw new AuditException(AuditException.Code.CHAIN_BROKEN, "last record of " + previous.path() + " is unparsable: " + e.getMessage());
        } catch (IOException e) {
            if (e instanceof AuditException ae) throw ae;
            throw new AuditException(AuditException.Code.IO, "cannot read " + previous.path() + ": " + e.getMessage(), 0, e);
        }
    }

    private void openFile(long number, boolean create) throws AuditException {
        Path path = dir.resolve(AuditFiles.name(number));
        int flags = FileSyscalls.O_WRONLY | FileSyscalls.O_APPEND | FileSyscalls.O_CLOEXEC | FileSyscalls.O_NOFOLLOW
                | (create ? FileSyscalls.O_CREAT | FileSyscalls.O_EXCL : 0);
        int newFd = -1;
        try {
            newFd = sys.open(bytes(path), flags, 0600);
            long newSize = sys.fstat(newFd).size();
            if (create) syncDir();
            if (fd >= 0) sys.close(fd);
            fd = newFd;
            size = newSize;
            fileNumber = number;
            fileMac = key.newMac(number);
        } catch (LinuxException e) {
            if (newFd >= 0 && newFd != fd) {
                try {
                    sys.close(newFd);
                    // A new file that could not be made durable is removed so the next attempt can create it again.
                    if (create) sys.unlinkat(FileSyscalls.AT_FDCWD, bytes(path), 0);
                } catch (LinuxException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new AuditException(AuditException.Code.IO, "cannot open audit file: " + e.getMessage(), e.errno(), e);
        }
    }

    private void syncDir() throws LinuxException {
        int dfd = sys.open(bytes(dir), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC, 0);
        try {
            sys.fsync(dfd);
        } finally {
            sys.close(dfd);
        }
    }

    /**
     * Appends one record and returns it once it is on stable storage.
     *
     * @param type   event type: lower-case dotted words, e.g. {@code branch.committed}
     * @param branch the branch concerned, or null
     * @param uid    the user concerned, or null
     * @param data   details; any value Jackson can turn into JSON without floating-point numbers; null = {}
     * @throws AuditException BAD_RECORD for an invalid record, IO (with errno, e.g. ENOSPC) when the write
     *                        failed — then nothing was added and the log is still valid
     */
    public AuditRecord append(String type, String branch, Long uid, Object data) throws AuditException {
        if (type == null || !RecordCodec.TYPE.matcher(type).matches()) {
            throw new AuditException(AuditException.Code.BAD_RECORD, "audit event type must be dotted lower-case words like branch.committed, got " + type);
        }
        JsonNode dataNode;
        try {
            dataNode = data == null ? RecordCodec.MAPPER.createObjectNode() : RecordCodec.MAPPER.valueToTree(data);
        } catch (IllegalArgumentException e) {
            throw new AuditException(AuditException.Code.BAD_RECORD, "audit data cannot be turned into JSON: " + e.getMessage(), 0, e);
        }
        if (!dataNode.isObject()) throw new AuditException(AuditException.Code.BAD_RECORD, "audit data must be a JSON object, got " + dataNode.getNodeType());
        lock.lock();
        try {
            if (fd < 0 && !broken) throw new AuditException(AuditException.Code.CLOSED, "audit log " + dir + " is closed");
            if (broken) throw new AuditException(AuditException.Code.CHAIN_BROKEN, "audit log " + dir + " could not undo a failed write; reopen it to repair");
            if (size >= maxFileBytes) openFile(fileNumber + 1, true);
            Instant now = clock.instant();
            ObjectNode record = RecordCodec.unsigned(nextSeq, now, type, branch, uid, dataNode, lastMac);
            byte[] unsigned;
            try {
                unsigned = CanonicalJson.bytes(record);
            } catch (IllegalArgumentException e) {
                throw new AuditException(AuditException.Code.BAD_RECORD, e.getMessage());
            }
            String mac = HEX.formatHex(fileMac.doFinal(unsigned));
            byte[] body = withMac(unsigned, mac);
            if (body.length + 1 > MAX_RECORD_BYTES) {
                throw new AuditException(AuditException.Code.BAD_RECORD, "audit record of " + (body.length + 1) + " bytes exceeds the limit of " + MAX_RECORD_BYTES);
            }
            writeLine(body);
            AuditRecord written = new AuditRecord(nextSeq, now, type, branch, uid, dataNode, lastMac, mac);
            nextSeq++;
            lastMac = mac;
            return written;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The canonical line with {@code "mac"} added. Keys are sorted, so "mac" goes right before the top-level
     * "prev"; that is the last {@code ,"prev":"} in the line, as only seq, time, type and uid follow it and
     * none of them can hold that text. Saves serialising the record twice.
     */
    static byte[] withMac(byte[] unsigned, String mac) {
        int at = lastIndexOf(unsigned, PREV_KEY);
        byte[] insert = (",\"mac\":\"" + mac + "\"").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[unsigned.length + insert.length];
        System.arraycopy(unsigned, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(unsigned, at, out, at + insert.length, unsigned.length - at);
        return out;
    }

    private static int lastIndexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = hay.length - needle.length; i >= 0; i--) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        throw new IllegalStateException("record has no prev field");
    }

    private void writeLine(byte[] body) throws AuditException {
        long len = body.length + 1L;
        if (buffer.byteSize() < len && len <= MAX_KEPT_BUFFER) buffer = Arena.ofAuto().allocate(Math.max(len, buffer.byteSize() * 2));
        {
            // Rare huge records get a buffer of their own that the GC reclaims.
            MemorySegment buf = buffer.byteSize() >= len ? buffer : Arena.ofAuto().allocate(len);
            MemorySegment.copy(body, 0, buf, ValueLayout.JAVA_BYTE, 0, body.length);
            buf.set(ValueLayout.JAVA_BYTE, body.length, (byte) '\n');
            try {
                long done = 0;
                // One write(2) normally takes the whole line; a regular file only writes short when it fills up.
                while (done < len) {
                    long n = sys.write(fd, buf.asSlice(done), len - done);
                    if (n <= 0) throw new LinuxException("write", AuditFiles.name(fileNumber), org.lobstertrap.puzzlepod.core.linux.Errno.EIO);
                    done += n;
                }
                sys.fdatasync(fd);
            } catch (LinuxException e) {
                undo(e);
                throw new AuditException(AuditException.Code.IO, "audit record not written to " + dir.resolve(AuditFiles.name(fileNumber))
                        + ": " + e.getMessage(), e.errno(), e);
            }
            size += len;
        }
    }

    /** Cuts a partly written line off again so the file ends with a complete record. */
    private void undo(LinuxException cause) {
        try {
            sys.ftruncate(fd, size);
            sys.fdatasync(fd);
        } catch (LinuxException e) {
            cause.addSuppressed(e);
            broken = true;
        }
    }

    /** The directory this log writes to. */
    public Path directory() { return dir; }

    /** The sequence number the next record will get. */
    public long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws AuditException {
        lock.lock();
        try {
            if (fd >= 0) {
                int f = fd;
                fd = -1;
                sys.close(f);
            }
        } catch (LinuxException e) {
            throw new AuditException(AuditException.Code.IO, "closing audit log: " + e.getMessage(), e.errno(), e);
        } finally {
            lock.unlock();
        }
    }

    private static byte[] bytes(Path p) {
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }
}
