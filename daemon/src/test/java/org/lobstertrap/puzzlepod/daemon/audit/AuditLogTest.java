package org.lobstertrap.puzzlepod.daemon.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogTest {
    @TempDir
    Path tmp;
    Path dir;
    AuditKey key;

    @BeforeEach
    void setUp() throws Exception {
        dir = tmp.resolve("audit");
        key = AuditKey.loadOrCreate(AuditKey.defaultFile(dir));
    }

    private AuditLog open() throws AuditException {
        return AuditLog.open(dir, key, new StepClock(), AuditLog.DEFAULT_MAX_FILE_BYTES);
    }

    private void writeFive() throws AuditException {
        try (AuditLog log = open()) {
            for (int i = 1; i <= 5; i++) log.append("branch.created", "b" + i, 1000L, Map.of("i", i));
        }
    }

    private Path file1() { return dir.resolve("audit-1.ndjson"); }

    private List<String> lines(Path f) throws IOException { return Files.readAllLines(f, StandardCharsets.US_ASCII); }

    private void writeLines(Path f, List<String> lines) throws IOException {
        Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
    }

    private AuditFailure failureOf(Path d, AuditKey k) throws IOException {
        AuditVerifier.Report r = new AuditVerifier(k).verify(d);
        assertThat(r.ok()).as("verification should fail: %s", r).isFalse();
        assertThat(r.exitStatus()).isEqualTo(AuditVerifier.EXIT_TAMPERED);
        return r.failure().orElseThrow();
    }

    private AuditVerifier.Report verifyOk() throws IOException {
        AuditVerifier.Report r = new AuditVerifier(key).verify(dir);
        assertThat(r.failure()).as(r.toString()).isEmpty();
        assertThat(r.exitStatus()).isEqualTo(AuditVerifier.EXIT_OK);
        return r;
    }

    @Test
    void appendThenVerifyRoundTrip() throws Exception {
        AuditRecord first, second;
        try (AuditLog log = open()) {
            first = log.append("daemon.started", null, null, null);
            second = log.append("branch.committed", "b-1", 1000L, Map.of("files", 3, "path", "src/a.txt"));
        }
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prev()).isEqualTo("0".repeat(64));
        assertThat(second.prev()).isEqualTo(first.mac());
        assertThat(verifyOk().records()).isEqualTo(2);

        List<String> lines = lines(file1());
        assertThat(lines).hasSize(2);
        // Canonical JSON: sorted keys, no spaces, ns-precision UTC time.
        assertThat(lines.get(1)).startsWith("{\"branch\":\"b-1\",\"data\":{\"files\":3,\"path\":\"src/a.txt\"},\"mac\":\"" + second.mac()
                + "\",\"prev\":\"" + first.mac() + "\",\"seq\":2,\"time\":\"2026-01-01T00:00:01.000000008Z\",\"type\":\"branch.committed\",\"uid\":1000}");

        Path keyFile = tmp.resolve("audit.key");
        assertThat(Files.size(keyFile)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        // Loading again gives the same key (the log verifies with it).
        assertThat(new AuditVerifier(AuditKey.loadOrCreate(keyFile)).verify(dir).ok()).isTrue();

        try (var s = AuditQuery.all().run(dir)) {
            List<AuditRecord> all = s.toList();
            assertThat(all).extracting(AuditRecord::type).containsExactly("daemon.started", "branch.committed");
            assertThat(all.get(1).data().get("path").textValue()).isEqualTo("src/a.txt");
            assertThat(all.get(1).uid()).isEqualTo(1000L);
            assertThat(all.get(1).time()).isEqualTo(second.time());
        }
    }

    @Test
    void reopeningContinuesTheChain() throws Exception {
        writeFive();
        try (AuditLog log = open()) {
            assertThat(log.nextSeq()).isEqualTo(6);
            log.append("branch.rolled_back", "b1", 0L, Map.of());
        }
        assertThat(verifyOk().records()).isEqualTo(6);
    }

    @Test
    void editedFieldIsABadMacOnItsLine() throws Exception {
        writeFive();
        List<String> lines = new ArrayList<>(lines(file1()));
        lines.set(2, lines.get(2).replace("\"branch\":\"b3\"", "\"branch\":\"b9\""));
        writeLines(file1(), lines);
        AuditFailure f = failureOf(dir, key);
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.BAD_MAC);
        assertThat(f.line()).isEqualTo(3);
        assertThat(f.file()).isEqualTo(file1());
        assertThatThrownBy(this::open).isInstanceOfSatisfying(AuditException.class,
                e -> assertThat(e.code()).isEqualTo(AuditException.Code.CHAIN_BROKEN)).hasMessageContaining("BAD_MAC");
    }

    @Test
    void deletedLineBreaksThePrevLink() throws Exception {
        writeFive();
        List<String> lines = new ArrayList<>(lines(file1()));
        lines.remove(2);
        writeLines(file1(), lines);
        AuditFailure f = failureOf(dir, key);
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.BROKEN_PREV_LINK);
        assertThat(f.line()).isEqualTo(3);
    }

    @Test
    void swappedLinesBreakThePrevLink() throws Exception {
        writeFive();
        List<String> lines = new ArrayList<>(lines(file1()));
        String l2 = lines.get(1);
        lines.set(1, lines.get(2));
        lines.set(2, l2);
        writeLines(file1(), lines);
        AuditFailure f = failureOf(dir, key);
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.BROKEN_PREV_LINK);
        assertThat(f.line()).isEqualTo(2);
    }

    @Test
    void wrongSequenceNumberWithAValidMacIsABadSeq() throws Exception {
        writeFive();
        List<String> lines = new ArrayList<>(lines(file1()));
        ObjectNode second = RecordCodec.parse(lines.get(1).getBytes(StandardCharsets.US_ASCII));
        second.put("seq", 42);
        second.remove("mac");
        second.put("mac", RecordCodec.expectedMac(key.fileKey(1), second));
        lines.set(1, new String(CanonicalJson.bytes(second), StandardCharsets.US_ASCII));
        writeLines(file1(), lines);
        AuditFailure f = failureOf(dir, key);
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.BAD_SEQ);
        assertThat(f.line()).isEqualTo(2);
        assertThat(f.detail()).contains("seq 42, expected 2");
    }

    @Test
    void garbageLineIsUnparsable() throws Exception {
        writeFive();
        List<String> lines = new ArrayList<>(lines(file1()));
        lines.set(3, "{\"seq\":4,");
        writeLines(file1(), lines);
        AuditFailure f = failureOf(dir, key);
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.UNPARSABLE);
        assertThat(f.line()).isEqualTo(4);
        // Re-spaced but otherwise identical JSON is not canonical either.
        lines = new ArrayList<>(lines(file1()));
        lines.set(1, lines.get(1).replace(",", ", "));
        writeLines(file1(), lines);
        AuditFailure g = failureOf(dir, key);
        assertThat(g.reason()).isEqualTo(AuditFailure.Reason.UNPARSABLE);
        assertThat(g.line()).isEqualTo(2);
        assertThat(g.detail()).contains("canonical");
    }

    @Test
    void otherKeyFailsOnTheFirstRecord() throws Exception {
        writeFive();
        AuditFailure f = failureOf(dir, AuditKey.of(new byte[32]));
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.BAD_MAC);
        assertThat(f.line()).isEqualTo(1);
    }

    @Test
    void truncationMidLineIsATornLineThatOpenRepairs() throws Exception {
        writeFive();
        long size = Files.size(file1());
        try (var ch = java.nio.channels.FileChannel.open(file1(), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 40);
        }
        AuditFailure f = failureOf(dir, key);
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.TORN_LINE);
        assertThat(f.line()).isEqualTo(5);

        // The query skips the torn line and still returns the complete records.
        try (var s = AuditQuery.all().run(dir)) {
            assertThat(s.count()).isEqualTo(4);
        }

        try (AuditLog log = open()) {
            log.append("branch.created", "b6", 1L, Map.of());
        }
        AuditVerifier.Report r = verifyOk();
        assertThat(r.records()).isEqualTo(6);
        List<String> lines = lines(file1());
        assertThat(lines).hasSize(6);
        ObjectNode repaired = RecordCodec.parse(lines.get(4).getBytes(StandardCharsets.US_ASCII));
        assertThat(repaired.get("type").textValue()).isEqualTo(AuditLog.REPAIRED);
        assertThat(repaired.get("seq").longValue()).isEqualTo(5);
        assertThat(repaired.get("data").get("line").longValue()).isEqualTo(5);
        assertThat(repaired.get("data").get("dropped_bytes").longValue()).isGreaterThan(0);
    }

    @Test
    void rotationKeepsTheChainAcrossFiles() throws Exception {
        try (AuditLog log = AuditLog.open(dir, key, new StepClock(), 2000)) {
            for (int i = 0; i < 40; i++) log.append("seccomp.decision", "b" + (i % 3), 0L, Map.of("syscall", "openat", "n", i));
        }
        List<AuditFiles.LogFile> files = AuditFiles.list(dir);
        assertThat(files.size()).isGreaterThan(3);
        for (AuditFiles.LogFile file : files.subList(0, files.size() - 1)) {
            assertThat(Files.size(file.path())).isGreaterThanOrEqualTo(2000).isLessThan(2000 + 1000);
        }
        List<String> first = lines(files.get(0).path());
        List<String> second = lines(files.get(1).path());
        String lastMac = RecordCodec.parse(first.getLast().getBytes(StandardCharsets.US_ASCII)).get("mac").textValue();
        assertThat(RecordCodec.parse(second.getFirst().getBytes(StandardCharsets.US_ASCII)).get("prev").textValue()).isEqualTo(lastMac);
        assertThat(verifyOk().records()).isEqualTo(40);

        // Reopening appends to the last file and continues there.
        try (AuditLog log = AuditLog.open(dir, key, new StepClock(), 2000)) {
            assertThat(log.nextSeq()).isEqualTo(41);
            log.append("daemon.started", null, null, Map.of());
        }
        assertThat(verifyOk().records()).isEqualTo(41);

        // Dropping a whole middle file is caught at the first record of the next one.
        Files.delete(files.get(1).path());
        AuditFailure f = failureOf(dir, key);
        assertThat(f.reason()).isEqualTo(AuditFailure.Reason.BROKEN_PREV_LINK);
        assertThat(f.file()).isEqualTo(files.get(2).path());
        assertThat(f.line()).isEqualTo(1);
    }

    @Test
    void eightThreadsAppendingProduceOneValidChain() throws Exception {
        int threads = 8, each = 50;
        try (AuditLog log = open(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    go.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) seqs.add(log.append("network.decision", "t" + id, (long) id, Map.of("i", i)).seq());
                    return seqs;
                }));
            }
            go.countDown();
            Set<Long> seen = new HashSet<>();
            for (Future<List<Long>> r : results) seen.addAll(r.get());
            assertThat(seen).hasSize(threads * each);
            assertThat(seen).allMatch(s -> s >= 1 && s <= threads * each);
        }
        assertThat(verifyOk().records()).isEqualTo(threads * each);
        assertThat(lines(file1())).hasSize(threads * each);
    }

    @Test
    void hostileStringsStayOnOneLineAndVerify() throws Exception {
        String big = "x".repeat(1 << 20);
        String newline = "evil\n{\"seq\":1}\r\n";
        String nul = "a\u0000b";
        String display = "caf\\xe9/\\xff\\xfe.txt"; // display form of a non-UTF-8 file name
        String surrogate = "lone \ud800 half";
        String unicode = "ünïcødé ✓ 😀";
        try (AuditLog log = open()) {
            log.append("policy.violation", "b\nranch", 1L, Map.of("newline", newline, "nul", nul, "display", display,
                    "surrogate", surrogate, "unicode", unicode));
            log.append("governance.decision", "b", 1L, Map.of("big", big));
            log.append("review.pending", "b", 1L, Map.of("nested", Map.of("list", List.of(1, "two", true)), "n", -5,
                    "x", Map.of("a", 1, "prev", ",\"prev\":\"" + "0".repeat(64) + "\"")));
        }
        assertThat(lines(file1())).hasSize(3);
        byte[] raw = Files.readAllBytes(file1());
        for (byte b : raw) assertThat(b >= 0x20 && b < 0x7f || b == '\n').as("printable ASCII only, found byte %d", b).isTrue();
        assertThat(verifyOk().records()).isEqualTo(3);
        try (var s = AuditQuery.all().run(dir)) {
            List<AuditRecord> all = s.toList();
            assertThat(all.get(0).branch()).isEqualTo("b\nranch");
            assertThat(all.get(0).data().get("newline").textValue()).isEqualTo(newline);
            assertThat(all.get(0).data().get("nul").textValue()).isEqualTo(nul);
            assertThat(all.get(0).data().get("display").textValue()).isEqualTo(display);
            assertThat(all.get(0).data().get("surrogate").textValue()).isEqualTo(surrogate);
            assertThat(all.get(0).data().get("unicode").textValue()).isEqualTo(unicode);
            assertThat(all.get(1).data().get("big").textValue()).isEqualTo(big);
        }
    }

    @Test
    void badRecordsAreRefusedAndNothingIsWritten() throws Exception {
        try (AuditLog log = open()) {
            log.append("daemon.started", null, null, Map.of());
            assertThatThrownBy(() -> log.append("Branch Created", null, null, Map.of()))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.BAD_RECORD))
                    .hasMessageContaining("branch.committed");
            assertThatThrownBy(() -> log.append("governance.decision", null, null, Map.of("score", 0.5)))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.BAD_RECORD))
                    .hasMessageContaining("floating-point");
            assertThatThrownBy(() -> log.append("governance.decision", null, null, List.of(1)))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.BAD_RECORD));
            assertThatThrownBy(() -> log.append("governance.decision", null, null, Map.of("big", "y".repeat(AuditLog.MAX_RECORD_BYTES))))
                    .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.BAD_RECORD))
                    .hasMessageContaining("exceeds");
            assertThat(log.append("daemon.started", null, null, Map.of()).seq()).isEqualTo(2);
        }
        assertThat(verifyOk().records()).isEqualTo(2);
    }

    @Test
    void keyFileMustBePrivateAndThirtyTwoBytes() throws Exception {
        Path loose = tmp.resolve("loose.key");
        Files.write(loose, new byte[32]);
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AuditKey.load(loose))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.BAD_KEY))
                .hasMessageContaining("chmod 600");
        Path shortKey = tmp.resolve("short.key");
        Files.write(shortKey, new byte[16]);
        Files.setPosixFilePermissions(shortKey, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> AuditKey.loadOrCreate(shortKey))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.BAD_KEY))
                .hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> AuditKey.load(tmp.resolve("absent.key")))
                .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.code()).isEqualTo(AuditException.Code.BAD_KEY));
        // Each file has its own derived key.
        assertThat(key.fileKey(1)).isNotEqualTo(key.fileKey(2)).hasSize(32);
    }

    @Test
    void emptyDirectoryVerifiesAsAnEmptyLog() throws Exception {
        AuditVerifier.Report r = new AuditVerifier(key).verify(tmp.resolve("nothing-here"));
        assertThat(r.ok()).isTrue();
        assertThat(r.records()).isZero();
    }
}
