package org.lobstertrap.puzzlepod.daemon.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditQueryTest {
    @TempDir
    Path tmp;

    private List<AuditRecord> run(Path dir, AuditQuery q) throws Exception {
        try (Stream<AuditRecord> s = q.run(dir)) {
            return s.toList();
        }
    }

    @Test
    void filtersByBranchTypeTimeAndLimitAcrossFiles() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditKey key = AuditKey.loadOrCreate(AuditKey.defaultFile(dir));
        String[] types = {"branch.created", "seccomp.decision", "branch.committed"};
        try (AuditLog log = AuditLog.open(dir, key, new StepClock(), 1500)) {
            for (int i = 0; i < 30; i++) log.append(types[i % 3], "b" + (i % 2), 0L, Map.of("i", i));
        }
        assertThat(AuditFiles.list(dir)).hasSizeGreaterThan(2);

        assertThat(run(dir, AuditQuery.all())).hasSize(30).extracting(AuditRecord::seq).isSorted();
        assertThat(run(dir, AuditQuery.all().withBranch("b1"))).hasSize(15).allMatch(r -> r.branch().equals("b1"));
        assertThat(run(dir, AuditQuery.all().withTypes(Set.of("branch.committed", "branch.created")))).hasSize(20)
                .noneMatch(r -> r.type().equals("seccomp.decision"));
        List<AuditRecord> both = run(dir, AuditQuery.all().withBranch("b0").withTypes(Set.of("branch.created")));
        assertThat(both).extracting(r -> r.data().get("i").intValue()).containsExactly(0, 6, 12, 18, 24);

        // StepClock: record i (0-based) was written at START + i seconds (+ a few ns).
        Instant from = StepClock.START.plusSeconds(10), to = StepClock.START.plusSeconds(20);
        assertThat(run(dir, AuditQuery.all().withRange(from, to))).extracting(r -> r.data().get("i").intValue())
                .containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
        assertThat(run(dir, AuditQuery.all().withRange(from, null))).hasSize(20);
        assertThat(run(dir, AuditQuery.all().withRange(null, from))).hasSize(10);

        assertThat(run(dir, AuditQuery.all().withBranch("b1").withLimit(4))).extracting(AuditRecord::seq).containsExactly(2L, 4L, 6L, 8L);
        assertThat(run(dir, AuditQuery.all().withBranch("nope"))).isEmpty();
        assertThat(run(tmp.resolve("absent"), AuditQuery.all())).isEmpty();
    }

    @Test
    void invalidQueriesAreRejected() {
        assertThatThrownBy(() -> AuditQuery.all().withLimit(-1)).hasMessageContaining("limit");
        assertThatThrownBy(() -> AuditQuery.all().withRange(StepClock.START, StepClock.START.minusSeconds(1)))
                .hasMessageContaining("before it starts");
    }
}
