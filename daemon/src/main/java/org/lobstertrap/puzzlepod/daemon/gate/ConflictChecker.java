package org.lobstertrap.puzzlepod.daemon.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Finds what makes a branch's changeset stale before it is committed: another branch of the same base
 * that committed an overlapping path (the same path, an ancestor or a descendant) after this branch was
 * created, or is committing one right now; and base files this changeset replaces or deletes whose ctime
 * is newer than the branch (someone changed them under it).
 *
 * <p>Commits are remembered in a per-base log ({@code commits/<sha256 of base>.jsonl}, one fsync'd line per
 * commit) so that the check survives restarts. {@link #claim} checks and registers a commit in flight in one
 * step; {@link #finish} logs it once it is in the base. A line only matters to branches created before its
 * commit, so {@link #compactIfLarge} drops the lines older than the oldest live branch of the base: the log
 * stays as long as the live branches' history, not the machine's.
 */
public final class ConflictChecker {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(ConflictChecker.class.getName());

    private final Path logDir;
    private final FileSyscalls sys;
    private final Map<BranchId, InFlight> inFlight = new HashMap<>();
    /** Lines in each base's log as last read or written; compaction is only worth it past {@link #COMPACT_AFTER_LINES}. */
    private final Map<Path, Integer> logLines = new HashMap<>();

    /** A base's log is rewritten once it holds more lines than this. */
    public static final int COMPACT_AFTER_LINES = 256;

    private record InFlight(Path base, Set<String> paths) {}

    /** The reason a changeset is stale; null from {@link #claim} means none. */
    public record Conflict(String reason, String otherBranch) {}

    public ConflictChecker(Path logDir, FileSyscalls sys) throws IOException {
        this.logDir = logDir;
        this.sys = sys;
        Files.createDirectories(logDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Checks {@code changeset} of {@code branch}; when nothing conflicts, registers it as committing (so a
     * concurrent commit of an overlapping changeset conflicts) and returns null. Call {@link #finish} after.
     */
    public synchronized Conflict claim(BranchMetadata branch, Changeset changeset) throws IOException {
        Set<String> paths = new HashSet<>();
        for (Change c : changeset.changes()) paths.add(c.path().display());
        Overlap mine = new Overlap(paths);
        for (Map.Entry<BranchId, InFlight> e : inFlight.entrySet()) {
            if (e.getKey().equals(branch.id()) || !e.getValue().base().equals(branch.base())) continue;
            String hit = mine.firstOverlap(e.getValue().paths());
            if (hit != null) return new Conflict("branch " + e.getKey() + " is committing an overlapping path (" + hit + ")", e.getKey().value());
        }
        Conflict logged = checkLog(branch, mine);
        if (logged != null) return logged;
        Conflict changed = checkBase(branch, changeset);
        if (changed != null) return changed;
        inFlight.put(branch.id(), new InFlight(branch.base(), paths));
        return null;
    }

    /** Ends a claim; when {@code committed}, the paths go into the base's commit log first. */
    public synchronized void finish(BranchMetadata branch, boolean committed, Instant at) {
        InFlight f = inFlight.remove(branch.id());
        if (!committed || f == null) return;
        ObjectNode line = JSON.createObjectNode();
        line.put("branch", branch.id().value());
        line.put("committed_at", at.toString());
        ArrayNode arr = line.putArray("paths");
        f.paths().stream().sorted().forEach(arr::add);
        try (FileChannel ch = FileChannel.open(logFile(branch.base()), Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(false);
            logLines.merge(branch.base(), 1, Integer::sum);
        } catch (IOException e) {
            // the commit is done; losing its log line only weakens later conflict checks, which the log says
            LOG.log(System.Logger.Level.ERROR, "cannot record commit of branch " + branch.id() + " in the commit log: " + e.getMessage());
        }
    }

    private Conflict checkLog(BranchMetadata branch, Overlap mine) throws IOException {
        Path file = logFile(branch.base());
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        logLines.put(branch.base(), lines.size());
        for (String l : lines) {
            if (l.isBlank()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(l);
            } catch (IOException e) {
                continue; // a torn last line after a crash
            }
            Instant at;
            try {
                at = Instant.parse(n.path("committed_at").asText());
            } catch (RuntimeException e) {
                continue;
            }
            if (!at.isAfter(branch.created()) || branch.id().value().equals(n.path("branch").asText())) continue;
            Set<String> theirs = new HashSet<>();
            n.path("paths").forEach(p -> theirs.add(p.asText()));
            String hit = mine.firstOverlap(theirs);
            if (hit != null)
                return new Conflict("branch " + n.path("branch").asText() + " committed an overlapping path (" + hit + ") at " + at
                        + ", after this branch was created", n.path("branch").asText());
        }
        return null;
    }

    /**
     * Rewrites {@code base}'s log without the commits no live branch can conflict with, when it has grown past
     * {@link #COMPACT_AFTER_LINES}: those at or before {@code oldestLiveCreated} (null: no live branch, so
     * none is kept). A branch created later only compares against commits after its own creation, which are
     * kept. Crash-safe: the new log replaces the old by rename. Returns the number of lines dropped.
     */
    public synchronized int compactIfLarge(Path base, Instant oldestLiveCreated) throws IOException {
        if (logLines.getOrDefault(base, 0) <= COMPACT_AFTER_LINES) return 0;
        Path file = logFile(base);
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            logLines.remove(base);
            return 0;
        }
        StringBuilder kept = new StringBuilder();
        int keptLines = 0;
        for (String l : lines) {
            Instant at = committedAt(l);
            if (at == null || oldestLiveCreated == null || !at.isAfter(oldestLiveCreated)) continue;
            kept.append(l).append('\n');
            keptLines++;
        }
        org.lobstertrap.puzzlepod.daemon.branch.AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        logLines.put(base, keptLines);
        return lines.size() - keptLines;
    }

    private static Instant committedAt(String line) {
        if (line.isBlank()) return null;
        try {
            return Instant.parse(JSON.readTree(line).path("committed_at").asText());
        } catch (IOException | RuntimeException e) {
            return null; // a torn line: nothing to keep
        }
    }

    private Conflict checkBase(BranchMetadata branch, Changeset changeset) {
        byte[] base = branch.base().toString().getBytes(StandardCharsets.UTF_8);
        long createdSec = branch.created().getEpochSecond();
        int createdNano = branch.created().getNano();
        for (Change c : changeset.changes()) {
            // a directory's ctime moves whenever an entry in it changes: only deleted directories are compared
            if (c.directory() && c.kind() != ChangeKind.Deleted) continue;
            byte[] rel = c.path().bytes();
            byte[] full = new byte[base.length + 1 + rel.length];
            System.arraycopy(base, 0, full, 0, base.length);
            full[base.length] = '/';
            System.arraycopy(rel, 0, full, base.length + 1, rel.length);
            FileStat st;
            try {
                st = sys.fstatat(FileSyscalls.AT_FDCWD, full, FileSyscalls.AT_SYMLINK_NOFOLLOW);
            } catch (LinuxException e) {
                if (c.oldMode() != null && (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)))
                    return new Conflict(c.path().display() + " was removed from the base after this branch was created", null);
                continue;
            }
            if (c.oldMode() == null)
                return new Conflict(c.path().display() + " appeared in the base after this branch was created", null);
            if (st.ctimeSec() > createdSec || (st.ctimeSec() == createdSec && st.ctimeNsec() > createdNano))
                return new Conflict(c.path().display() + " changed in the base after this branch was created", null);
        }
        return null;
    }

    private Path logFile(Path base) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(base.toString().getBytes(StandardCharsets.UTF_8));
            return logDir.resolve(HexFormat.of().formatHex(h) + ".jsonl");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Overlap (same path, ancestor or descendant) of one path set with others, by '/'-separated components. */
    private static final class Overlap {
        private final Set<String> exact;
        private final Set<String> ancestors = new HashSet<>();

        Overlap(Set<String> paths) {
            this.exact = paths;
            for (String p : paths) for (int i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) ancestors.add(p.substring(0, i));
        }

        String firstOverlap(Set<String> other) {
            for (String q : other) {
                if (exact.contains(q) || ancestors.contains(q)) return q;
                for (int i = q.indexOf('/'); i >= 0; i = q.indexOf('/', i + 1)) if (exact.contains(q.substring(0, i))) return q;
            }
            return null;
        }
    }
}
