package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.ctl.StandInBus.Run;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.lobstertrap.puzzlepod.testkit.PuzzledInstance;

/**
 * puzzlectl against the real puzzled (a child process with the shipped profiles and policies) on a private
 * system-type bus with the product's bus policy: output and exit codes of the everyday commands.
 */
class PuzzlectlOnRealDaemonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    static DbusDaemon bus;
    static PuzzledInstance daemon;

    @BeforeAll static void start() throws Exception {
        Path config = PuzzledInstance.prepare(dir.resolve("state"), Path.of("..", "profiles"), Path.of("..", "policies"), null);
        bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(PuzzledInstance.busPolicy(dir.resolve("policy"))));
        daemon = PuzzledInstance.start(PuzzledInstance.javaCommand(), config, bus.address(), dir).awaitReady(60);
    }

    @AfterAll static void stop() throws Exception {
        try {
            if (daemon != null) assertThat(daemon.stop(30)).as(daemon.stderr()).isZero();
        } finally {
            if (daemon != null) daemon.close();
            if (bus != null) bus.close();
        }
    }

    /** puzzlectl as root on the test's bus. */
    private static Run ctl(String... args) {
        List<String> all = new ArrayList<>(List.of("--bus", bus.address()));
        all.addAll(List.of(args));
        return StandInBus.execute(new PuzzleCtl(Map.of(), () -> 0), "", all.toArray(String[]::new));
    }

    private static Run ok(String... args) {
        Run r = ctl(args);
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err() + r.out()).isZero();
        return r;
    }

    @Test
    void statusShowsTheLoadedPolicy() throws Exception {
        assertThat(ok("status").out()).contains("policy").contains("loaded");
        JsonNode s = JSON.readTree(ok("status", "-o", "json").out());
        assertThat(s.get("policy").get("loaded").asBoolean()).isTrue();
        assertThat(s.get("daemon_uid").asInt()).isZero();
    }

    @Test
    void branchCreateListInspectDiffCommit() throws Exception {
        Path base = Files.createDirectories(dir.resolve("project"));
        Files.writeString(base.resolve("README.md"), "hello\n");
        Run created = ok("branch", "create", "--profile", "standard", "--base", base.toString(), "--id", "ctl-1");
        assertThat(created.out()).contains("ctl-1").contains("ready").contains(base + ":/workspace:O,upperdir=");

        JsonNode b = JSON.readTree(ok("branch", "inspect", "ctl-1", "-o", "json").out());
        assertThat(b.get("state").asText()).isEqualTo("ready");
        // an added file in the upper dir is what the container's write would leave there
        Files.writeString(Path.of(b.get("upper").asText()).resolve("notes.txt"), "written by the agent\n");

        assertThat(ok("branch", "list").out()).contains("ctl-1").contains("ready").contains(base.toString());
        assertThat(ok("branch", "inspect", "ctl-1").out()).contains("ctl-1").contains("standard");
        assertThat(ok("branch", "diff", "ctl-1").out()).contains("A").contains("notes.txt");

        Run commit = ok("branch", "commit", "ctl-1");
        assertThat(commit.out()).contains("committed");
        assertThat(base.resolve("notes.txt")).hasContent("written by the agent");
        assertThat(JSON.readTree(ok("branch", "inspect", "ctl-1", "-o", "json").out()).get("state").asText()).isEqualTo("committed");
    }

    @Test
    void branchInspectOfAMissingIdExits4() {
        Run r = ctl("branch", "inspect", "no-such-branch");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("no-such-branch");
    }

    @Test
    void policyTestExits1OnARejectedChangesetAnd0OnACleanOne() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"changes\":[{\"path\":\".ssh/id_rsa\",\"kind\":\"Added\",\"type\":\"file\",\"size\":5,\"new_mode\":384},"
                + "{\"path\":\"etc/cron.d/x\",\"kind\":\"Added\",\"type\":\"file\",\"size\":9,\"new_mode\":420}]}");
        Run rejected = ctl("policy", "test", bad.toString());
        assertThat(rejected.exit()).as(rejected.err() + rejected.out()).isEqualTo(ExitCodes.REJECTED);
        assertThat(rejected.out()).contains("rejected").contains("sensitive-file").contains("persistence");

        Path clean = dir.resolve("clean.json");
        Files.writeString(clean, "{\"changes\":[{\"path\":\"src/a.py\",\"kind\":\"Added\",\"type\":\"file\",\"size\":5,\"new_mode\":420}]}");
        Run allowed = ctl("policy", "test", clean.toString());
        assertThat(allowed.exit()).as(allowed.err() + allowed.out()).isZero();
        assertThat(allowed.out()).contains("committed");
    }

    @Test
    void auditVerifyExits0() {
        Run r = ok("audit", "verify");
        assertThat(r.out()).startsWith("audit log ok: ").contains(" records in ");
    }

    @Test
    void profileListAndShow() throws Exception {
        Run list = ok("profile", "list");
        assertThat(list.out()).contains("standard").contains("restricted").contains("ci-runner");
        Run show = ok("profile", "show", "standard");
        assertThat(show.out()).contains("standard");
        JsonNode p = JSON.readTree(ok("profile", "show", "standard", "-o", "json").out());
        assertThat(p.get("name").asText()).isEqualTo("standard");
        Run missing = ctl("profile", "show", "no-such-profile");
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
