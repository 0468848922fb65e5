package org.lobstertrap.puzzlepod.daemon.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.daemon.commit.TreeHash;
import org.lobstertrap.puzzlepod.daemon.dbus.BusFixture;
import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.lobstertrap.puzzlepod.testkit.PuzzledInstance;

/**
 * The governance lifecycle end to end: the real puzzled process (shipped profiles and policies) on a private
 * system-type bus with the product's bus policy, driven through {@link PuzzlePodClient} (and dbus-send as
 * nobody), with a real kernel overlay mount of each branch standing in for the container.
 */
class PuzzledOverDbusLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_SECONDS = 60;

    @TempDir Path dir;
    private DbusDaemon bus;
    private PuzzledInstance daemon;
    private PuzzlePodClient client;
    private final List<String> signals = new CopyOnWriteArrayList<>();
    private final List<Path> mounts = new ArrayList<>();

    @AfterEach void tearDown() throws Exception {
        for (Path m : mounts) Shell.run(List.of("umount", "-l", m.toString()));
        if (client != null) client.close();
        if (daemon != null) daemon.close();
        if (bus != null) bus.close();
    }

    private Path config(String extraYaml) throws Exception {
        return PuzzledInstance.prepare(dir.resolve("state"), Path.of("..", "profiles"), Path.of("..", "policies"), extraYaml);
    }

    private void startBusAndDaemon(Path config) throws Exception {
        BusFixture.openToOthers(dir);
        bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(BusFixture.policyFile()));
        startDaemon(config);
        client = PuzzlePodClient.connect(BusChoice.address(bus.address()));
        client.onSignals((name, id, json) -> signals.add(name + " " + id));
    }

    private void startDaemon(Path config) throws Exception {
        daemon = PuzzledInstance.start(PuzzledInstance.javaCommand(), config, bus.address(), dir).awaitReady(START_SECONDS);
    }

    private void restartDaemon(Path config) throws Exception {
        assertThat(daemon.stop(30)).as(daemon.stderr()).isEqualTo(PuzzledExit.OK);
        startDaemon(config);
    }

    private Path base(String name) throws Exception {
        Path b = Files.createDirectories(dir.resolve(name));
        Files.writeString(b.resolve("README.md"), "hello\n");
        Files.createDirectories(b.resolve("src"));
        Files.writeString(b.resolve("src/main.c"), "int main(){}\n");
        Files.writeString(b.resolve("old.txt"), "obsolete\n");
        return b;
    }

    private JsonNode create(Path base, String id, String extraOptions) throws Exception {
        return JSON.readTree(client.createBranch("standard", base.toString(), "{\"id\":\"" + id + "\"" + extraOptions + "}"));
    }

    /** Mounts the branch's overlay over its base like the container would, runs writes on it, unmounts. */
    private void writeThrough(JsonNode branch, Writes writes) throws Exception {
        Path mnt = Files.createTempDirectory(dir, "mnt");
        Shell.ok(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + branch.get("base").asText()
                + ",upperdir=" + branch.get("upper").asText() + ",workdir=" + branch.get("work").asText(), mnt.toString()));
        mounts.add(mnt);
        try {
            writes.accept(mnt);
        } finally {
            Shell.ok(List.of("umount", mnt.toString()));
            mounts.remove(mnt);
            Files.delete(mnt);
        }
    }

    @FunctionalInterface
    private interface Writes {
        void accept(Path merged) throws Exception;
    }

    private JsonNode commit(String id) throws Exception { return JSON.readTree(client.commitBranch(id)); }

    private JsonNode inspect(String id) throws Exception { return JSON.readTree(client.inspectBranch(id)); }

    private void awaitSignal(String nameAndId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!signals.contains(nameAndId) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(signals).as("signal " + nameAndId).contains(nameAndId);
    }

    private static TreeHash hash(Path tree) throws Exception { return TreeHash.of(FileSyscalls.linux(), tree); }

    private static List<String> listing(Path base) throws Exception {
        try (var s = Files.walk(base)) {
            return s.map(p -> base.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<String> rules(JsonNode decision) {
        List<String> out = new ArrayList<>();
        decision.get("violations").forEach(v -> out.add(v.get("rule").asText()));
        return out;
    }

    private BusFixture.Result asNobody(String method, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--dest=" + Manager1.BUS_NAME, Manager1.OBJECT_PATH, Manager1.INTERFACE + "." + method));
        for (String s : args) a.add("string:" + s);
        return BusFixture.dbusSendAsNobody(bus.address(), a.toArray(String[]::new));
    }

    @Test
    void approveRejectConflictOwnershipTriggerAndAudit() throws Exception {
        startBusAndDaemon(config(null));

        // approved: the base gets exactly the branch's changes
        Path b1 = base("approved");
        JsonNode a = create(b1, "agent-1", "");
        awaitSignal("BranchCreated agent-1");
        writeThrough(a, m -> {
            Files.writeString(m.resolve("README.md"), "hello, world\n");
            Files.writeString(m.resolve("src/util.c"), "int util(){return 1;}\n");
            Files.write(m.resolve("blob.bin"), new byte[] {0, 1, 2, (byte) 0xff, 10});
            Files.delete(m.resolve("old.txt"));
        });
        JsonNode diff = JSON.readTree(client.diffBranch("agent-1"));
        assertThat(diff.get("summary").get("changes").asInt()).isEqualTo(4);
        JsonNode d = commit("agent-1");
        assertThat(d.get("outcome").asText()).as(d.toString()).isEqualTo("committed");
        assertThat(d.get("allow").asBoolean()).isTrue();
        assertThat(Files.readString(b1.resolve("README.md"))).isEqualTo("hello, world\n");
        assertThat(Files.readString(b1.resolve("src/util.c"))).isEqualTo("int util(){return 1;}\n");
        assertThat(Files.readString(b1.resolve("src/main.c"))).isEqualTo("int main(){}\n");
        assertThat(Files.readAllBytes(b1.resolve("blob.bin"))).containsExactly(0, 1, 2, 0xff, 10);
        assertThat(listing(b1)).containsExactly("", "README.md", "blob.bin", "src", "src/main.c", "src/util.c");
        assertThat(inspect("agent-1").get("state").asText()).isEqualTo("committed");
        awaitSignal("BranchCommitted agent-1");

        // rejected: a key and a cron job; the base stays byte for byte
        Path b2 = base("rejected");
        TreeHash before = hash(b2);
        JsonNode evil = create(b2, "evil", "");
        writeThrough(evil, m -> {
            Files.createDirectories(m.resolve(".ssh"));
            Files.writeString(m.resolve(".ssh/id_rsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
            Files.createDirectories(m.resolve("etc/cron.d"));
            Files.writeString(m.resolve("etc/cron.d/x"), "* * * * * root sh /tmp/x\n");
            Files.writeString(m.resolve("README.md"), "changed too\n");
        });
        JsonNode r = commit("evil");
        assertThat(r.get("outcome").asText()).as(r.toString()).isEqualTo("rejected");
        assertThat(r.get("allow").asBoolean()).isFalse();
        assertThat(rules(r)).contains("sensitive-file", "persistence");
        assertThat(r.get("violations").toString()).contains(".ssh/id_rsa").contains("etc/cron.d/x");
        assertThat(hash(b2)).isEqualTo(before);
        assertThat(inspect("evil").get("state").asText()).isEqualTo("rolled-back");
        awaitSignal("PolicyViolation evil");

        // two branches of one base change the same file: the later commit is a conflict
        Path b3 = base("shared");
        JsonNode first = create(b3, "first", "");
        JsonNode second = create(b3, "second", "");
        writeThrough(first, m -> Files.writeString(m.resolve("src/main.c"), "int main(){return 1;}\n"));
        writeThrough(second, m -> Files.writeString(m.resolve("src/main.c"), "int main(){return 2;}\n"));
        assertThat(commit("first").get("outcome").asText()).isEqualTo("committed");
        JsonNode c = commit("second");
        assertThat(c.get("outcome").asText()).as(c.toString()).isEqualTo("conflict");
        assertThat(c.get("reason").asText()).contains("src/main.c");
        assertThat(inspect("second").get("state").asText()).isEqualTo("failed");
        assertThat(Files.readString(b3.resolve("src/main.c"))).isEqualTo("int main(){return 1;}\n");

        // ownership: nobody may not read or commit root's branch, nor branch root's directory ...
        create(b3, "roots", "");
        for (String method : List.of("InspectBranch", "CommitBranch")) {
            BusFixture.Result denied = asNobody(method, "roots");
            assertThat(denied.exit()).as(denied.out()).isNotZero();
            assertThat(denied.out()).contains("org.lobstertrap.PuzzlePod1.Error.AccessDenied");
        }
        BusFixture.Result notHis = asNobody("CreateBranch", "standard", b3.toString(), "");
        assertThat(notHis.out()).contains("org.lobstertrap.PuzzlePod1.Error.AccessDenied");
        assertThat(inspect("roots").get("state").asText()).isEqualTo("ready");
        // ... but may branch a directory it owns, and then see that branch
        Path own = Files.createDirectories(dir.resolve("nobodys"));
        Files.setAttribute(own, "unix:uid", 65534);
        Files.setAttribute(own, "unix:gid", 65534);
        BusFixture.Result mine = asNobody("CreateBranch", "standard", own.toString(), "{\"id\":\"nobodys\"}");
        assertThat(mine.exit()).as(mine.out()).isZero();
        assertThat(mine.out()).contains("\"owner_uid\":65534");
        assertThat(asNobody("InspectBranch", "nobodys").out()).contains("\"id\":\"nobodys\"");
        assertThat(inspect("nobodys").get("owner_uid").asInt()).isEqualTo(65534);

        // TriggerGovernance returns at once; WaitBranch sees the decision
        Path b4 = base("triggered");
        JsonNode t = create(b4, "trig", ",\"on_exit\":\"commit\",\"require_clean_exit\":true");
        writeThrough(t, m -> Files.writeString(m.resolve("done.txt"), "done\n"));
        JsonNode accepted = JSON.readTree(client.triggerGovernance("trig", "{\"reason\":\"stopped\",\"exit_code\":0}"));
        assertThat(accepted.get("accepted").asBoolean()).as(accepted.toString()).isTrue();
        JsonNode w = JSON.readTree(client.waitBranch("trig", 30_000));
        assertThat(w.get("decided").asBoolean()).isTrue();
        assertThat(w.get("state").asText()).isEqualTo("committed");
        assertThat(w.get("decision").get("outcome").asText()).isEqualTo("committed");
        assertThat(b4.resolve("done.txt")).hasContent("done");

        // the audit log holds every decision, in a valid chain
        JsonNode events = JSON.readTree(client.queryAuditEvents("{\"types\":[\"gate.decision\"]}")).get("events");
        List<String> decided = new ArrayList<>();
        events.forEach(e -> decided.add(e.get("branch").asText() + " " + e.get("data").get("outcome").asText()));
        assertThat(decided).contains("agent-1 committed", "evil rejected", "first committed", "second conflict", "trig committed");
        List<String> trigTypes = new ArrayList<>();
        JSON.readTree(client.queryAuditEvents("{\"branch\":\"trig\"}")).get("events").forEach(e -> trigTypes.add(e.get("type").asText()));
        assertThat(trigTypes).containsSubsequence("branch.created", "governance.triggered", "gate.decision", "branch.committed");
        JsonNode verify = JSON.readTree(client.verifyAudit());
        assertThat(verify.get("ok").asBoolean()).as(verify.toString()).isTrue();
        assertThat(verify.get("records").asInt()).isGreaterThan(15);
        BusFixture.Result nobodysAudit = asNobody("QueryAuditEvents", "");
        assertThat(nobodysAudit.out()).contains("nobodys").doesNotContain("agent-1");

        assertThat(daemon.stop(30)).as(daemon.stderr()).isEqualTo(PuzzledExit.OK);
    }

    @Test
    void reviewApproveRejectSurviveARestartAndTimeOut() throws Exception {
        Path cfg = config("review: {enabled: true, timeout: 1h}");
        startBusAndDaemon(cfg);
        Path base = base("reviewed");

        // approve commits
        JsonNode r1 = create(base, "r1", "");
        writeThrough(r1, m -> Files.writeString(m.resolve("a.txt"), "approved\n"));
        JsonNode pending = commit("r1");
        assertThat(pending.get("outcome").asText()).as(pending.toString()).isEqualTo("review-pending");
        assertThat(base.resolve("a.txt")).doesNotExist();
        awaitSignal("GovernanceReviewPending r1");
        JsonNode approved = JSON.readTree(client.approveBranch("r1", "looks fine"));
        assertThat(approved.get("outcome").asText()).as(approved.toString()).isEqualTo("committed");
        assertThat(base.resolve("a.txt")).hasContent("approved");
        awaitSignal("BranchCommitted r1");

        // reject rolls back
        TreeHash before = hash(base);
        JsonNode r2 = create(base, "r2", "");
        writeThrough(r2, m -> Files.writeString(m.resolve("b.txt"), "rejected\n"));
        assertThat(commit("r2").get("outcome").asText()).isEqualTo("review-pending");
        JsonNode rejected = JSON.readTree(client.rejectBranch("r2", "not now"));
        assertThat(rejected.get("outcome").asText()).as(rejected.toString()).isEqualTo("rolled-back");
        assertThat(inspect("r2").get("state").asText()).isEqualTo("rolled-back");
        assertThat(hash(base)).isEqualTo(before);

        // a pending review survives a restart and can be approved after it
        JsonNode r3 = create(base, "r3", "");
        writeThrough(r3, m -> Files.writeString(m.resolve("c.txt"), "after restart\n"));
        assertThat(commit("r3").get("outcome").asText()).isEqualTo("review-pending");
        restartDaemon(cfg);
        assertThat(inspect("r3").get("state").asText()).isEqualTo("review-pending");
        assertThat(JSON.readTree(client.approveBranch("r3", "")).get("outcome").asText()).isEqualTo("committed");
        assertThat(base.resolve("c.txt")).hasContent("after restart");
        assertThatThrownBy(() -> client.approveBranch("r3", ""))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code()).isEqualTo(ApiError.InvalidState));

        // with a short timeout an unanswered review is rolled back
        Path shortCfg = config("review: {enabled: true, timeout: 1s}");
        restartDaemon(shortCfg);
        JsonNode r4 = create(base, "r4", "");
        writeThrough(r4, m -> Files.writeString(m.resolve("d.txt"), "too late\n"));
        before = hash(base);
        assertThat(commit("r4").get("outcome").asText()).isEqualTo("review-pending");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!inspect("r4").get("state").asText().equals("rolled-back") && System.nanoTime() < deadline) Thread.sleep(100);
        JsonNode timedOut = inspect("r4");
        assertThat(timedOut.get("state").asText()).as(timedOut.toString()).isEqualTo("rolled-back");
        assertThat(timedOut.get("decision").get("outcome").asText()).isEqualTo("rolled-back");
        assertThat(hash(base)).isEqualTo(before);
        List<String> types = new ArrayList<>();
        JSON.readTree(client.queryAuditEvents("{\"types\":[\"review.approved\",\"review.rejected\",\"review.timeout\"]}"))
                .get("events").forEach(e -> types.add(e.get("type").asText() + " " + e.get("branch").asText()));
        assertThat(types).contains("review.approved r1", "review.rejected r2", "review.approved r3", "review.timeout r4");
        assertThat(JSON.readTree(client.verifyAudit()).get("ok").asBoolean()).isTrue();
        assertThat(daemon.stop(30)).as(daemon.stderr()).isEqualTo(PuzzledExit.OK);
    }
}
