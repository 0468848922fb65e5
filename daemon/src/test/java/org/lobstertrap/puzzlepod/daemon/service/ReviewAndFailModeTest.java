package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.JSON;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.USER;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.errorOf;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.commit.TreeHash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Human review (approve, reject, timeout, restart) and what each fail mode does when no verdict can be had. */
class ReviewAndFailModeTest {
    @TempDir Path tmp;
    ServiceHarness h;

    @AfterEach void close() {
        if (h != null) h.close();
    }

    private JsonNode branchWithFile(String id, String profile, String file) throws Exception {
        JsonNode b = h.create(ROOT, profile, "{\"id\":\"" + id + "\"}");
        h.writeThrough(b, m -> Files.writeString(m.resolve(file), id + "\n"));
        return b;
    }

    @Test void reviewApproveCommitsExactlyWhatWasReviewed() throws Exception {
        h = ServiceHarness.open(tmp, true, Duration.ofHours(1));
        branchWithFile("rev", "standard", "feature.txt");
        JsonNode d = h.commit("rev");
        assertThat(d.get("outcome").asText()).isEqualTo("review-pending");
        assertThat(d.get("state").asText()).isEqualTo("review-pending");
        assertThat(h.base.resolve("feature.txt")).doesNotExist();
        assertThat(h.events.names).contains("GovernanceReviewPending rev");
        assertThat(errorOf(() -> h.service.commitBranch(ROOT, "rev"))).isEqualTo(ApiError.InvalidState);
        JsonNode w = JSON.readTree(h.service.waitBranch(ROOT, "rev", 1000));
        assertThat(w.get("decided").asBoolean()).isTrue();

        JsonNode a = JSON.readTree(h.service.approveBranch(ROOT, "rev", "looks fine"));
        assertThat(a.get("outcome").asText()).isEqualTo("committed");
        assertThat(h.base.resolve("feature.txt")).hasContent("rev");
        assertThat(h.auditTypes("rev")).contains("review.pending", "review.approved", "branch.committed");
        assertThat(errorOf(() -> h.service.approveBranch(ROOT, "rev", ""))).isEqualTo(ApiError.InvalidState);
    }

    @Test void reviewRejectRollsBack() throws Exception {
        h = ServiceHarness.open(tmp, true, Duration.ofHours(1));
        TreeHash before = h.baseHash();
        branchWithFile("nope", "standard", "feature.txt");
        assertThat(h.commit("nope").get("outcome").asText()).isEqualTo("review-pending");
        JsonNode r = JSON.readTree(h.service.rejectBranch(ROOT, "nope", "not what we asked for"));
        assertThat(r.get("outcome").asText()).isEqualTo("rolled-back");
        assertThat(r.get("reason").asText()).isEqualTo("not what we asked for");
        assertThat(h.baseHash()).isEqualTo(before);
        assertThat(h.auditTypes("nope")).contains("review.rejected", "branch.rolled-back");
    }

    @Test void reviewTimesOutAndRollsBack() throws Exception {
        h = ServiceHarness.open(tmp, true, Duration.ofSeconds(1));
        TreeHash before = h.baseHash();
        branchWithFile("slow", "standard", "feature.txt");
        assertThat(h.commit("slow").get("outcome").asText()).isEqualTo("review-pending");
        JsonNode b = h.awaitState("slow", "rolled-back", Duration.ofSeconds(20));
        assertThat(b.get("decision").get("reason").asText()).contains("timed out");
        assertThat(h.baseHash()).isEqualTo(before);
        assertThat(h.auditTypes("slow")).contains("review.timeout", "branch.rolled-back");
    }

