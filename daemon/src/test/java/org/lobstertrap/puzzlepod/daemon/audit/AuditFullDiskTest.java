package org.lobstertrap.puzzlepod.daemon.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** A real, tiny tmpfs that fills up: append must fail clearly and leave a log that verifies. Needs root. */
class AuditFullDiskTest {
    @TempDir
    Path tmp;

    @Test
    void fullDiskFailsTheAppendAndLeavesAValidLog() throws Exception {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (uid != 0) fail("this test mounts a tmpfs and must run as root (uid is " + uid + ")");
        FileSyscalls sys = FileSyscalls.linux();
        Path mnt = tmp.resolve("small");
        Files.createDirectory(mnt);
        byte[] target = mnt.toString().getBytes(StandardCharsets.UTF_8);
        sys.mount("tmpfs", target, "tmpfs", 0, "size=128k,mode=0700");
        try {
            Path dir = mnt.resolve("audit");
            AuditKey key = AuditKey.loadOrCreate(AuditKey.defaultFile(dir));
            long written = 0;
            String chunk = "z".repeat(7000);
            AuditException failure = null;
            try (AuditLog log = AuditLog.open(dir, key, new StepClock(), AuditLog.DEFAULT_MAX_FILE_BYTES)) {
                for (int i = 0; i < 100 && failure == null; i++) {
                    try {
                        log.append("governance.decision", "b", 0L, Map.of("pad", chunk, "i", i));
                        written++;
                    } catch (AuditException e) {
                        failure = e;
                    }
                }
                assertThat(failure).as("128 KiB must fill up within 100 records of 7 KB").isNotNull();
                assertThat(failure.code()).isEqualTo(AuditException.Code.IO);
                assertThat(failure.errno()).isEqualTo(Errno.ENOSPC);
                assertThat(failure.getMessage()).contains("No space left on device", "audit-1.ndjson");
                // Still full: the next append fails the same way and changes nothing.
                assertThatThrownBy(() -> log.append("governance.decision", "b", 0L, Map.of("pad", chunk)))
                        .isInstanceOfSatisfying(AuditException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOSPC));
                // A small record may still fit; it must continue the same chain.
                try {
                    log.append("daemon.started", null, null, Map.of());
                    written++;
                } catch (AuditException e) {
                    assertThat(e.errno()).isEqualTo(Errno.ENOSPC);
                }
            }
            assertThat(written).isGreaterThan(5);
            AuditVerifier.Report r = new AuditVerifier(key).verify(dir);
            assertThat(r.failure()).as(r.toString()).isEmpty();
            assertThat(r.records()).isEqualTo(written);
            assertThat(Files.readString(dir.resolve("audit-1.ndjson"))).endsWith("\n");
            // Reopening finds nothing to repair.
            try (AuditLog log = AuditLog.open(dir, key, new StepClock(), AuditLog.DEFAULT_MAX_FILE_BYTES)) {
                assertThat(log.nextSeq()).isEqualTo(written + 1);
            }
        } finally {
            sys.umount2(target, 2);
        }
    }
}
