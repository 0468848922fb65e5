package org.lobstertrap.puzzlepod.daemon.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A filter over the records of a log directory, read lazily file by file in chain order.
 * It does not check MACs (that is {@link AuditVerifier}'s job); it skips a torn last line and lines that
 * are not records, so one damaged line does not hide the rest of the log.
 *
 * @param branch only records of this branch (null = any)
 * @param types  only these event types (empty = any)
 * @param from   only records at or after this time (null = no lower bound)
 * @param to     only records before this time (null = no upper bound)
 * @param limit  at most this many records (0 = no limit)
 */
public record AuditQuery(String branch, Set<String> types, Instant from, Instant to, long limit) {
    public AuditQuery {
        types = types == null ? Set.of() : Set.copyOf(types);
        if (limit < 0) throw new IllegalArgumentException("limit must not be negative: " + limit);
        if (from != null && to != null && to.isBefore(from)) throw new IllegalArgumentException("time range ends (" + to + ") before it starts (" + from + ")");
    }

    /** Matches every record. */
    public static AuditQuery all() { return new AuditQuery(null, Set.of(), null, null, 0); }

    public AuditQuery withBranch(String b) { return new AuditQuery(b, types, from, to, limit); }
    public AuditQuery withTypes(Set<String> t) { return new AuditQuery(branch, t, from, to, limit); }
    public AuditQuery withRange(Instant f, Instant t) { return new AuditQuery(branch, types, f, t, limit); }
    public AuditQuery withLimit(long l) { return new AuditQuery(branch, types, from, to, l); }

    /** Whether one record passes the filter (the limit aside). */
    public boolean matches(AuditRecord r) {
        if (branch != null && !branch.equals(r.branch())) return false;
        if (!types.isEmpty() && !types.contains(r.type())) return false;
        if (from != null && r.time().isBefore(from)) return false;
        return to == null || r.time().isBefore(to);
    }

    /**
     * The matching records of dir, oldest first. Close the stream (try-with-resources) to release the
     * open file; read errors surface as {@link UncheckedIOException}.
     */
    public Stream<AuditRecord> run(Path dir) throws IOException {
        RecordIterator it = new RecordIterator(AuditFiles.list(dir));
        Stream<AuditRecord> s = StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .filter(this::matches)
                .onClose(it::close);
        return limit > 0 ? s.limit(limit) : s;
    }

    private static final class RecordIterator implements Iterator<AuditRecord> {
        private final List<AuditFiles.LogFile> files;
        private int index;
        private LineReader reader;
        private AuditRecord next;

        RecordIterator(List<AuditFiles.LogFile> files) {
            this.files = files;
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null) {
                    if (reader == null) {
                        if (index == files.size()) return false;
                        reader = new LineReader(files.get(index++).path());
                    }
                    LineReader.Line line = reader.next();
                    if (line == null) {
                        reader.close();
                        reader = null;
                        continue;
                    }
                    if (!line.complete()) continue;
                    try {
                        next = RecordCodec.toRecord(RecordCodec.parse(line.bytes()));
                    } catch (RecordCodec.Unparsable ignored) {
                        // skipped on purpose: see the class comment
                    }
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public AuditRecord next() {
            if (!hasNext()) throw new NoSuchElementException();
            AuditRecord r = next;
            next = null;
            return r;
        }

        void close() {
            try {
                if (reader != null) reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
