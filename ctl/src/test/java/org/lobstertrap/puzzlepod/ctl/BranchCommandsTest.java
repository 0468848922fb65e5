package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.ctl.StandInBus.Run;
import org.lobstertrap.puzzlepod.ctl.StandInManager.Call;

/** {@code puzzlectl branch …} against a stand-in puzzled on a real private bus: the request sent, the output, the exit code. */
class BranchCommandsTest {
    @TempDir static Path dir;
    static StandInBus bus;

    static final String BRANCH = """
            {"id":"agent-1","owner_uid":1000,"profile":"standard","base":"/srv/project","workspace":"/workspace",
             "state":"active","created":"2026-11-22T10:00:00Z","updated":"2026-11-22T10:05:00Z",
             "expires_at":"2026-11-22T11:00:00Z","container_id":"c0ffee","pid":4242,"overlay":"kernel",
             "upper":"/b/agent-1/upper","work":"/b/agent-1/work","on_exit":"commit","failure_reason":null,
             "podman_volume":"/srv/project:/workspace:O,upperdir=/b/agent-1/upper,workdir=/b/agent-1/work",
             "decision":null}""";

    static final String DECISION_REJECTED = """
            {"branch":"agent-1","outcome":"rejected","allow":false,
             "violations":[{"rule":"no-secrets","message":".ssh/id_rsa is a private key","severity":"error"},
                           {"rule":"persistence","message":"etc/cron.d/backdoor adds a cron job","severity":"critical"}],
             "warnings":[],"changes":3,"files":2,"bytes":2048,"exit_code":0,"reason":null,"profile":"standard",
             "fail_mode":"closed","policy_digest":"sha256:ab12","state":"rolled-back",
             "decided_at":"2026-11-22T10:06:00Z","duration_ms":12}""";

    /** A decision with another outcome and no violations. */
    static String decision(String outcome, boolean allow) {
        return DECISION_REJECTED.replace("\"rejected\"", "\"" + outcome + "\"").replace("\"allow\":false", "\"allow\":" + allow)
                .replaceAll("(?s)\"violations\":\\[.*?\\],\\s*\"warnings\"", "\"violations\":[],\"warnings\"");
    }

    @BeforeAll static void startBus() throws Exception { bus = new StandInBus(dir.resolve("bus")); }

    @AfterAll static void stopBus() { bus.close(); }

    @BeforeEach void reset() { bus.manager.reset(); }

    static String pretty(String json) throws Exception { return new ObjectMapper().readTree(json).toPrettyString() + "\n"; }

    @Test
    void listPrintsAlignedColumnsAndSendsNoFilter() {
        bus.manager.answer("ListBranches", "{\"branches\":[" + BRANCH + ",{\"id\":\"b2\",\"owner_uid\":0,\"profile\":\"ci-runner\","
                + "\"base\":\"/x\",\"state\":\"review-pending\",\"created\":\"2026-11-22T09:00:00Z\"}]}");
        Run r = bus.run("branch", "list");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("ListBranches", ""));
        assertThat(r.out()).isEqualTo("""
                ID       STATE           PROFILE    OWNER  BASE          CREATED
                agent-1  active          standard   1000   /srv/project  2026-11-22T10:00:00Z
                b2       review-pending  ci-runner  0      /x            2026-11-22T09:00:00Z
                """);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void listFiltersByStateAndAbsoluteBaseAndPrintsJson() throws Exception {
        String answer = "{\"branches\":[" + BRANCH + "]}";
        bus.manager.answer("ListBranches", answer);
        Run r = bus.run("branch", "list", "--state", "active", "--base", "/srv/./project/", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("ListBranches", "{\"state\":\"active\",\"base\":\"/srv/project\"}"));
        assertThat(r.out()).isEqualTo(pretty(answer));
    }

