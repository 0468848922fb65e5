package org.lobstertrap.puzzlepod.bench;

import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.daemon.audit.AuditKey;
import org.lobstertrap.puzzlepod.daemon.audit.AuditLog;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Durable audit appends per second ({@link AuditLog#append}: canonical JSON, HMAC chain, one write(2) and
 * fdatasync per record) against the floor for the same durability: a plain loop of
 * {@code FileChannel.write} + {@code force(false)} over exactly the same record lines. Rounds of the two are
 * interleaved (alternating which goes first) in one run and their medians compared.
 *
 * <p>Arguments: {@code [work directory (default: java.io.tmpdir)] [records per round (default 2000)] [rounds (default 7)]}.
 * The work directory should be on the file system the log would use: fdatasync is most of the cost.
 */
public final class AuditBenchmark {
    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "audit-bench");
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        try {
            byte[] keyBytes = new byte[AuditKey.SIZE];
            new SecureRandom().nextBytes(keyBytes);
            AuditKey key = AuditKey.of(keyBytes);
            System.out.printf("audit benchmark: %d records per round, %d rounds, in %s (%s)%n", records, rounds, root,
                    Files.getFileStore(root).type());
            // warm-up (JIT), and the lines the reference loop writes
            timeAudit(key, root.resolve("warm-audit"), records);
            List<byte[]> lines = lines(root.resolve("warm-audit").resolve("audit-1.ndjson"));
            timePlain(lines, root.resolve("warm-plain"));
            timeRaw(lines, root.resolve("warm-raw"));
            long[] audit = new long[rounds], plain = new long[rounds], raw = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                if (i % 2 == 0) {
                    audit[i] = timeAudit(key, root.resolve("audit-" + i), records);
                    plain[i] = timePlain(lines, root.resolve("plain-" + i));
                    raw[i] = timeRaw(lines, root.resolve("raw-" + i));
                } else {
                    raw[i] = timeRaw(lines, root.resolve("raw-" + i));
                    plain[i] = timePlain(lines, root.resolve("plain-" + i));
                    audit[i] = timeAudit(key, root.resolve("audit-" + i), records);
                }
            }
            double a = records / (median(audit) / 1e9), p = records / (median(plain) / 1e9);
            System.out.printf("AuditLog.append (HMAC chain, write + fdatasync): %.0f appends/s  rounds (ms) %s%n", a, ms(audit));
            System.out.printf("FileChannel.write + force(false) (reference):    %.0f writes/s   rounds (ms) %s%n", p, ms(plain));
            double w = records / (median(raw) / 1e9);
            System.out.printf("write(2) + fdatasync via FFM, same lines:        %.0f writes/s   rounds (ms) %s%n", w, ms(raw));
            System.out.printf("ratio audit / reference throughput: %.2fx%n", a / p);
        } finally {
            new ProcessBuilder("rm", "-rf", "--", root.toString()).inheritIO().start().waitFor();
        }
    }

    private static long timeAudit(AuditKey key, Path dir, int records) throws IOException {
        long t0 = System.nanoTime();
        try (AuditLog log = AuditLog.open(dir, key)) {
            for (int i = 0; i < records; i++) {
                log.append("seccomp.decision", "branch-" + (i % 16), 1000L,
                        Map.of("syscall", "openat", "path", "/workspace/src/module-" + i + "/File.java", "allowed", i % 7 != 0));
            }
        }
        return System.nanoTime() - t0;
    }

    private static long timePlain(List<byte[]> lines, Path dir) throws IOException {
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(dir.resolve("plain.ndjson"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (byte[] line : lines) {
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) ch.write(b);
                ch.force(false);
            }
        }
        return System.nanoTime() - t0;
    }

    /** The same lines through the product's FFM layer with no audit logic: separates JSON/HMAC cost from I/O path cost. */
    private static long timeRaw(List<byte[]> lines, Path dir) throws IOException {
        Files.createDirectories(dir);
        FileSyscalls sys = FileSyscalls.linux();
        long t0 = System.nanoTime();
        int fd = sys.open(dir.resolve("raw.ndjson").toString().getBytes(StandardCharsets.UTF_8),
                FileSyscalls.O_WRONLY | FileSyscalls.O_CREAT | FileSyscalls.O_EXCL | FileSyscalls.O_APPEND | FileSyscalls.O_CLOEXEC, 0600);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(1 << 16);
            for (byte[] line : lines) {
                MemorySegment.copy(line, 0, buf, ValueLayout.JAVA_BYTE, 0, line.length);
                sys.write(fd, buf, line.length);
                sys.fdatasync(fd);
            }
        } finally {
            sys.close(fd);
        }
        return System.nanoTime() - t0;
    }

    private static List<byte[]> lines(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(Arrays.copyOfRange(all, start, i + 1));
                start = i + 1;
            }
        }
        return out;
    }

    private static String ms(long[] nanos) {
        return Arrays.toString(Arrays.stream(nanos).map(n -> n / 1_000_000).toArray());
    }

    private static double median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
