package org.lobstertrap.puzzlepod.initshim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * puzzle-init as the first process of real podman containers on the real kernel: Landlock filesystem
 * and TCP rules, fail-closed requirements, no_new_privs, exit-code pass-through, agent-only images.
 */
@Tag("slow")
final class PuzzleInitContainerTest {
    private static final String SHIM_IN_CONTAINER = "/.puzzlepod/puzzle-init";
    /** Enough for busybox sh to run and for /proc probes. */
    private static final String BASE_RULES = "version 1\nread /bin\nread /proc\n";

    private static Path shim;
    private static Path agentDir;
    private static String agentOnlyImage;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void findShimAndBuildAgentOnlyImage() throws IOException {
        String binary = System.getProperty("puzzle.init.binary");
        if (binary == null)
            fail("system property puzzle.init.binary is not set; run the tests through the init-shim Maven module");
        shim = Path.of(binary).toAbsolutePath();
        if (!Files.isExecutable(shim))
            fail("puzzle-init binary missing at " + shim + "; build it with: mvn -pl init-shim compile");
        Commands.requireImage();

        // An image holding nothing but one static binary: busybox copied out of the test image as /agent/sh
        // (busybox picks its applet from the file name, so the name must be one).
        agentDir = Files.createDirectories(shared.resolve("agent-only/agent"));
        Commands.ok(List.of("podman", "run", "--rm", "--network=none", "-v", agentDir + ":/out", Commands.IMAGE,
                "cp", "/bin/busybox", "/out/sh"));
        Path tar = shared.resolve("agent-only.tar");
        Commands.ok(List.of("tar", "-C", agentDir.getParent().toString(), "-cf", tar.toString(), "agent"));
        agentOnlyImage = "localhost/puzzlepod-agent-only-" + UUID.randomUUID().toString().substring(0, 8) + ":test";
        Commands.ok(List.of("podman", "import", "--quiet", tar.toString(), agentOnlyImage));
    }

    @AfterAll
    static void removeAgentOnlyImage() {
        if (agentOnlyImage != null) Commands.run(List.of("podman", "rmi", "--force", agentOnlyImage));
    }

    /** Runs the agent under puzzle-init with the given rules; extra are additional podman options. */
    private Commands.Outcome runUnderShim(String image, String rules, List<String> extra, String... agent)
            throws IOException {
        Path rulesFile = dir.resolve("rules");
        Files.writeString(rulesFile, rules);
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        List<String> cmd = new ArrayList<>(List.of("podman", "run", "--rm",
                "-v", shim + ":" + SHIM_IN_CONTAINER + ":ro",
                "-v", rulesFile + ":/.puzzlepod/rules:ro",
                "-v", workspace + ":/workspace"));
        cmd.addAll(extra);
        cmd.add(image);
        cmd.add(SHIM_IN_CONTAINER);
        cmd.add("--");
        cmd.addAll(List.of(agent));
        return Commands.run(cmd);
    }

    private Commands.Outcome sh(String rules, List<String> extra, String script) throws IOException {
        return runUnderShim(Commands.IMAGE, rules, extra, "sh", "-c", script);
    }

    @Test
    void readOutsideTheAllowlistIsDenied() throws IOException {
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(secret.resolve("token"), "s3cret\n");
        var o = sh(BASE_RULES, List.of("-v", secret + ":/secret:ro"), "cat /secret/token; echo cat=$?");

        assertThat(o.stdout()).as(o.all()).contains("cat=1").doesNotContain("s3cret");
        assertThat(o.stderr()).as(o.all()).contains("/secret/token").contains("Permission denied");
    }