    @Test void aPendingReviewSurvivesARestart() throws Exception {
        h = ServiceHarness.open(tmp, true, Duration.ofHours(1));
        branchWithFile("kept", "standard", "kept.txt");
        branchWithFile("expires", "standard", "expires.txt");
        assertThat(h.commit("kept").get("outcome").asText()).isEqualTo("review-pending");
        assertThat(h.commit("expires").get("outcome").asText()).isEqualTo("review-pending");
        h.service.close();
        // while the daemon is down, pretend "expires" has been waiting for 59 min 59 s
        Path record = h.config.branchRoot().resolve(".governance/records/expires.json");
        com.fasterxml.jackson.databind.node.ObjectNode r = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(record));
        r.put("review_since", java.time.Instant.now().minus(Duration.ofHours(1)).plusSeconds(1).toString());
        Files.writeString(record, r.toString());
        h.start();
        assertThat(h.inspect("kept").get("state").asText()).isEqualTo("review-pending");
        // the timeout was rescheduled from the recorded time, not restarted
        h.awaitState("expires", "rolled-back", Duration.ofSeconds(20));
        assertThat(h.base.resolve("expires.txt")).doesNotExist();
        assertThat(h.auditTypes("expires")).contains("review.timeout");
        assertThat(h.inspect("kept").get("state").asText()).isEqualTo("review-pending");
        assertThat(JSON.readTree(h.service.approveBranch(ROOT, "kept", "")).get("outcome").asText()).isEqualTo("committed");
        assertThat(h.base.resolve("kept.txt")).hasContent("kept");
    }

    @Test void approvingAChangedBranchIsAConflict() throws Exception {
        h = ServiceHarness.open(tmp, true, Duration.ofHours(1));
        JsonNode b = branchWithFile("moved", "standard", "a.txt");
        assertThat(h.commit("moved").get("outcome").asText()).isEqualTo("review-pending");
        h.writeThrough(b, m -> Files.writeString(m.resolve("a.txt"), "changed after review\n"));
        JsonNode d = JSON.readTree(h.service.approveBranch(ROOT, "moved", ""));
        assertThat(d.get("outcome").asText()).isEqualTo("conflict");
        assertThat(d.get("state").asText()).isEqualTo("failed");
        assertThat(h.base.resolve("a.txt")).doesNotExist();
    }

    private void breakPolicy() throws Exception {
        Files.writeString(h.policies.resolve("zz_broken.rego"), "package puzzlepod.commit\n\nviolations contains x if {\n");
        assertThat(errorOf(() -> h.service.reloadPolicy(ROOT))).isEqualTo(ApiError.Unavailable);
        h.restart(); // starts without any policy
        JsonNode s = JSON.readTree(h.service.status(ROOT));
        assertThat(s.get("policy").get("loaded").asBoolean()).isFalse();
        assertThat(s.get("policy").get("error").asText()).contains("compile");
    }

    @Test void brokenPolicyFailsClosed() throws Exception {
        h = ServiceHarness.open(tmp);
        breakPolicy();
        TreeHash before = h.baseHash();
        branchWithFile("closed", "standard", "harmless.txt");
        JsonNode d = h.commit("closed");
        assertThat(d.get("outcome").asText()).isEqualTo("failed");
        assertThat(d.get("fail_mode").asText()).isEqualTo("closed");
        assertThat(d.get("state").asText()).isEqualTo("rolled-back");
        assertThat(d.get("reason").asText()).contains("no commit policy");
        assertThat(h.baseHash()).isEqualTo(before);
        assertThat(h.events.names).contains("BranchRolledBack closed");
    }

    @Test void eachFailModeWhenThereIsNoVerdict() throws Exception {
        h = ServiceHarness.open(tmp);
        breakPolicy();
        TreeHash before = h.baseHash();

        // silent: rolled back, and an unprivileged caller learns nothing
        Path own = Files.createDirectories(tmp.resolve("userbase"));
        Files.setAttribute(own, "unix:uid", USER.uid());
        JsonNode sb = JSON.readTree(h.service.createBranch(USER, "code-reviewer", own.toString(), "{\"id\":\"quiet\"}"));
        assertThat(sb.get("state").asText()).isEqualTo("ready");
        JsonNode silent = JSON.readTree(h.service.commitBranch(USER, "quiet"));
        assertThat(silent.get("outcome").asText()).isEqualTo("failed");
        assertThat(silent.get("state").asText()).isEqualTo("rolled-back");
        assertThat(silent.get("reason").asText()).isEqualTo("rejected");
        assertThat(silent.get("violations").size()).isZero();
        JsonNode full = h.inspect("quiet").get("decision");
        assertThat(full.get("reason").asText()).as("root sees why").contains("no commit policy");

        // operational: held for review, a person decides
        branchWithFile("ops", "devops-automation", "deploy.txt");
        JsonNode op = h.commit("ops");
        assertThat(op.get("outcome").asText()).isEqualTo("failed");
        assertThat(op.get("state").asText()).isEqualTo("review-pending");
        assertThat(JSON.readTree(h.service.rejectBranch(ROOT, "ops", "")).get("state").asText()).isEqualTo("rolled-back");

        // safe-state: kept as it is, failed
        branchWithFile("edge", "edge-minimal", "edge.txt");
        JsonNode safe = h.commit("edge");
        assertThat(safe.get("outcome").asText()).isEqualTo("failed");
        assertThat(safe.get("state").asText()).isEqualTo("failed");
        assertThat(h.inspect("edge").get("upper").isNull()).isFalse();

        assertThat(h.baseHash()).as("nothing is committed without a verdict").isEqualTo(before);
    }

    @Test void aPolicyThatCompilesAgainIsPickedUpByReload() throws Exception {
        h = ServiceHarness.open(tmp);
        String digest = JSON.readTree(h.service.status(ROOT)).get("policy").get("digest").asText();
        Files.writeString(h.policies.resolve("zz_broken.rego"), "package puzzlepod.commit\nthis is not rego\n");
        assertThat(errorOf(() -> h.service.reloadPolicy(ROOT))).isEqualTo(ApiError.Unavailable);
        JsonNode s = JSON.readTree(h.service.status(ROOT));
        assertThat(s.get("policy").get("loaded").asBoolean()).as("the old policy stays").isTrue();
        assertThat(s.get("policy").get("digest").asText()).isEqualTo(digest);
        Files.writeString(h.policies.resolve("zz_broken.rego"), "package puzzlepod.commit\n\nwarnings contains {\"rule\": \"x\", \"message\": \"x\", \"severity\": \"low\"} if false\n");
        JsonNode r = JSON.readTree(h.service.reloadPolicy(ROOT));
        assertThat(r.get("policy_digest").asText()).isNotEqualTo(digest);
        assertThat(r.get("modules").toString()).contains("zz_broken.rego");
    }
}
