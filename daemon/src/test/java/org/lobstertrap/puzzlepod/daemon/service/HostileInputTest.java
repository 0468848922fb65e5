package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.JSON;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.errorOf;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.commit.TreeHash;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Every argument is validated: bad input is InvalidArgument with a short message, and nothing changes. */
class HostileInputTest {
    @TempDir Path tmp;
    ServiceHarness h;

    @AfterEach void close() {
        if (h != null) h.close();
    }

    private void invalid(Runnable call) {
        assertThat(errorOf(call)).isEqualTo(ApiError.InvalidArgument);
    }

    @Test void hostileArgumentsAreRefusedAndNothingChanges() throws Exception {
        h = ServiceHarness.open(tmp);
        Files.writeString(h.base.resolve("keep.txt"), "keep\n");
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"target\"}");
        h.writeThrough(b, m -> Files.writeString(m.resolve("new.txt"), "x\n"));
        TreeHash before = h.baseHash();
        String branchesBefore = h.service.listBranches(ROOT, "");
        String base = h.base.toString();

        for (String id : List.of("", "../etc", "a/b", ".hidden", "x".repeat(65), "a b", "a\u0000b", "é", "a.b", "-x"))
            invalid(() -> h.service.inspectBranch(ROOT, id));
        invalid(() -> h.service.inspectBranch(ROOT, null));
        for (String path : List.of("relative/dir", base + "/../base", base + "/./x", base + "/", "//" + base, base + "\u0000x",
                "/" + "a".repeat(5000)))
            invalid(() -> h.service.createBranch(ROOT, "standard", path, ""));
        for (String profile : List.of("", "Standard", "../standard", "std dev", "x".repeat(65)))
            invalid(() -> h.service.createBranch(ROOT, profile, base, ""));
        for (String options : List.of("{", "[]", "\"x\"", "{\"id\":\"ok\"} trailing", "{\"unknown\":1}", "{\"id\":7}",
                "{\"lifetime_seconds\":-1}", "{\"lifetime_seconds\":1.5}", "{\"on_exit\":\"explode\"}", "{\"overlay\":\"zfs\"}",
                "{\"workspace\":\"relative\"}", "{\"workspace\":\"/a/../b\"}", "{\"id\":\"a\",\"id\":\"b\"}",
                "{\"require_clean_exit\":\"yes\"}", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                "{\"id\":\"" + "x".repeat(1 << 20) + "\"}"))
            invalid(() -> h.service.createBranch(ROOT, "standard", base, options));
        invalid(() -> h.service.listBranches(ROOT, "{\"state\":\"weird\"}"));
        invalid(() -> h.service.listBranches(ROOT, "{\"base\":\"rel\"}"));
        invalid(() -> h.service.attachGovernance(ROOT, "target", "{\"container_id\":\"c\"}"));
        invalid(() -> h.service.attachGovernance(ROOT, "target", "{\"container_id\":\"c\",\"pid\":-4}"));
        invalid(() -> h.service.attachGovernance(ROOT, "target", "{\"container_id\":\"c\",\"pid\":1,\"cgroup\":\"../x\"}"));
        invalid(() -> h.service.attachGovernance(ROOT, "target", "{\"container_id\":\"c;rm -rf\",\"pid\":1}"));
        invalid(() -> h.service.triggerGovernance(ROOT, "target", "{\"reason\":\"whenever\"}"));
        invalid(() -> h.service.triggerGovernance(ROOT, "target", "{\"exit_code\":\"3\"}"));
        invalid(() -> h.service.triggerGovernance(ROOT, "target", "{\"oom_killed\":1}"));
        invalid(() -> h.service.rollbackBranch(ROOT, "target", "r".repeat(1025)));
        invalid(() -> h.service.waitBranch(ROOT, "target", -1));
        invalid(() -> h.service.queryAuditEvents(ROOT, "{\"from\":\"yesterday\"}"));
        invalid(() -> h.service.queryAuditEvents(ROOT, "{\"limit\":0}"));
        invalid(() -> h.service.queryAuditEvents(ROOT, "{\"types\":\"branch.created\"}"));
        invalid(() -> h.service.testPolicy(ROOT, "{\"changes\":[{\"path\":\"../x\",\"kind\":\"Added\"}]}", "standard"));
        invalid(() -> h.service.testPolicy(ROOT, "{\"changes\":[{\"path\":\"/etc/x\",\"kind\":\"Added\"}]}", "standard"));
        invalid(() -> h.service.testPolicy(ROOT, "{\"changes\":[{\"path\":\"x\",\"kind\":\"Exploded\"}]}", "standard"));
        invalid(() -> h.service.testPolicy(ROOT, "{\"changes\":[{\"path\":\"x\",\"kind\":\"Added\",\"extra\":1}]}", "standard"));
        invalid(() -> h.service.testPolicy(ROOT, "{\"changes\":{}}", "standard"));
        invalid(() -> h.service.validateProfile(ROOT, "x".repeat((256 << 10) + 1)));

        ApiException e = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.class,
                () -> h.service.createBranch(ROOT, "standard", "/" + "q".repeat(3000) + "/../x", ""));
        assertThat(e.getMessage().length()).as("never echoes much of an argument").isLessThan(400);
        ApiException missing = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.class,
                () -> h.service.createBranch(ROOT, "standard", "/" + "m".repeat(4000), ""));
        assertThat(missing.code()).isEqualTo(ApiError.InvalidArgument);
        assertThat(missing.getMessage().length()).isLessThanOrEqualTo(GovernanceService.MAX_MESSAGE + 1);
        invalid(() -> h.service.createBranch(ROOT, "standard", base + ",x", ""));

        assertThat(h.baseHash()).isEqualTo(before);
        assertThat(h.service.listBranches(ROOT, "")).isEqualTo(branchesBefore);
        assertThat(h.inspect("target").get("state").asText()).isEqualTo("ready");
        assertThat(errorOf(() -> h.service.inspectBranch(ROOT, "missing"))).isEqualTo(ApiError.NotFound);
        assertThat(errorOf(() -> h.service.createBranch(ROOT, "no-such-profile", base, ""))).isEqualTo(ApiError.NotFound);
        assertThat(errorOf(() -> h.service.createBranch(ROOT, "standard", base, "{\"id\":\"target\"}"))).isEqualTo(ApiError.InvalidArgument);
        assertThat(JSON.readTree(h.service.commitBranch(ROOT, "target")).get("outcome").asText()).as("still usable").isEqualTo("committed");
    }
}
