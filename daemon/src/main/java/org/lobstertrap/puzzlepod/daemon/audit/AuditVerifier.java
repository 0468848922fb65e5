package org.lobstertrap.puzzlepod.daemon.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Verifies a whole log directory: every file in order, every record's MAC, sequence number and link to
 * the record before it (across file boundaries), and that the last line is complete.
 */
public final class AuditVerifier {
    /** Exit status: the chain is intact. */
    public static final int EXIT_OK = 0;
    /** Exit status: a bad record was found. */
    public static final int EXIT_TAMPERED = 1;
    /** Exit status: the log could not be read. */
    public static final int EXIT_ERROR = 2;

    private final AuditKey key;

    public AuditVerifier(AuditKey key) {
        this.key = key;
    }

    /**
     * The outcome of a verification.
     *
     * @param records good records seen before the first failure (all of them when there is none)
     * @param files   log files looked at
     * @param failure the first bad record, if any
     */
    public record Report(long records, int files, Optional<AuditFailure> failure) {
        public boolean ok() { return failure.isEmpty(); }

        /** {@link #EXIT_OK} or {@link #EXIT_TAMPERED}, for a command-line tool. */
        public int exitStatus() { return ok() ? EXIT_OK : EXIT_TAMPERED; }

        @Override
        public String toString() {
            return failure.map(f -> "FAILED after " + records + " good records: " + f)
                    .orElse("OK: " + records + " records in " + files + " files");
        }
    }

    /** Verifies dir; an empty or absent directory is an intact (empty) log. */
    public Report verify(Path dir) throws IOException {
        List<AuditFiles.LogFile> files = AuditFiles.list(dir);
        ChainWalker walker = new ChainWalker(key, 1, RecordCodec.GENESIS);
        int seen = 0;
        for (AuditFiles.LogFile file : files) {
            seen++;
            AuditFailure failure = walker.walk(file);
            if (failure != null) return new Report(walker.records(), seen, Optional.of(failure));
        }
        return new Report(walker.records(), seen, Optional.empty());
    }

    /**
     * Command-line entry: {@code AuditVerifier LOG_DIR [KEY_FILE]}. Prints the report and exits 0 (intact),
     * 1 (bad record) or 2 (cannot read the log or key).
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: AuditVerifier LOG_DIR [KEY_FILE]");
            System.exit(EXIT_ERROR);
        }
        Path dir = Path.of(args[0]);
        try {
            AuditKey key = AuditKey.load(args.length == 2 ? Path.of(args[1]) : AuditKey.defaultFile(dir));
            Report report = new AuditVerifier(key).verify(dir);
            (report.ok() ? System.out : System.err).println(report);
            System.exit(report.exitStatus());
        } catch (IOException e) {
            System.err.println("cannot verify " + dir + ": " + e.getMessage());
            System.exit(EXIT_ERROR);
        }
    }
}
