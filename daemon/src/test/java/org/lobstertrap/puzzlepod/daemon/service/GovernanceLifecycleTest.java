package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The governance lifecycle through {@code ManagerApi}, in-process, with a real kernel overlay as the container. */
class GovernanceLifecycleTest {
    @TempDir Path tmp;
    ServiceHarness h;

    @AfterEach void close() {
        if (h != null) h.close();
    }

    private void seedBase() throws Exception {
        Files.writeString(h.base.resolve("README.md"), "hello\n");
        Files.createDirectories(h.base.resolve("src"));
        Files.writeString(h.base.resolve("src/main.c"), "int main(){}\n");
        Files.writeString(h.base.resolve("old.txt"), "obsolete\n");
    }

    @Test void approvedChangesetLandsInTheBaseExactly() throws Exception {
        h = ServiceHarness.open(tmp);
        seedBase();
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"agent-1\"}");
        assertThat(b.get("state").asText()).isEqualTo("ready");
        assertThat(b.get("podman_volume").asText()).startsWith(h.base + ":/workspace:O,upperdir=");
        h.writeThrough(b, m -> {
            Files.writeString(m.resolve("README.md"), "hello, world\n");
            Files.writeString(m.resolve("src/util.c"), "int util(){return 1;}\n");
            Files.delete(m.resolve("old.txt"));
        });
        JsonNode diff = ServiceHarness.JSON.readTree(h.service.diffBranch(ROOT, "agent-1"));
        assertThat(diff.get("summary").get("changes").asInt()).isEqualTo(3);

        JsonNode d = h.commit("agent-1");
        assertThat(d.get("outcome").asText()).isEqualTo("committed");
        assertThat(d.get("allow").asBoolean()).isTrue();
        assertThat(d.get("state").asText()).isEqualTo("committed");
        assertThat(d.get("policy_digest").asText()).hasSize(64);
        assertThat(d.get("changes").asInt()).isEqualTo(3);

