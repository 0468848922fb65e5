package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.ctl.BranchCommandsTest.pretty;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.ctl.StandInBus.Run;
import org.lobstertrap.puzzlepod.ctl.StandInManager.Call;

/** {@code puzzlectl audit …}, {@code status} and {@code completion} against a stand-in puzzled on a real private bus. */
class AuditStatusCommandsTest {
    @TempDir static Path dir;
    static StandInBus bus;

    static final String EVENTS = """
            {"events":[
              {"seq":1,"time":"2026-11-22T10:00:00Z","type":"branch.created","branch":"agent-1","uid":1000,
               "data":{"profile":"standard"},"prev":"00","mac":"aa"},
              {"seq":2,"time":"2026-11-22T10:06:00Z","type":"gate.decision","branch":"agent-1","uid":0,
               "data":{"outcome":"rejected"},"prev":"aa","mac":"bb"}]}""";

    @BeforeAll static void startBus() throws Exception { bus = new StandInBus(dir.resolve("bus")); }

    @AfterAll static void stopBus() { bus.close(); }

    @BeforeEach void reset() { bus.manager.reset(); }

    @Test
    void auditListSendsTheQueryAndPrintsATable() throws Exception {
        bus.manager.answer("QueryAuditEvents", EVENTS);
        Run r = bus.run("audit", "list", "--branch", "agent-1", "--type", "branch.created,gate.decision",
                "--type", "review.pending", "--since", "2026-11-22T00:00:00Z", "--until", "2026-11-23T00:00:00Z", "--limit", "50");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("QueryAuditEvents",
                "{\"branch\":\"agent-1\",\"types\":[\"branch.created\",\"gate.decision\",\"review.pending\"],"
                        + "\"from\":\"2026-11-22T00:00:00Z\",\"to\":\"2026-11-23T00:00:00Z\",\"limit\":50}"));
        assertThat(r.out()).isEqualTo("""
                SEQ  TIME                  TYPE            BRANCH   UID   DATA
                1    2026-11-22T10:00:00Z  branch.created  agent-1  1000  {"profile":"standard"}
                2    2026-11-22T10:06:00Z  gate.decision   agent-1  0     {"outcome":"rejected"}
                """);
        assertThat(bus.run("audit", "list", "-o", "json").out()).isEqualTo(pretty(EVENTS));
        assertThat(bus.manager.calls().get(1)).isEqualTo(Call.of("QueryAuditEvents", ""));
    }

    @Test
    void aRelativeSinceIsAnInstantBeforeNow() throws Exception {
        bus.manager.answer("QueryAuditEvents", "{\"events\":[]}");
        Instant before = Instant.now();
        Run r = bus.run("audit", "list", "--since", "2h");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("SEQ  TIME  TYPE  BRANCH  UID  DATA\n");
        String query = bus.manager.calls().getFirst().args().getFirst();
        Instant from = Instant.parse(new ObjectMapper().readTree(query).path("from").asText());
        assertThat(from).isBetween(before.minus(Duration.ofHours(2)).minusSeconds(1), Instant.now().minus(Duration.ofHours(2)));
    }

    @Test
    void badAuditFiltersAreUsageErrors() {
        assertThat(bus.run("audit", "list", "--limit", "0").err()).contains("--limit must be at least 1, not 0");
        assertThat(bus.run("audit", "list", "--since", "yesterday").err()).contains("invalid time \"yesterday\"");
        assertThat(bus.run("audit", "export", "--limit", "lots").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bus.manager.calls()).isEmpty();
    }

    @Test
    void auditExportWritesOneRecordPerLine() {
        bus.manager.answer("QueryAuditEvents", EVENTS);
        Run r = bus.run("audit", "export", "--branch", "agent-1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                {"seq":1,"time":"2026-11-22T10:00:00Z","type":"branch.created","branch":"agent-1","uid":1000,"data":{"profile":"standard"},"prev":"00","mac":"aa"}
                {"seq":2,"time":"2026-11-22T10:06:00Z","type":"gate.decision","branch":"agent-1","uid":0,"data":{"outcome":"rejected"},"prev":"aa","mac":"bb"}
                """);
        assertThat(bus.manager.calls()).containsExactly(Call.of("QueryAuditEvents", "{\"branch\":\"agent-1\"}"));
        // NDJSON whatever the output format: the records are the export
        assertThat(bus.run("-o", "json", "audit", "export", "--branch", "agent-1").out()).isEqualTo(r.out());
    }

    @Test
    void auditVerifyExitsOneWhenTheChainIsBroken() throws Exception {
        bus.manager.answer("VerifyAudit", "{\"ok\":true,\"records\":120,\"files\":2,\"problems\":[]}");
        Run ok = bus.run("audit", "verify");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).isEqualTo("audit log ok: 120 records in 2 files\n");
        String broken = "{\"ok\":false,\"records\":57,\"files\":1,\"problems\":[\"audit-0001.log:58: mac mismatch\",\"audit-0001.log:59: prev does not chain\"]}";
        bus.manager.answer("VerifyAudit", broken);
        Run bad = bus.run("audit", "verify");
        assertThat(bad.exit()).isEqualTo(ExitCodes.REJECTED);
        assertThat(bad.out()).isEqualTo("""
                audit log BROKEN: 57 records in 1 files
                  audit-0001.log:58: mac mismatch
                  audit-0001.log:59: prev does not chain
                """);
        Run badJson = bus.run("audit", "verify", "-o", "json");
        assertThat(badJson.exit()).isEqualTo(ExitCodes.REJECTED);
        assertThat(badJson.out()).isEqualTo(pretty(broken));
        assertThat(bus.manager.calls()).containsExactly(Call.of("VerifyAudit"), Call.of("VerifyAudit"), Call.of("VerifyAudit"));
    }

    @Test
    void statusSummarises() throws Exception {
        String status = """
                {"version":"0.1.0","daemon_uid":0,"bus":"system","uptime_seconds":93784,
                 "branches":{"total":3,"active":1,"review-pending":2,"committed":0},"max_branches":64,
                 "policy":{"loaded":true,"digest":"sha256:9f","modules":["a","b"],"loaded_at":"2026-11-22T08:00:00Z","error":null},
                 "profiles":21,"review":{"enabled":true,"timeout_seconds":3600},"seccomp_listener":"/run/puzzled/seccomp.sock",
                 "gate":{"running":1,"queued":0,"decisions":12}}""";
        bus.manager.answer("Status", status);
        Run r = bus.run("status");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                puzzled 0.1.0 (uid 0, system bus), up 1d 2h 3m
                branches: 3 of at most 64 (active 1, review-pending 2)
                policy: loaded, digest sha256:9f, 2 modules, at 2026-11-22T08:00:00Z
                profiles: 21
                review: enabled, timeout 3600 s
                gate: 1 running, 0 queued, 12 decisions
                seccomp listener: /run/puzzled/seccomp.sock
                """);
        assertThat(bus.run("status", "-o", "json").out()).isEqualTo(pretty(status));

        bus.manager.answer("Status", status.replace("\"loaded\":true", "\"loaded\":false")
                .replace("\"error\":null", "\"error\":\"commit.rego:3: unexpected token\""));
        assertThat(bus.run("status").out()).contains("policy: NOT LOADED\npolicy error: commit.rego:3: unexpected token\n");
        assertThat(bus.manager.calls()).containsExactly(Call.of("Status"), Call.of("Status"), Call.of("Status"));
    }

    @Test
    void completionPrintsTheScriptWithoutCallingTheDaemon() {
        Run r = bus.run("completion");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_puzzlectl")
                .contains("branch").contains("audit");
        assertThat(bus.manager.calls()).isEmpty();
    }
}
