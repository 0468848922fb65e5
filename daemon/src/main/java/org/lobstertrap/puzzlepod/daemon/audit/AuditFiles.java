package org.lobstertrap.puzzlepod.daemon.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names and order of the files in a log directory: {@code audit-<n>.ndjson}, n = 1, 2, … */
final class AuditFiles {
    private static final Pattern NAME = Pattern.compile("audit-([1-9][0-9]{0,17})\\.ndjson");

    private AuditFiles() {}

    /** One log file and its number in the chain. */
    record LogFile(long number, Path path) {}

    static String name(long number) {
        return "audit-" + number + ".ndjson";
    }

    /** The log files of dir in chain order (by number, not by name). Empty if dir does not exist. */
    static List<LogFile> list(Path dir) throws IOException {
        List<LogFile> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) return files;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) files.add(new LogFile(Long.parseLong(m.group(1)), p));
            }
        }
        files.sort(Comparator.comparingLong(LogFile::number));
        return files;
    }
}
