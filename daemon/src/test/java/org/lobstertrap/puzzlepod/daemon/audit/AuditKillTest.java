package org.lobstertrap.puzzlepod.daemon.audit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer process killed (SIGKILL) at random moments while appending, rotation included: every time, the
 * log verifies (or shows only a torn newest line, which the next writer repairs) and a new writer continues
 * the chain.
 */
@Tag("slow")
class AuditKillTest {
    @TempDir
    Path tmp;

    @Test
    void killedWriterLeavesAVerifiableLogThatTheNextWriterContinues() throws Exception {
        Path dir = tmp.resolve("audit");
        Path keyFile = AuditKey.defaultFile(dir);
        AuditKey key = AuditKey.loadOrCreate(keyFile);
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("cannot find the java binary"));
        long before = 0;
        for (int round = 0; round < 4; round++) {
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                    "-cp", System.getProperty("java.class.path"), AppendChild.class.getName(), dir.toString(), keyFile.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                assertThat(first).as("child output").isEqualTo("appending");
                Thread.sleep(150L + 100L * round);
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            AuditVerifier.Report r = new AuditVerifier(key).verify(dir);
            if (r.failure().isPresent()) {
                // SIGKILL can cut a multi-page write(2) short, so the newest line may be torn; nothing
                // else may be wrong, and the next writer's open must repair it (recording audit.repaired)
                AuditFailure torn = r.failure().get();
                assertThat(torn.reason()).as("round %d: %s", round, r).isEqualTo(AuditFailure.Reason.TORN_LINE);
                assertThat(torn.file()).as("round %d: torn line outside the newest file", round)
                        .isEqualTo(AuditFiles.list(dir).getLast().path());
                try (AuditLog repaired = AuditLog.open(dir, key)) {
                    assertThat(repaired.nextSeq()).isGreaterThan(before + 10);
                }
                r = new AuditVerifier(key).verify(dir);
                assertThat(r.failure()).as("round %d after repair: %s", round, r).isEmpty();
            }
            assertThat(r.records()).isGreaterThan(before + 10);
            before = r.records();
        }
        try (AuditLog log = AuditLog.open(dir, key)) {
            assertThat(log.nextSeq()).isEqualTo(before + 1);
            log.append("daemon.started", null, null, Map.of());
        }
        AuditVerifier.Report r = new AuditVerifier(key).verify(dir);
        assertThat(r.failure()).as(r.toString()).isEmpty();
        assertThat(r.records()).isEqualTo(before + 1);
        assertThat(AuditFiles.list(dir)).as("4 MiB files with 256 KiB records must have rotated").hasSizeGreaterThan(1);
        List<AuditRecord> started;
        try (var s = AuditQuery.all().withTypes(Set.of("daemon.started")).run(dir)) {
            started = s.toList();
        }
        assertThat(started).hasSize(1);
    }
}
