package org.lobstertrap.puzzlepod.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * Rootless mode end to end: a real unprivileged user runs a per-user puzzled on its own session bus and
 * governed containers on rootless podman (runc in the user's namespace, fuse-overlayfs storage, slirp4netns),
 * through {@code puzzle-podman run} and through plain {@code podman run} with the hooks ({@link RootlessStack}).
 */
@Tag("slow")
class RootlessModeTest {
    static final int REJECTED = 70, ROLLED_BACK = 71, UNREACHABLE = 74;

    @TempDir Path dir;
    RootlessStack stack;
    Path base;

    @BeforeEach
    void setUp() throws Exception {
        stack = RootlessStack.start(dir);
        base = stack.home().resolve("project");
        Files.createDirectories(base.resolve("src"));
        Files.createDirectories(base.resolve("docs/old"));
        Files.writeString(base.resolve("README.md"), "the project\n");
        Files.writeString(base.resolve("old.txt"), "to be deleted\n");
        Files.writeString(base.resolve("src/main.c"), "int main(void) { return 0; }\n");
        Files.writeString(base.resolve("docs/old/a.md"), "a\n");
        Files.writeString(base.resolve("docs/old/b.md"), "b\n");
        stack.chown(base);
    }

    @AfterEach
    void tearDown() {
        if (stack != null) stack.close();
    }

    private List<String> wrapperRun(String script, String... options) {
        List<String> args = new ArrayList<>(List.of("--profile", "standard", "--base", base.toString()));
        args.addAll(List.of(options));
        args.addAll(List.of("--rm", "--name", stack.containerName(), GovernedStack.IMAGE, "sh", "-c", script));
        return args;
    }

    private GovernedStack.Result plainRun(String profile, String script, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--name", stack.containerName(),
                "--annotation", Annotations.PROFILE + "=" + profile, "-v", base + ":/workspace"));
        args.addAll(List.of(options));
        args.addAll(List.of(GovernedStack.IMAGE, "sh", "-c", script));
        return stack.podman(args);
    }

    @Test
    void theWrapperCommitsIntoTheUsersBaseWithTheUsersOwnership() throws Exception {
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun(
                "printf 'hello\\n' > /workspace/new.txt && printf 'more\\n' >> /workspace/README.md && rm /workspace/old.txt"
                        // a directory removed and made again: an opaque directory in the upper dir
                        + " && rm -rf /workspace/docs/old && mkdir /workspace/docs/old && printf 'c\\n' > /workspace/docs/old/c.md",
                "--auto-commit"));
        assertThat(r.status()).as(r.both() + "\npuzzled:\n" + stack.puzzledStderr()).isZero();
        assertThat(r.err()).contains("committed");
        assertThat(TreeSnapshot.fileContents(base)).isEqualTo(Map.of(
                "README.md", "the project\nmore\n",
                "new.txt", "hello\n",
                "docs/old/c.md", "c\n",
                "src/main.c", "int main(void) { return 0; }\n"));
        assertThat((int) Files.getAttribute(base.resolve("new.txt"), "unix:uid")).isEqualTo(stack.uid());
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).isEqualTo("committed");
        assertThat(branch.path("owner_uid").asInt()).isEqualTo(stack.uid());
        assertThat(branch.path("overlay").asText()).isEqualTo("userxattr");
        assertThat(stack.auditEvents(branch.path("id").asText(), "gate.decision")).hasSize(1);
    }

    @Test
    void secretsAndCronFilesAreRejectedAndTheBaseIsUntouched() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun(
                "mkdir -p /workspace/.ssh /workspace/etc/cron.d && printf 'KEY\\n' > /workspace/.ssh/id_rsa"
                        + " && printf '* * * * * root sh /x\\n' > /workspace/etc/cron.d/x && rm -rf /workspace/docs",
                "--auto-commit"));
        assertThat(r.status()).as(r.both()).isEqualTo(REJECTED);
        assertThat(r.err()).contains("sensitive-file").contains("persistence");
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        assertThat(stack.onlyBranchOf(base).path("state").asText()).isEqualTo("rolled-back");
    }

    @Test
    void plainRootlessPodmanWithTheAnnotationIsGovernedByTheHooks() throws Exception {
        GovernedStack.Result r = plainRun("standard", "printf 'from plain podman\\n' > /workspace/plain.txt && rm /workspace/old.txt");
        assertThat(r.status()).as(r.both() + "\npuzzled:\n" + stack.puzzledStderr()).isZero();
        String id = stack.onlyBranchOf(base).path("id").asText();
        JsonNode branch = stack.awaitDecided(id);
        assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("committed");
        assertThat(base.resolve("plain.txt")).hasContent("from plain podman");
        assertThat(base.resolve("old.txt")).doesNotExist();

        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result cron = plainRun("standard", "mkdir -p /workspace/etc/cron.d && printf '* * * * * root sh /x\\n' > /workspace/etc/cron.d/x");
        assertThat(cron.status()).as(cron.both()).isZero();
        JsonNode rejected = null;
        String filter = "{\"base\":\"" + base.toRealPath() + "\"}";
        for (JsonNode b : stack.call(c -> c.listBranches(filter)).path("branches"))
            if (!b.path("id").asText().equals(id)) rejected = stack.awaitDecided(b.path("id").asText());
        assertThat(rejected).as("the second branch").isNotNull();
        assertThat(rejected.path("decision").path("outcome").asText()).as(rejected.toString()).isEqualTo("rejected");
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
    }

    @Test
    void hostileNamesAndMarkersComeOutExactly() throws Exception {
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun(
                "cd /workspace && printf 1 > \"$(printf 'new\\nline')\" && printf 2 > \"$(printf 'tab\\there')\" && printf 3 > ./-dash"
                        + " && printf 4 > \"$(printf 'caf\\351')\" && printf 5 > .wh.looks-like-a-whiteout && printf 6 > ' sp '"
                        + " && rm README.md && mkdir README.md && printf 7 > README.md/inside && rm -r src && printf 8 > src",
                "--auto-commit"));
        assertThat(r.status()).as(r.both() + "\npuzzled:\n" + stack.puzzledStderr()).isZero();
        Map<String, String> files = TreeSnapshot.fileContents(base);
        assertThat(files).containsEntry("new\nline", "1").containsEntry("tab\there", "2").containsEntry("-dash", "3")
                .containsEntry(".wh.looks-like-a-whiteout", "5").containsEntry(" sp ", "6").containsEntry("README.md/inside", "7")
                .containsEntry("src", "8").containsEntry("old.txt", "to be deleted\n").containsEntry("docs/old/a.md", "a\n");
        assertThat(files.keySet()).anyMatch(k -> k.startsWith("caf") && k.length() == 4);
        assertThat(files).hasSize(11);
    }

    /**
     * A fuse-overlayfs branch (rootless podman's own {@code :O} volume): its upper dir carries
     * {@code user.fuseoverlayfs.*} xattrs, char 0:0 whiteouts and the {@code .wh..wh..opq} / {@code .wh..opq}
     * markers; the per-user puzzled diffs it as the user and commits exactly the container's view.
     */
    @Test
    void aFuseOverlayfsBranchIsDiffedAndCommittedExactly() throws Exception {
        JsonNode branch = stack.call(c -> c.createBranch("standard", base.toString(), "{\"overlay\":\"fuse\",\"on_exit\":\"hold\"}"));
        String id = branch.path("id").asText();
        String volume = branch.path("podman_volume").asText();
        assertThat(volume).contains(":O,upperdir=");
        // no hooks: plain rootless podman with the branch as its overlay volume, mounted by fuse-overlayfs
        GovernedStack.Result r = stack.asUser(List.of("podman", "run", "--rm", "--name", stack.containerName(), "-v", volume,
                GovernedStack.IMAGE, "sh", "-c",
                "cd /workspace && rm old.txt && rm -rf docs/old && mkdir docs/old && printf 'c\\n' > docs/old/c.md"
                        + " && printf 'more\\n' >> README.md && mkdir -p new/deep && printf 'x\\n' > new/deep/x && rm -r src"));
        assertThat(r.status()).as(r.both()).isZero();
        Path upper = Path.of(branch.path("upper").asText());
        assertThat(stack.asUser(List.of("getfattr", "-d", "-m", "-", upper.resolve("docs/old").toString())).out())
                .as("the opaque marker fuse-overlayfs wrote").contains("user.fuseoverlayfs.opaque");
        JsonNode decided = stack.call(c -> c.commitBranch(id));
        JsonNode after = stack.awaitDecided(id);
        assertThat(after.path("state").asText()).as(decided + "\n" + after + "\npuzzled:\n" + stack.puzzledStderr()).isEqualTo("committed");
        assertThat(TreeSnapshot.fileContents(base)).isEqualTo(Map.of(
                "README.md", "the project\nmore\n",
                "docs/old/c.md", "c\n",
                "new/deep/x", "x\n"));
        assertThat(TreeSnapshot.of(base).entries().keySet()).noneMatch(k -> k.contains(".wh."));
    }

    /** What root could read but the user cannot (a directory the agent made mode 000) fails closed, never half-judged. */
    @Test
    void aDirectoryTheUserCannotReadFailsClosed() throws Exception {
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun(
                "mkdir /workspace/locked && printf x > /workspace/locked/f && printf y > /workspace/fine.txt && chmod 000 /workspace/locked",
                "--auto-commit"));
        assertThat(r.status()).as(r.both()).isNotZero();
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).as(branch.toString()).isIn("rolled-back", "failed");
        assertThat(branch.path("decision").toString()).as(branch.toString()).contains("locked");
        assertThat(stack.puzzledStderr()).doesNotContain("could not delete");
    }

    /** A file made by a non-root user of the container belongs to a subordinate uid, which the user's daemon cannot give away. */
    @Test
    void filesOfASubordinateUidAreRefusedBeforeAnythingIsStaged() throws Exception {
        Path shared = Files.createDirectories(base.resolve("shared"));
        stack.chown(shared);
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun("printf 'by uid 1000\\n' > /workspace/shared/f", "--auto-commit", "--user", "1000:1000"));
        assertThat(r.status()).as(r.both()).isNotZero();
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.toString()).as(branch.toString()).contains("uid " + (subordinateStart() + 999)).contains("subordinate uid");
    }

    /** The first subordinate uid of the rootless user (its container's uid 1 maps there). */
    private static long subordinateStart() throws Exception {
        for (String line : Files.readAllLines(Path.of("/etc/subuid")))
            if (line.startsWith(RootlessStack.USER + ":")) return Long.parseLong(line.split(":")[1]);
        throw new AssertionError(RootlessStack.USER + " has no line in /etc/subuid");
    }

    @Test
    void theKernelContainsTheAgentAsForRoot() throws Exception {
        GovernedStack.Result r = stack.puzzlePodmanRun(wrapperRun(
                "ls /root >/dev/null 2>&1; echo \"ls /root: exit $?\"; (echo x > /etc/evil) 2>/dev/null; echo \"write /etc/evil: exit $?\";"
                        + " /bin/mount -t tmpfs none /tmp 2>&1; echo \"mount: exit $?\"",
                "--auto-rollback"));
        assertThat(r.status()).as(r.both()).isEqualTo(ROLLED_BACK);
        assertThat(r.out()).contains("ls /root: exit 1").contains("write /etc/evil: exit 1").contains("Operation not permitted")
                .contains("mount: exit 126");
        String id = stack.onlyBranchOf(base).path("id").asText();
        assertThat(stack.auditEvents(id, "seccomp.decision").toString()).contains("mount").contains("\"allowed\":false");
    }

    @Test
    void gatedTrafficIsSteeredToTheUsersProxyAndEverythingElseIsDropped() throws Exception {
        // a service on the host's loopback: slirp4netns would let the container reach it at 10.0.2.2
        try (ServerSocket hostService = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            AtomicInteger reached = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!hostService.isClosed()) {
                    try (var s = hostService.accept()) {
                        reached.incrementAndGet();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            int port = hostService.getLocalPort();
            GovernedStack.Result r = plainRun("standard",
                    "printf 'GET / HTTP/1.1\\r\\nHost: denied.example\\r\\n\\r\\n' | nc -w 5 203.0.113.7 80; echo; echo \"web: $?\";"
                            + " nc -w 3 10.0.2.2 " + port + " </dev/null; echo \"host loopback: $?\"");
            assertThat(r.status()).as(r.both() + "\npuzzled:\n" + stack.puzzledStderr()).isZero();
            assertThat(r.out()).as("port 80 reaches the user's proxy, which refuses the name").contains("403");
            assertThat(r.out()).contains("host loopback: 1");
            assertThat(reached.get()).as("connections that reached the host service").isZero();
            String id = stack.onlyBranchOf(base).path("id").asText();
            assertThat(stack.auditEvents(id, "network.decision").toString()).contains("denied.example");
            // the connect to the host's loopback port was refused by puzzled's seccomp supervisor, and audited
            assertThat(stack.auditEvents(id, "seccomp.decision")).anySatisfy(d -> assertThat(d.path("data").toString())
                    .contains("connect").contains("10.0.2.2").contains("\"allowed\":false"));
        }
    }

    /** Blocked on slirp4netns (no --network none): the loopback-only rules sit in the container's netns, put there through its user namespace. */
    @Test
    void aBlockedContainerOnSlirpGetsTheLoopbackOnlyRules() throws Exception {
        String name = stack.containerName();
        // restricted may exec only a few programs (no sleep): sh waits on the stdin conmon keeps open (-i)
        GovernedStack.Result r = stack.podman(List.of("run", "-d", "-i", "--rm", "--name", name,
                "--annotation", Annotations.PROFILE + "=restricted", "-v", base + ":/workspace", GovernedStack.IMAGE, "sh", "-c", "read x"));
        assertThat(r.status()).as(r.both() + "\npuzzled:\n" + stack.puzzledStderr()).isZero();
        stack.awaitActive(stack.onlyBranchOf(base).path("id").asText());  // the rules are in once it is attached
        String pid = stack.asUser(List.of("podman", "inspect", "-f", "{{.State.Pid}}", name)).out().strip();
        assertThat(pid).as("the container runs: %s%npuzzled:%n%s", stack.asUser(List.of("podman", "logs", name)).both(),
                stack.puzzledStderr()).matches("[1-9][0-9]*");
        Map<String, String> sbin = Map.of("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");  // nft and ip live in /usr/sbin
        GovernedStack.Result rules = stack.asUser(List.of("nsenter", "--user=/proc/" + pid + "/ns/user", "--net=/proc/" + pid + "/ns/net",
                "nft", "list", "table", "inet", "puzzlepod"), sbin);
        assertThat(rules.status()).as(rules.both()).isZero();
        assertThat(rules.out()).contains("policy drop").contains("oifname \"lo\" accept").doesNotContain("dnat");
        GovernedStack.Result addresses = stack.asUser(List.of("nsenter", "--user=/proc/" + pid + "/ns/user", "--net=/proc/" + pid + "/ns/net",
                "ip", "-4", "-o", "addr", "show", "scope", "global"), sbin);
        assertThat(addresses.out()).as("slirp4netns gave the container an address, which the rules make useless").contains("10.0.2.");

        // the exec path resolver: in the container's user namespace only, a host process the agent cannot see
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--resolve-in-root \\d+ \\(pid (\\d+)\\)").matcher(stack.puzzledStderr());
        assertThat(m.find()).as("puzzled started a resolver:%n%s", stack.puzzledStderr()).isTrue();
        Path resolver = Path.of("/proc", m.group(1), "ns"), container = Path.of("/proc", pid, "ns"), host = Path.of("/proc/self/ns");
        assertThat(Files.readSymbolicLink(resolver.resolve("user"))).isEqualTo(Files.readSymbolicLink(container.resolve("user")));
        assertThat(Files.readSymbolicLink(resolver.resolve("mnt"))).isEqualTo(Files.readSymbolicLink(host.resolve("mnt")));
        assertThat(Files.readSymbolicLink(resolver.resolve("pid"))).isEqualTo(Files.readSymbolicLink(host.resolve("pid")))
                .isNotEqualTo(Files.readSymbolicLink(container.resolve("pid")));
    }

    /**
     * Exec decisions under a profile with an exec_allowlist: the root of a rootless container is a FUSE mount
     * only its user namespace may use, so puzzled resolves the paths through its resolver there and judges
     * them as for root: sh runs by basename (busybox's sh runs ls without an exec), a copy in the workspace is refused for lying in a writable
     * location, a link whose target is denylisted is refused by that target's name.
     */
    @Test
    void execDecisionsResolvePathsInsideTheRootlessContainer() throws Exception {
        Path tools = Files.createDirectories(base.resolve("tools"));
        Files.writeString(tools.resolve("sh"), "#!/bin/sh\necho copied\n");
        Files.writeString(tools.resolve("wget"), "#!/bin/sh\necho fetched\n");
        for (Path f : List.of(tools.resolve("sh"), tools.resolve("wget")))
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(base.resolve("fetch"), Path.of("tools/wget"));
        stack.chown(base);
        GovernedStack.Result r = plainRun("restricted", "ls /workspace >/dev/null && echo \"ls: ok\";"
                + " /workspace/tools/sh; echo \"copied sh: $?\"; /workspace/fetch; echo \"link to wget: $?\"");
        String log = r.both() + "\npuzzled:\n" + stack.puzzledStderr();
        assertThat(r.status()).as(log).isZero();
        assertThat(r.out()).as(log).contains("ls: ok").contains("copied sh: 126").contains("link to wget: 126")
                .doesNotContain("copied\n").doesNotContain("fetched");
        String id = stack.onlyBranchOf(base).path("id").asText();
        List<JsonNode> decisions = List.of();
        for (int i = 0; i < 100; i++) { // audited off the supervisor's thread
            decisions = stack.auditEvents(id, "seccomp.decision");
            if (decisions.toString().contains("exec_denylist entry 'wget'")) break;
            Thread.sleep(100);
        }
        String all = decisions.toString();
        assertThat(all).as(all).doesNotContain("cannot be resolved");
        assertThat(decisions).as(all).anySatisfy(d -> assertThat(d.path("data").path("reason").asText())
                .isEqualTo("exec_allowlist entry 'sh' matches /bin/busybox"));
        assertThat(decisions).as(all).anySatisfy(d -> {
            assertThat(d.path("data").path("subject").asText()).startsWith("/workspace/tools/sh");
            assertThat(d.path("data").path("allowed").asBoolean()).isFalse();
            assertThat(d.path("data").path("reason").asText()).contains("lies in the writable location /workspace");
        });
        assertThat(decisions).as(all).anySatisfy(d -> {
            assertThat(d.path("data").path("subject").asText()).startsWith("/workspace/fetch (/workspace/tools/wget)");
            assertThat(d.path("data").path("allowed").asBoolean()).isFalse();
            assertThat(d.path("data").path("reason").asText()).contains("exec_denylist entry 'wget'");
        });
    }

    /**
     * A manual trigger while the agent runs: rootless podman on cgroups v1 gives the container no freezer the user
     * may write (it shares the user's cgroup), so puzzled ends it through its PID namespace before judging.
     */
    @Test
    void aRunningContainerIsEndedBeforeAManualTriggerJudgesIt() throws Exception {
        String name = stack.containerName();
        GovernedStack.Result r = stack.podman(List.of("run", "-d", "-i", "--rm", "--name", name,
                "--annotation", Annotations.PROFILE + "=standard", "-v", base + ":/workspace", GovernedStack.IMAGE,
                "sh", "-c", "printf 'half done\\n' > /workspace/work.txt; read x"));
        assertThat(r.status()).as(r.both()).isZero();
        JsonNode branch = stack.onlyBranchOf(base);
        String id = branch.path("id").asText();
        Path written = Path.of(branch.path("upper").asText(), "work.txt");
        for (int i = 0; i < 300 && !Files.exists(written); i++) Thread.sleep(100);
        assertThat(written).as("the agent wrote into its branch").exists();
        assertThat(stack.call(c -> c.inspectBranch(id)).path("state").asText()).isEqualTo("active");

        stack.call(c -> c.triggerGovernance(id, "{\"reason\":\"manual\"}"));
        JsonNode decided = stack.awaitDecided(id);
        assertThat(decided.path("state").asText()).as(decided + "\npuzzled:\n" + stack.puzzledStderr()).isEqualTo("committed");
        assertThat(base.resolve("work.txt")).hasContent("half done");
        assertThat(stack.puzzledStderr()).contains("SIGKILL to its PID namespace");
        // the container's own proxy (Gated) was closed with the branch
        String network = stack.auditEvents(id, "branch.attached").getFirst().path("data").path("network").asText();
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("10\\.0\\.2\\.2:(\\d+)").matcher(network);
        assertThat(port.find()).as(network).isTrue();
        try (java.net.Socket s = new java.net.Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(
                    new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port.group(1))), 2000))
                    .as("the proxy of the finished branch still listens").isInstanceOf(java.io.IOException.class);
        }
        GovernedStack.Result state = stack.asUser(List.of("podman", "ps", "--filter", "name=" + name, "--format", "{{.Names}}"));
        assertThat(state.out().strip()).as("the container is gone").isEmpty();
    }

    @Test
    void withoutTheDaemonNoGovernedContainerStarts() throws Exception {
        Path marker = stack.userDir("marker");
        TreeSnapshot before = TreeSnapshot.of(base);
        stack.stopPuzzled();
        String script = "printf ran > /marker/ran; printf x > /workspace/new.txt";
        GovernedStack.Result plain = plainRun("standard", script, "-v", marker + ":/marker");
        assertThat(plain.status()).as(plain.both()).isNotZero();
        // rootless podman 4.3 shows only the hook's exit status (3: puzzled unreachable), not its message
        assertThat(plain.err()).contains("precreate hook").contains("exit status 3");
        List<String> args = new ArrayList<>(List.of("--profile", "standard", "--base", base.toString(), "--auto-commit",
                "--rm", "--name", stack.containerName(), "-v", marker + ":/marker", GovernedStack.IMAGE, "sh", "-c", script));
        GovernedStack.Result wrapped = stack.puzzlePodmanRun(args);
        assertThat(wrapped.status()).as(wrapped.both()).isEqualTo(UNREACHABLE);
        assertThat(marker.resolve("ran")).doesNotExist();
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
    }
}