    @Test
    void writeBeneathWriteRuleSucceedsAndBeneathReadRuleIsDenied() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("in.txt"), "input\n");
        var o = sh(BASE_RULES + "write /workspace\nread /data\n", List.of("-v", data + ":/data"),
                "cat /data/in.txt && echo out > /workspace/result.txt && echo ok; echo x > /data/new.txt; echo w=$?");

        assertThat(o.stdout()).as(o.all()).contains("input", "ok", "w=1");
        assertThat(o.stderr()).as(o.all()).contains("/data/new.txt").contains("Permission denied");
        assertThat(dir.resolve("workspace/result.txt")).hasContent("out");
        assertThat(data.resolve("new.txt")).doesNotExist();
    }

    @Test
    void theWorkspaceIsWritableWithoutAnExplicitRule() throws IOException {
        var o = sh(BASE_RULES, List.of(), "echo implicit > /workspace/w.txt && echo done");

        assertThat(o.stdout()).as(o.all()).contains("done");
        assertThat(dir.resolve("workspace/w.txt")).hasContent("implicit");
    }

    @Test
    void execOfABinaryOutsideReadExecuteIsDenied() throws IOException {
        Path tools = Files.createDirectories(dir.resolve("tools"));
        Files.copy(agentDir.resolve("sh"), tools.resolve("busybox"));
        var o = sh(BASE_RULES, List.of("-v", tools + ":/tools:ro"), "/tools/busybox true; echo exec=$?");

        assertThat(o.stdout()).as(o.all()).contains("exec=126");
        assertThat(o.stderr()).as(o.all()).contains("/tools/busybox").contains("Permission denied");
    }

    @Test
    void tcpConnectToAnUnlistedPortIsDeniedWhileAListedPortReachesTheNetwork() throws IOException {
        var o = sh(BASE_RULES + "write /dev/null\ntcp-connect 80\ntcp-bind none\n", List.of(),
                "nc 127.0.0.1 81 </dev/null; echo unlisted=$?; nc 127.0.0.1 80 </dev/null; echo listed=$?");

        String[] lines = o.stderr().lines().filter(l -> l.startsWith("nc:")).toArray(String[]::new);
        assertThat(lines).as(o.all()).hasSize(2);
        assertThat(lines[0]).contains("Permission denied");
        assertThat(lines[1]).contains("Connection refused");
        assertThat(o.stdout()).as(o.all()).contains("unlisted=1", "listed=1");
    }

    @Test
    void aMissingPathWarnsAndTheAgentStillRuns() throws IOException {
        var o = sh(BASE_RULES + "read /no/such/dir\n", List.of(), "echo agent-ran");

        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.stdout()).as(o.all()).contains("agent-ran");
        assertThat(o.stderr()).as(o.all())
                .contains("puzzle-init: warning: rules:4: skipping /no/such/dir: No such file or directory");
    }

    @Test
    void requirePathsRefusesToStartWhenAPathIsMissing() throws IOException {
        var o = sh(BASE_RULES + "require paths\nread /no/such/dir\n", List.of(), "echo agent-ran");

        assertThat(o.exit()).as(o.all()).isEqualTo(126);
        assertThat(o.stdout()).as(o.all()).doesNotContain("agent-ran");
        assertThat(o.stderr()).as(o.all()).contains("puzzle-init: rules:5: /no/such/dir: No such file or directory");
    }

    @Test
    void requireLandlockWithAnAbiTheKernelCannotMeetFailsClosed() throws IOException {
        var o = sh(BASE_RULES + "require landlock\nmin-abi 99\n", List.of(), "echo agent-ran");

        assertThat(o.exit()).as(o.all()).isEqualTo(126);
        assertThat(o.stdout()).as(o.all()).doesNotContain("agent-ran");
        assertThat(o.stderr()).as(o.all()).contains("min-abi 99").contains("refusing to start");
    }

    @Test
    void landlockUnavailableFailsClosedWithRequireAndWarnsWithout() throws IOException {
        // A seccomp profile that answers the Landlock syscalls with ENOSYS, as a kernel without Landlock does.
        Path profile = Files.writeString(dir.resolve("no-landlock.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["landlock_create_ruleset",
                  "landlock_add_rule", "landlock_restrict_self"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}
                """);
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(secret.resolve("token"), "s3cret\n");
        List<String> opts = List.of("--security-opt", "seccomp=" + profile, "-v", secret + ":/secret:ro");

        var required = sh(BASE_RULES + "require landlock\n", opts, "echo agent-ran");
        assertThat(required.exit()).as(required.all()).isEqualTo(126);
        assertThat(required.stdout()).as(required.all()).doesNotContain("agent-ran");
        assertThat(required.stderr()).as(required.all())
                .contains("Landlock is unavailable (ENOSYS").contains("'require landlock'; refusing to start");

        var optional = sh(BASE_RULES, opts, "cat /secret/token; grep NoNewPrivs /proc/self/status");
        assertThat(optional.exit()).as(optional.all()).isZero();
        assertThat(optional.stdout()).as(optional.all()).contains("s3cret").containsPattern("NoNewPrivs:\\s+1");
        assertThat(optional.stderr()).as(optional.all())
                .contains("puzzle-init: warning: Landlock is unavailable (ENOSYS");
    }

    @Test
    void anUnmetAbiWithoutRequireWarnsAndStillConfines() throws IOException {
        Path secret = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(secret.resolve("token"), "s3cret\n");
        var o = sh(BASE_RULES + "min-abi 99\n", List.of("-v", secret + ":/secret:ro"),
                "cat /secret/token; echo agent-ran");

        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.stdout()).as(o.all()).contains("agent-ran").doesNotContain("s3cret");
        assertThat(o.stderr()).as(o.all()).contains("below min-abi 99").contains("Permission denied");
    }

    @Test
    void aBadRulesFileStopsBeforeTheAgentWithItsLine() throws IOException {
        var o = sh(BASE_RULES + "tcp-connect https\n", List.of(), "echo agent-ran");

        assertThat(o.exit()).as(o.all()).isEqualTo(126);
        assertThat(o.stdout()).as(o.all()).doesNotContain("agent-ran");
        assertThat(o.stderr()).as(o.all()).contains("puzzle-init: rules:4: bad port 'https'");
    }

    @Test
    void noNewPrivsIsSet() throws IOException {
        var o = sh(BASE_RULES, List.of(), "grep NoNewPrivs /proc/self/status");

        assertThat(o.exit()).as(o.all()).isZero();
        assertThat(o.stdout()).as(o.all()).matches("(?s)NoNewPrivs:\\s+1\\s*");
    }

    @Test
    void theAgentsExitCodePassesThroughUnchanged() throws IOException {
        assertThat(sh(BASE_RULES, List.of(), "exit 42").exit()).isEqualTo(42);
        assertThat(sh(BASE_RULES, List.of(), "exit 0").exit()).isZero();
    }

    @Test
    void anAgentMissingFromPathExitsWith127() throws IOException {
        var o = runUnderShim(Commands.IMAGE, BASE_RULES, List.of(), "no-such-agent", "arg");

        assertThat(o.exit()).as(o.all()).isEqualTo(127);
        assertThat(o.stderr()).as(o.all()).contains("puzzle-init: cannot execute no-such-agent: No such file or directory");
    }

    @Test
    void runsInAnImageThatHoldsOnlyTheAgent() throws IOException {
        // no shell in the image: puzzle-init finds "sh" through PATH itself; the script uses shell builtins only
        var o = runUnderShim(agentOnlyImage, "version 1\nrequire landlock\nread /agent/sh\nread /proc\n",
                List.of("-e", "PATH=/nowhere:/agent"), "sh", "-c",
                "echo from-agent > /workspace/out.txt; "
                        + "while read -r k v; do [ \"$k\" = NoNewPrivs: ] && echo \"$k $v\"; done < /proc/self/status; "
                        + "read -r first < /.puzzlepod/rules; echo rules=$?; exit 7");

        assertThat(o.exit()).as(o.all()).isEqualTo(7);
        assertThat(o.stdout()).as(o.all()).contains("NoNewPrivs: 1").contains("rules=");
        assertThat(o.stdout()).as(o.all()).doesNotContain("rules=0");
        assertThat(o.stderr()).as(o.all()).contains("/.puzzlepod/rules").contains("Permission denied");
        assertThat(dir.resolve("workspace/out.txt")).hasContent("from-agent");
    }

    @Test
    void scopeSignalBlocksSignalsToProcessesOutsideTheSandboxOnly() throws Exception {
        var scoped = signalOutsideProcess(BASE_RULES + "scope signal\n");
        assertThat(scoped.stdout()).as(scoped.all()).contains("outside=1", "inside=0");
        assertThat(scoped.stderr()).as(scoped.all()).contains("Operation not permitted");

        var unscoped = signalOutsideProcess(BASE_RULES);
        assertThat(unscoped.stdout()).as(unscoped.all()).contains("outside=0", "inside=0");
    }

    /**
     * The agent waits for a process started by {@code podman exec} (outside its Landlock domain), then signals
     * it and a child of its own; returns the container's logs.
     */
    private Commands.Outcome signalOutsideProcess(String rules) throws IOException {
        Path run = Files.createTempDirectory(dir, "scope");
        Files.writeString(run.resolve("rules"), rules);
        Path workspace = Files.createDirectories(run.resolve("workspace"));
        String name = "puzzlepod-scope-" + UUID.randomUUID().toString().substring(0, 8);
        String agent = "i=0; while [ ! -s /workspace/pid ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; "
                + "kill -0 $(cat /workspace/pid); echo outside=$?; sleep 30 & kill $!; echo inside=$?";
        try {
            Commands.ok(List.of("podman", "run", "-d", "--name", name,
                    "-v", shim + ":" + SHIM_IN_CONTAINER + ":ro",
                    "-v", run.resolve("rules") + ":/.puzzlepod/rules:ro",
                    "-v", workspace + ":/workspace",
                    Commands.IMAGE, SHIM_IN_CONTAINER, "--", "sh", "-c", agent));
            Commands.ok(List.of("podman", "exec", "-d", name, "sh", "-c",
                    "echo $$ > /workspace/pid.tmp && mv /workspace/pid.tmp /workspace/pid && exec sleep 60"));
            assertThat(Commands.ok(List.of("podman", "wait", name)).stdout().strip()).isEqualTo("0");
            return Commands.ok(List.of("podman", "logs", name));
        } finally {
            Commands.run(List.of("podman", "rm", "--force", "--time", "0", name));
        }
    }
}