        assertThat(Files.readString(h.base.resolve("README.md"))).isEqualTo("hello, world\n");
        assertThat(Files.readString(h.base.resolve("src/util.c"))).isEqualTo("int util(){return 1;}\n");
        assertThat(Files.readString(h.base.resolve("src/main.c"))).isEqualTo("int main(){}\n");
        assertThat(h.base.resolve("old.txt")).doesNotExist();
        try (var s = Files.walk(h.base)) {
            assertThat(s.map(p -> h.base.relativize(p).toString()).sorted().toList())
                    .containsExactly("", "README.md", "src", "src/main.c", "src/util.c");
        }
        JsonNode after = h.inspect("agent-1");
        assertThat(after.get("state").asText()).isEqualTo("committed");
        assertThat(after.get("decision").get("outcome").asText()).isEqualTo("committed");
        assertThat(h.events.names).containsExactly("BranchCreated agent-1", "BranchCommitted agent-1");
        assertThat(h.auditTypes("agent-1")).containsSubsequence("branch.created", "gate.decision", "branch.committed");
        JsonNode verify = ServiceHarness.JSON.readTree(h.service.verifyAudit(ROOT));
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
    }

    @Test void rejectedChangesetLeavesTheBaseByteForByteUntouched() throws Exception {
        h = ServiceHarness.open(tmp);
        seedBase();
        TreeHash before = h.baseHash();
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"evil\"}");
        h.writeThrough(b, m -> {
            Files.createDirectories(m.resolve(".ssh"));
            Files.writeString(m.resolve(".ssh/id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
            Files.createDirectories(m.resolve("etc/cron.d"));
            Files.writeString(m.resolve("etc/cron.d/x"), "* * * * * root sh /tmp/x\n");
            Files.writeString(m.resolve("README.md"), "changed too\n");
        });
        JsonNode d = h.commit("evil");
        assertThat(d.get("outcome").asText()).isEqualTo("rejected");
        assertThat(d.get("allow").asBoolean()).isFalse();
        assertThat(d.get("state").asText()).isEqualTo("rolled-back");
        List<String> rules = new ArrayList<>();
        d.get("violations").forEach(v -> rules.add(v.get("rule").asText()));
        assertThat(rules).contains("sensitive-file", "persistence");
        assertThat(d.get("violations").toString()).contains(".ssh/id_rsa").contains("etc/cron.d/x");
        assertThat(h.baseHash()).isEqualTo(before);
        assertThat(h.inspect("evil").get("state").asText()).isEqualTo("rolled-back");
        assertThat(h.events.names).contains("PolicyViolation evil", "BranchRolledBack evil");
        List<String> types = h.auditTypes("evil");
        assertThat(types).contains("branch.created", "gate.decision", "branch.rolled-back");
        JsonNode decision = null;
        for (JsonNode e : h.audit("evil")) if (e.get("type").asText().equals("gate.decision")) decision = e.get("data");
        assertThat(decision).isNotNull();
        assertThat(decision.get("outcome").asText()).isEqualTo("rejected");
        assertThat(decision.get("violations").size()).isGreaterThanOrEqualTo(2);
    }

    @Test void twoBranchesTouchingTheSamePathConflict() throws Exception {
        h = ServiceHarness.open(tmp);
        seedBase();
        JsonNode a = h.create(ROOT, "standard", "{\"id\":\"a\"}");
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"b\"}");
        JsonNode c = h.create(ROOT, "standard", "{\"id\":\"c\"}");
        h.writeThrough(a, m -> Files.writeString(m.resolve("src/main.c"), "int main(){return 1;}\n"));
        h.writeThrough(b, m -> Files.writeString(m.resolve("src/main.c"), "int main(){return 2;}\n"));
        h.writeThrough(c, m -> Files.writeString(m.resolve("notes.txt"), "unrelated\n"));
        assertThat(h.commit("a").get("outcome").asText()).isEqualTo("committed");
        JsonNode db = h.commit("b");
        assertThat(db.get("outcome").asText()).isEqualTo("conflict");
        assertThat(db.get("reason").asText()).contains("branch a").contains("src/main.c");
        assertThat(db.get("state").asText()).isEqualTo("failed");
        assertThat(Files.readString(h.base.resolve("src/main.c"))).isEqualTo("int main(){return 1;}\n");
        assertThat(h.inspect("b").get("upper").isNull()).as("a conflicting branch is kept for inspection").isFalse();
        assertThat(h.commit("c").get("outcome").asText()).as("no overlap, no conflict").isEqualTo("committed");

        // the commit log survives a restart
        JsonNode d = h.create(ROOT, "standard", "{\"id\":\"d\"}");
        h.restart();
        JsonNode e = h.create(ROOT, "standard", "{\"id\":\"e\"}");
        h.writeThrough(d, m -> Files.writeString(m.resolve("notes.txt"), "d\n"));
        h.writeThrough(e, m -> Files.writeString(m.resolve("notes.txt"), "e\n"));
        assertThat(h.commit("e").get("outcome").asText()).isEqualTo("committed");
        assertThat(h.service.commitBranch(ROOT, "d")).contains("\"outcome\":\"conflict\"");
    }

    @Test void aBaseFileChangedUnderTheBranchIsAConflict() throws Exception {
        h = ServiceHarness.open(tmp);
        seedBase();
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"stale\"}");
        h.writeThrough(b, m -> Files.writeString(m.resolve("README.md"), "branch version\n"));
        Thread.sleep(30); // past the coarse timestamp granularity of the file system
        Files.writeString(h.base.resolve("README.md"), "someone else's version\n");
        TreeHash before = h.baseHash();
        JsonNode d = h.commit("stale");
        assertThat(d.get("outcome").asText()).isEqualTo("conflict");
        assertThat(d.get("reason").asText()).contains("README.md").contains("changed in the base");
        assertThat(h.baseHash()).isEqualTo(before);
    }

    @Test void requireCleanExitRollsBackAFailedAgent() throws Exception {
        h = ServiceHarness.open(tmp);
        seedBase();
        TreeHash before = h.baseHash();
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"crashy\",\"on_exit\":\"commit\",\"require_clean_exit\":true}");
        h.writeThrough(b, m -> Files.writeString(m.resolve("partial.txt"), "half done\n"));
        JsonNode t = ServiceHarness.JSON.readTree(h.service.triggerGovernance(ROOT, "crashy", "{\"reason\":\"stopped\",\"exit_code\":3}"));
        assertThat(t.get("accepted").asBoolean()).isTrue();
        JsonNode w = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "crashy", 30_000));
        assertThat(w.get("decided").asBoolean()).isTrue();
        assertThat(w.get("state").asText()).isEqualTo("rolled-back");
        assertThat(w.get("decision").get("outcome").asText()).isEqualTo("rolled-back");
        assertThat(w.get("decision").get("exit_code").asInt()).isEqualTo(3);
        assertThat(w.get("decision").get("reason").asText()).contains("exit code 3");
        assertThat(h.baseHash()).isEqualTo(before);
        assertThat(h.auditTypes("crashy")).contains("governance.triggered", "gate.decision", "branch.rolled-back");

        // a clean exit goes through the gate and commits
        JsonNode ok = h.create(ROOT, "standard", "{\"id\":\"clean\",\"require_clean_exit\":true}");
        h.writeThrough(ok, m -> Files.writeString(m.resolve("done.txt"), "done\n"));
        h.service.triggerGovernance(ROOT, "clean", "{\"reason\":\"stopped\",\"exit_code\":0}");
        JsonNode w2 = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "clean", 30_000));
        assertThat(w2.get("state").asText()).isEqualTo("committed");
        assertThat(h.base.resolve("done.txt")).hasContent("done");
    }

    @Test void onExitHoldAndRollback() throws Exception {
        h = ServiceHarness.open(tmp);
        h.create(ROOT, "standard", "{\"id\":\"held\",\"on_exit\":\"hold\"}");
        JsonNode t = ServiceHarness.JSON.readTree(h.service.triggerGovernance(ROOT, "held", ""));
        assertThat(t.get("accepted").asBoolean()).isFalse();
        assertThat(h.inspect("held").get("state").asText()).isEqualTo("ready");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        h.service.attachGovernance(ROOT, "held", "{\"container_id\":\"" + "e".repeat(64) + "\",\"pid\":" + gone.pid() + "}");
        assertThat(h.inspect("held").get("state").asText()).isEqualTo("active");
        JsonNode stopped = ServiceHarness.JSON.readTree(h.service.triggerGovernance(ROOT, "held", "{\"reason\":\"stopped\",\"exit_code\":0}"));
        assertThat(stopped.get("accepted").asBoolean()).isFalse();
        assertThat(stopped.get("state").asText()).as("its container stopped, nothing decided").isEqualTo("ready");
        assertThat(h.inspect("held").get("state").asText()).isEqualTo("ready");
        h.service.commitBranch(ROOT, "held");
        assertThat(ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "held", 30_000)).get("state").asText())
                .as("a person commits it through the gate").isEqualTo("committed");
        h.create(ROOT, "standard", "{\"id\":\"dropped\",\"on_exit\":\"rollback\"}");
        h.service.triggerGovernance(ROOT, "dropped", "{\"exit_code\":0}");
        JsonNode w = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "dropped", 30_000));
        assertThat(w.get("state").asText()).isEqualTo("rolled-back");
    }

    @Test void nonOwnersAreRefusedAndRootIsAllowed() throws Exception {
        h = ServiceHarness.open(tmp);
        assertThat(errorOf(() -> h.service.createBranch(USER, "standard", h.base.toString(), "")))
                .as("a user may not branch root's directory").isEqualTo(ApiError.AccessDenied);
        h.create(ROOT, "standard", "{\"id\":\"roots\"}");
        assertThat(errorOf(() -> h.service.inspectBranch(USER, "roots"))).isEqualTo(ApiError.AccessDenied);
        assertThat(errorOf(() -> h.service.commitBranch(USER, "roots"))).isEqualTo(ApiError.AccessDenied);
        assertThat(errorOf(() -> h.service.rollbackBranch(USER, "roots", ""))).isEqualTo(ApiError.AccessDenied);
        assertThat(errorOf(() -> h.service.reloadPolicy(USER))).isEqualTo(ApiError.AccessDenied);
        assertThat(h.inspect("roots").get("state").asText()).isEqualTo("ready");

        Path own = Files.createDirectories(tmp.resolve("userbase"));
        Files.setAttribute(own, "unix:uid", USER.uid());
        JsonNode mine = ServiceHarness.JSON.readTree(h.service.createBranch(USER, "standard", own.toString(), "{\"id\":\"mine\"}"));
        assertThat(mine.get("owner_uid").asInt()).isEqualTo(USER.uid());
        assertThat(ServiceHarness.JSON.readTree(h.service.listBranches(USER, "")).get("branches").size()).isEqualTo(1);
        assertThat(ServiceHarness.JSON.readTree(h.service.listBranches(ROOT, "")).get("branches").size()).isEqualTo(2);
        assertThat(ServiceHarness.JSON.readTree(h.service.inspectBranch(ROOT, "mine")).get("id").asText()).isEqualTo("mine");
        assertThat(ServiceHarness.JSON.readTree(h.service.queryAuditEvents(USER, "")).get("events"))
                .allSatisfy(e -> assertThat(e.get("uid").asInt()).isEqualTo(USER.uid()));
        assertThat(ServiceHarness.JSON.readTree(h.service.rollbackBranch(USER, "mine", "not needed")).get("state").asText())
                .isEqualTo("rolled-back");
    }

    @Test void tooManyBranchesIsUnavailable() throws Exception {
        h = ServiceHarness.open(tmp);
        for (int i = 0; i < h.config.maxBranches(); i++) h.create(ROOT, "standard", "");
        assertThat(errorOf(() -> h.service.createBranch(ROOT, "standard", h.base.toString(), ""))).isEqualTo(ApiError.Unavailable);
    }

    @Test void statusAndProfiles() throws Exception {
        h = ServiceHarness.open(tmp);
        JsonNode s = ServiceHarness.JSON.readTree(h.service.status(ROOT));
        assertThat(s.get("policy").get("loaded").asBoolean()).isTrue();
        assertThat(s.get("policy").get("modules").size()).isGreaterThan(3);
        assertThat(s.get("profiles").asInt()).isGreaterThan(10);
        assertThat(s.get("branches").get("total").asInt()).isZero();
        assertThat(ServiceHarness.JSON.readTree(h.service.listProfiles(ROOT)).get("profiles").size()).isEqualTo(s.get("profiles").asInt());
        assertThat(ServiceHarness.JSON.readTree(h.service.showProfile(ROOT, "standard")).get("name").asText()).isEqualTo("standard");
        assertThat(errorOf(() -> h.service.showProfile(ROOT, "nope"))).isEqualTo(ApiError.NotFound);
        JsonNode v = ServiceHarness.JSON.readTree(h.service.validateProfile(ROOT, "name: mine\nextends: standard\ndescription: x\n"));
        assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
        JsonNode bad = ServiceHarness.JSON.readTree(h.service.validateProfile(ROOT, "name: mine\nfail_mode: sometimes\n"));
        assertThat(bad.get("valid").asBoolean()).isFalse();
        assertThat(bad.get("errors").size()).isPositive();
        JsonNode r = ServiceHarness.JSON.readTree(h.service.reloadPolicy(ROOT));
        assertThat(r.get("policy_digest").asText()).isEqualTo(s.get("policy").get("digest").asText());
    }

    @Test void testPolicyJudgesWithoutCommitting() throws Exception {
        h = ServiceHarness.open(tmp);
        String cs = "{\"changes\":[{\"path\":\".aws/credentials\",\"kind\":\"Added\",\"type\":\"file\",\"size\":5,\"new_mode\":384}],"
                + "\"exit_code\":0}";
        JsonNode d = ServiceHarness.JSON.readTree(h.service.testPolicy(ROOT, cs, "standard"));
        assertThat(d.get("outcome").asText()).isEqualTo("rejected");
        assertThat(d.get("branch").isNull()).isTrue();
        assertThat(d.get("violations").get(0).get("rule").asText()).isEqualTo("sensitive-file");
        JsonNode ok = ServiceHarness.JSON.readTree(h.service.testPolicy(ROOT,
                "{\"changes\":[{\"path\":\"src/a.py\",\"kind\":\"Added\",\"size\":5,\"new_mode\":420}]}", "standard"));
        assertThat(ok.get("outcome").asText()).isEqualTo("committed");
        assertThat(ok.get("allow").asBoolean()).isTrue();
    }

    @Test void privateModesOnFirstStart() throws Exception {
        h = ServiceHarness.open(tmp);
        Path key = GovernanceService.auditKeyFile(h.config);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> all = new ArrayList<>();
        ServiceHarness.JSON.readTree(h.service.queryAuditEvents(ROOT, "{\"types\":[\"daemon.started\",\"daemon.recovered\",\"policy.reloaded\"]}"))
                .get("events").forEach(e -> all.add(e.get("type").asText()));
        assertThat(all).containsExactlyInAnyOrder("daemon.started", "daemon.recovered", "policy.reloaded");
    }

    static Duration seconds(long s) { return Duration.ofSeconds(s); }
}
