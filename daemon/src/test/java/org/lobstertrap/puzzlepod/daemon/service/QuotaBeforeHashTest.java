package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.daemon.commit.TreeHash;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A branch over its profile's storage quota is refused from the sizes of its upper directory, before any
 * content is read, and the decision still names the quota rule; written through a real kernel overlay.
 */
class QuotaBeforeHashTest {
    private static final long MIB = 1024 * 1024;

    @TempDir Path tmp;
    ServiceHarness h;

    @AfterEach void close() {
        if (h != null) h.close();
    }

    private void seedBase() throws Exception {
        Files.createDirectories(h.base.resolve("src"));
        for (int i = 0; i < 30; i++) Files.writeString(h.base.resolve("src/m" + i + ".py"), "x = " + i + "\n");
        Files.writeString(h.base.resolve("README.md"), "project\n");
    }

    /** Deletes 25 sources (restricted allows 20) and leaves a 500 MiB log (restricted's quota is 100 MiB). */
    private void carelessAgent(Path merged) throws Exception {
        for (int i = 0; i < 25; i++) Files.delete(merged.resolve("src/m" + i + ".py"));
        try (RandomAccessFile f = new RandomAccessFile(merged.resolve("agent.log").toFile(), "rw")) {
            f.setLength(500 * MIB); // sparse: nothing to write, but a hash would read 500 MiB
        }
    }

    private static List<String> rules(JsonNode decision) {
        List<String> out = new ArrayList<>();
        decision.get("violations").forEach(v -> out.add(v.get("rule").asText()));
        return out;
    }

    @Test void anOverQuotaBranchIsRefusedBeforeItsContentIsRead() throws Exception {
        h = ServiceHarness.open(tmp);
        seedBase();
        TreeHash before = h.baseHash();
        JsonNode b = h.create(ROOT, "restricted", "{\"id\":\"careless\"}");
        h.writeThrough(b, this::carelessAgent);

        JsonNode d = h.commit("careless");
        assertThat(d.get("outcome").asText()).isEqualTo("rejected");
        assertThat(rules(d)).contains("storage-quota", "mass-deletion");
        assertThat(d.get("violations").toString()).contains("quota is " + 100 * MIB).contains("25 files deleted, the profile allows 20");
        assertThat(d.get("reason").asText()).startsWith("judged before reading content").contains(Long.toString(100 * MIB));
        assertThat(d.get("bytes").asLong()).isGreaterThanOrEqualTo(500 * MIB);
        assertThat(h.baseHash()).isEqualTo(before);
        assertThat(h.inspect("careless").get("state").asText()).isEqualTo("rolled-back");
        JsonNode audited = null;
        for (JsonNode e : h.audit("careless")) if (e.get("type").asText().equals("gate.decision")) audited = e.get("data");
        assertThat(audited).as("gate.decision record").isNotNull();
        assertThat(rules(audited)).contains("storage-quota");
        assertThat(audited.get("reason").asText()).startsWith("judged before reading content");
    }

    @Test void withoutAVerdictAnOverQuotaBranchHeldForReviewCarriesTheFullDiffsDigest() throws Exception {
        h = new ServiceHarness(tmp, false, java.time.Duration.ofHours(1));
        Files.writeString(h.profiles.resolve("small-ops.yaml"), "name: small-ops\nextends: restricted\nfail_mode: operational\n");
        Files.writeString(h.policies.resolve("zz_broken.rego"), "package puzzlepod.commit\n\nviolations contains x if {\n");
        h.start(); // no policy: every gate run is without a verdict
        seedBase();
        JsonNode b = h.create(ROOT, "small-ops", "{\"id\":\"held\"}");
        h.writeThrough(b, m -> {
            try (RandomAccessFile f = new RandomAccessFile(m.resolve("data.bin").toFile(), "rw")) {
                f.setLength(101 * MIB);
            }
        });
        JsonNode d = h.commit("held");
        assertThat(d.get("outcome").asText()).as(d.toString()).isEqualTo("failed");
        assertThat(d.get("state").asText()).isEqualTo("review-pending");
        JsonNode approved = ServiceHarness.JSON.readTree(h.service.approveBranch(ROOT, "held", "big on purpose"));
        assertThat(approved.get("outcome").asText()).as("the reviewed digest is the full diff's: " + approved).isEqualTo("committed");
        assertThat(Files.size(h.base.resolve("data.bin"))).isEqualTo(101 * MIB);
    }

    @Test void withoutAQuotaRuleTheFullHashedDiffIsJudgedAndCommitted() throws Exception {
        h = new ServiceHarness(tmp, false, java.time.Duration.ofHours(1));
        Files.delete(h.policies.resolve("quotas.rego"));
        h.start();
        seedBase();
        JsonNode b = h.create(ROOT, "restricted", "{\"id\":\"big\"}");
        h.writeThrough(b, m -> {
            try (RandomAccessFile f = new RandomAccessFile(m.resolve("data.bin").toFile(), "rw")) {
                f.setLength(101 * MIB);
            }
        });
        JsonNode d = h.commit("big");
        assertThat(d.get("outcome").asText()).as(d.toString()).isEqualTo("committed");
        assertThat(d.get("reason").isNull()).isTrue();
        assertThat(Files.size(h.base.resolve("data.bin"))).isEqualTo(101 * MIB);
    }
}