    @Test
    void anUnknownStateIsAUsageErrorAndNothingIsSent() {
        Run r = bus.run("branch", "list", "--state", "running");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown state \"running\": one of ready, active, frozen, committing, review-pending");
        assertThat(bus.manager.calls()).isEmpty();
    }

    @Test
    void inspectPrintsTheBranchAndItsDecision() throws Exception {
        String withDecision = BRANCH.replace("\"decision\":null", "\"decision\":" + DECISION_REJECTED)
                .replace("\"state\":\"active\"", "\"state\":\"rolled-back\"");
        bus.manager.answer("InspectBranch", withDecision);
        Run r = bus.run("branch", "inspect", "agent-1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("InspectBranch", "agent-1"));
        assertThat(r.out()).isEqualTo("""
                id:        agent-1
                state:     rolled-back
                profile:   standard
                owner:     1000
                base:      /srv/project
                workspace: /workspace
                created:   2026-11-22T10:00:00Z
                updated:   2026-11-22T10:05:00Z
                expires:   2026-11-22T11:00:00Z
                on exit:   commit
                overlay:   kernel
                container: c0ffee
                pid:       4242
                upper:     /b/agent-1/upper
                work:      /b/agent-1/work
                podman -v: /srv/project:/workspace:O,upperdir=/b/agent-1/upper,workdir=/b/agent-1/work
                decision:
                  outcome: rejected (allow: false)
                  branch: agent-1  state: rolled-back
                  profile: standard  fail mode: closed  policy: sha256:ab12
                  changes: 3 (2 files, 2.0 KiB)  exit code: 0
                  violations:
                    error  no-secrets: .ssh/id_rsa is a private key
                    critical  persistence: etc/cron.d/backdoor adds a cron job
                  decided: 2026-11-22T10:06:00Z in 12 ms
                """);
        Run j = bus.run("-o", "json", "branch", "inspect", "agent-1");
        assertThat(j.out()).isEqualTo(pretty(withDecision));
    }

    @Test
    void diffPrintsOneLinePerChange() throws Exception {
        String diff = """
                {"branch":"agent-1","changes":[
                  {"path":"src/new.c","kind":"Added","type":"file","directory":false,"size":12},
                  {"path":"README.md","kind":"Modified","type":"file","directory":false,"size":3500},
                  {"path":"old","kind":"Deleted","type":"directory","directory":true,"size":0},
                  {"path":"run.sh","kind":"MetadataChanged","type":"file","directory":false,"size":10,"old_mode":420,"new_mode":493},
                  {"path":"latest","kind":"Symlink","type":"symlink","directory":false,"size":0,"target":"src/new.c"},
                  {"path":"copy.c","kind":"Hardlink","type":"file","directory":false,"size":12,"hardlink_of":"src/new.c"},
                  {"path":"pipe","kind":"Fifo","type":"fifo","directory":false,"size":0},
                  {"path":"lib","kind":"Added","type":"directory","directory":true,"size":0}],
                 "skipped":[{"path":"sock","reason":"a socket cannot be committed"}],
                 "summary":{"changes":8,"bytes":3524,"Added":2,"Modified":1,"Deleted":1}}""";
        bus.manager.answer("DiffBranch", diff);
        Run r = bus.run("branch", "diff", "agent-1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("DiffBranch", "agent-1"));
        assertThat(r.out()).isEqualTo("""
                A src/new.c (12 B)
                M README.md (3.4 KiB)
                D old/
                P run.sh (mode 0644 -> 0755)
                L latest -> src/new.c
                H copy.c => src/new.c
                F pipe
                A lib/
                skipped sock: a socket cannot be committed
                8 changes, 3.4 KiB
                """);
        assertThat(bus.run("branch", "diff", "agent-1", "--output=json").out()).isEqualTo(pretty(diff));
    }

    @Test
    void approveExitsByOutcome() throws Exception {
        bus.manager.answer("ApproveBranch", decision("committed", true));
        Run ok = bus.run("branch", "approve", "agent-1", "--comment", "looks fine");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("outcome: committed (allow: true)\n").doesNotContain("violations");
        assertThat(bus.manager.calls()).containsExactly(Call.of("ApproveBranch", "agent-1", "looks fine"));

        bus.manager.reset();
        bus.manager.answer("ApproveBranch", decision("conflict", true));
        Run conflict = bus.run("branch", "approve", "agent-1");
        assertThat(conflict.exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(bus.manager.calls()).containsExactly(Call.of("ApproveBranch", "agent-1", ""));

        bus.manager.answer("ApproveBranch", DECISION_REJECTED);
        Run rejected = bus.run("-o", "json", "branch", "approve", "agent-1");
        assertThat(rejected.exit()).isEqualTo(ExitCodes.REJECTED);
        assertThat(rejected.out()).isEqualTo(pretty(DECISION_REJECTED));
    }

    @Test
    void commitExitsByOutcome() throws Exception {
        bus.manager.answer("CommitBranch", DECISION_REJECTED);
        Run rejected = bus.run("branch", "commit", "agent-1");
        assertThat(rejected.exit()).isEqualTo(ExitCodes.REJECTED);
        assertThat(rejected.out()).startsWith("outcome: rejected (allow: false)\n")
                .contains("  error  no-secrets: .ssh/id_rsa is a private key\n");
        bus.manager.answer("CommitBranch", decision("review-pending", true));
        assertThat(bus.run("branch", "commit", "agent-1").exit()).isZero();
        bus.manager.answer("CommitBranch", decision("committed", true));
        assertThat(bus.run("branch", "commit", "agent-1").exit()).isZero();
        bus.manager.answer("CommitBranch", decision("conflict", true));
        assertThat(bus.run("branch", "commit", "agent-1", "-o", "json").exit()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(bus.manager.calls()).hasSize(4).allMatch(c -> c.equals(Call.of("CommitBranch", "agent-1")));
    }

    @Test
    void rejectAndRollbackSendTheReason() throws Exception {
        bus.manager.answer("RejectBranch", decision("rolled-back", true));
        Run r = bus.run("branch", "reject", "agent-1", "--reason", "touches CI config");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("outcome: rolled-back (allow: true)\n");
        bus.manager.answer("RollbackBranch", BRANCH.replace("\"active\"", "\"rolled-back\""));
        Run rb = bus.run("branch", "rollback", "agent-1");
        assertThat(rb.exit()).as(rb.err()).isZero();
        assertThat(rb.out()).contains("state:     rolled-back\n");
        Run rbj = bus.run("branch", "rollback", "agent-1", "--reason", "agent looped", "-o", "json");
        assertThat(rbj.out()).isEqualTo(pretty(BRANCH.replace("\"active\"", "\"rolled-back\"")));
        assertThat(bus.manager.calls()).containsExactly(
                Call.of("RejectBranch", "agent-1", "touches CI config"),
                Call.of("RollbackBranch", "agent-1", ""),
                Call.of("RollbackBranch", "agent-1", "agent looped"));
    }

    @Test
    void createSendsProfileAbsoluteBaseAndOptions() throws Exception {
        bus.manager.answer("CreateBranch", BRANCH.replace("\"active\"", "\"ready\""));
        Run r = bus.run("branch", "create", "--profile", "standard", "--base", "/srv/project/../project",
                "--id", "agent-1", "--lifetime", "1h30m", "--on-exit", "hold", "--workspace", "/work", "--overlay", "fuse",
                "--no-require-clean-exit");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("CreateBranch", "standard", "/srv/project",
                "{\"id\":\"agent-1\",\"workspace\":\"/work\",\"lifetime_seconds\":5400,\"on_exit\":\"hold\",\"require_clean_exit\":false,\"overlay\":\"fuse\"}"));
        assertThat(r.out()).startsWith("id:        agent-1\nstate:     ready\n")
                .contains("podman -v: /srv/project:/workspace:O,upperdir=/b/agent-1/upper,workdir=/b/agent-1/work\n");

        bus.manager.reset();
        bus.manager.answer("CreateBranch", BRANCH);
        Run plain = bus.run("branch", "create", "--profile", "standard", "--base", "relative/dir", "-o", "json");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("CreateBranch", "standard",
                Path.of("relative/dir").toAbsolutePath().normalize().toString(), ""));
        assertThat(plain.out()).isEqualTo(pretty(BRANCH));
    }

    @Test
    void malformedArgumentsAreUsageErrorsAndNothingIsSent() {
        assertThat(bus.run("branch", "inspect", "../etc").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bus.run("branch", "create", "--profile", "Standard", "--base", "/x").err())
                .contains("invalid profile name \"Standard\"");
        assertThat(bus.run("branch", "create", "--profile", "standard", "--base", "/x", "--lifetime", "soon").err())
                .contains("invalid duration \"soon\"");
        assertThat(bus.run("branch", "create", "--profile", "standard", "--base", "/x", "--on-exit", "explode").exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(bus.run("branch", "create", "--base", "/x").err()).contains("Missing required option: '--profile=PROFILE'");
        Run noSub = bus.run("branch");
        assertThat(noSub.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noSub.err()).contains("missing subcommand of puzzlectl branch");
        assertThat(bus.manager.calls()).isEmpty();
    }
}
