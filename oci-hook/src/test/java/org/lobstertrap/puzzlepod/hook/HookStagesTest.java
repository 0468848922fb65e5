package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.Annotations;
import org.lobstertrap.puzzlepod.client.hook.HookSocketClient;
import org.lobstertrap.puzzlepod.client.hook.HookSocketLocation;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;

/** The stages run in-process against a stand-in puzzled behind the daemon's real hook socket. */
class HookStagesTest {
    @TempDir Path dir;
    Path runtimeDir;
    StandInManager daemon;
    Path base, upper, work, shim, rules;
    static final String LISTENER = "/run/puzzled/seccomp.sock";

    /** What one run of the hook printed and returned. */
    record Run(int status, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        runtimeDir = dir.resolve("run");
        daemon = StandInManager.serve(runtimeDir);
        base = Files.createDirectories(dir.resolve("project"));
        upper = Files.createDirectories(dir.resolve("branch/upper"));
        work = Files.createDirectories(dir.resolve("branch/work"));
        shim = Files.writeString(dir.resolve("puzzle-init"), "#!/bin/sh\n");
        shim.toFile().setExecutable(true);
        rules = Files.writeString(dir.resolve("b.rules"), "version 1\n");
        daemon.create = args -> branch("b-7", args.get(0), args.get(1), "ready");
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) daemon.close();
    }

    Run run(String stage, String stdin, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = PuzzleHook.run(new String[] {stage}, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new HookEnvironment(env, 0, null, HookSocketClient::connect), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run run(String stage, String stdin) {
        return run(stage, stdin, Map.of(HookSocketLocation.RUNTIME_DIR_VARIABLE, runtimeDir.toString(), InitShimExtension.SHIM_VARIABLE, shim.toString()));
    }

    /** A kernel-overlay branch as puzzled shapes it, with its rules file and the listener socket. */
    String branch(String id, String profile, String base, String state) {
        return StandInManager.branchJson(id, profile, base, state, upper.toString(), work.toString(), "kernel", rules.toString(), LISTENER);
    }

    /** The captured podman spec with the workspace bound from this test's base. */
    ObjectNode spec(Map<String, String> annotations) throws Exception {
        ObjectNode spec = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) spec.get("mounts").get(0)).put("source", base.toString());
        annotations.forEach(((ObjectNode) spec.get("annotations"))::put);
        return spec;
    }

    @Test
    void precreateCreatesTheBranchAndPrintsTheSpecWithTheOverlay() throws Exception {
        Run r = run("precreate", HookJson.write(spec(Map.of(Annotations.ON_EXIT, "rollback"))));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(daemon.calls("CreateBranch")).singleElement().satisfies(c -> {
            assertThat(c.args().get(0)).isEqualTo("standard");
            assertThat(c.args().get(1)).isEqualTo(base.toString());
            assertThat(c.args().get(2)).isEqualTo("{\"workspace\":\"/workspace\",\"on_exit\":\"rollback\"}");
        });
        JsonNode out = HookJson.parseObject(r.out().getBytes(StandardCharsets.UTF_8), "stdout");
        assertThat(out.get("mounts").get(0).get("options").toString())
                .contains("lowerdir=" + base, "upperdir=" + upper, "workdir=" + work);
        assertThat(out.get("annotations").get(Annotations.BRANCH).asText()).isEqualTo("b-7");
        ObjectNode process = (ObjectNode) spec(Map.of()).get("process").deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) process.get("args")).insert(0, "--").insert(0, InitShimExtension.SHIM);
        assertThat(out.get("process")).as("only the shim in front of the agent").isEqualTo(process);
        assertThat(out.get("linux").get("seccomp").get("listenerPath").asText()).isEqualTo(LISTENER);
        assertThat(out.get("linux").get("seccomp").get("listenerMetadata").asText()).isEqualTo("b-7");
    }

    @Test
    void precreateReusesTheWrappersBranchAfterCheckingIt() throws Exception {
        daemon.branches = Map.of("w-1", branch("w-1", "standard", base.toString(), "ready"));
        Run r = run("precreate", HookJson.write(spec(Map.of(Annotations.BRANCH, "w-1"))));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(daemon.calls("CreateBranch")).isEmpty();
        assertThat(daemon.calls("InspectBranch")).singleElement().satisfies(c -> assertThat(c.args()).containsExactly("w-1"));
        assertThat(r.out()).contains("upperdir=" + upper).contains("\"" + Annotations.BRANCH + "\":\"w-1\"");
    }

    @Test
    void aBaseSpelledThroughASymlinkIsTheSameBase() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("project-link"), base);
        daemon.branches = Map.of("w-2", branch("w-2", "standard", link.toString(), "ready"));
        Run r = run("precreate", HookJson.write(spec(Map.of(Annotations.BRANCH, "w-2", Annotations.BASE, link.toString()))));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("lowerdir=" + base.toRealPath());
    }

    @Test
    void precreateRefusesAWrapperBranchOfAnotherProfileBaseOrState() throws Exception {
        daemon.branches = Map.of(
                "p", StandInManager.branchJson("p", "strict", base.toString(), "ready", upper.toString(), work.toString(), "kernel"),
                "b", StandInManager.branchJson("b", "standard", "/srv/other", "ready", upper.toString(), work.toString(), "kernel"),
                "s", StandInManager.branchJson("s", "standard", base.toString(), "committed", upper.toString(), work.toString(), "kernel"));
        Map<String, String> expected = Map.of("p", "created for the profile \"strict\"", "b", "is of the base \"/srv/other\"",
                "s", "is committed, not ready");
        for (var e : expected.entrySet()) {
            Run r = run("precreate", HookJson.write(spec(Map.of(Annotations.BRANCH, e.getKey()))));
            assertThat(r.status()).isEqualTo(HookError.SPEC_REFUSED.exitStatus());
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("puzzle-hook: branch " + e.getKey()).contains(e.getValue())
                    .endsWith("; refusing to start an ungoverned container" + System.lineSeparator());
        }
        Run unknown = run("precreate", HookJson.write(spec(Map.of(Annotations.BRANCH, "nope"))));
        assertThat(unknown.status()).isEqualTo(HookError.DAEMON_REFUSED.exitStatus());
        assertThat(unknown.err()).contains("puzzled refused InspectBranch (NotFound): no branch nope");
        assertThat(daemon.calls("CreateBranch")).isEmpty();
    }

    @Test
    void aRefusedSpecCreatesNoBranch() throws Exception {
        ObjectNode spec = spec(Map.of());
        ObjectNode extra = ((com.fasterxml.jackson.databind.node.ArrayNode) spec.get("mounts")).addObject();
        extra.put("destination", "/host").put("type", "bind").put("source", dir.toString());
        extra.putArray("options").add("rw").add("rbind");
        Run r = run("precreate", HookJson.write(spec));
        assertThat(r.status()).isEqualTo(HookError.SPEC_REFUSED.exitStatus());
        assertThat(r.err()).contains("outside its branch").contains("read-write at \"/host\"");
        assertThat(daemon.calls).isEmpty();
    }

    @Test
    void aBranchTheSpecCannotMountIsRolledBackAgain() throws Exception {
        daemon.create = args -> StandInManager.branchJson("f-1", args.get(0), args.get(1), "ready", upper.toString(), work.toString(), "fuse");
        Run r = run("precreate", HookJson.write(spec(Map.of())));
        assertThat(r.status()).isEqualTo(HookError.SPEC_REFUSED.exitStatus());
        assertThat(daemon.calls("RollbackBranch")).singleElement().satisfies(c -> assertThat(c.args().get(0)).isEqualTo("f-1"));
    }

    @Test
    void theDaemonsRefusalIsPassedOn() throws Exception {
        daemon.create = args -> { throw ApiException.invalid("unknown profile standard"); };
        Run r = run("precreate", HookJson.write(spec(Map.of())));
        assertThat(r.status()).isEqualTo(HookError.DAEMON_REFUSED.exitStatus());
        assertThat(r.err()).startsWith("puzzle-hook: puzzled refused CreateBranch (InvalidArgument): unknown profile standard");
    }

    @Test
    void anUnreachableDaemonAbortsTheStartWithTheMessage() throws Exception {
        daemon.close();
        daemon = null;
        Run r = run("precreate", HookJson.write(spec(Map.of())));
        assertThat(r.status()).isEqualTo(HookError.DAEMON_UNREACHABLE.exitStatus());
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("puzzle-hook: puzzled is not reachable on its hook socket " + runtimeDir.resolve("hook.sock") + ": ")
                .contains("is puzzled running?")
                .endsWith("; refusing to start an ungoverned container" + System.lineSeparator());

        // a socket file nobody listens on (a daemon that died without cleaning up)
        java.nio.file.Files.createDirectories(runtimeDir);
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(runtimeDir.resolve("hook.sock")));
        }
        Run stale = run("precreate", HookJson.write(spec(Map.of())));
        assertThat(stale.status()).isEqualTo(HookError.DAEMON_UNREACHABLE.exitStatus());
        assertThat(stale.err()).contains("puzzled is not reachable on its hook socket").contains("cannot connect");
    }

    @Test
    void theRuntimeDirAnnotationWinsOverTheEnvironment() throws Exception {
        Run r = run("precreate", HookJson.write(spec(Map.of(Annotations.RUNTIME_DIR, runtimeDir.toString()))),
                Map.of(HookSocketLocation.RUNTIME_DIR_VARIABLE, dir.resolve("elsewhere").toString(), InitShimExtension.SHIM_VARIABLE, shim.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(daemon.calls("CreateBranch")).hasSize(1);
        Run relative = run("precreate", HookJson.write(spec(Map.of(Annotations.RUNTIME_DIR, "run"))));
        assertThat(relative.status()).isEqualTo(HookError.BAD_INPUT.exitStatus());
        assertThat(relative.err()).contains(Annotations.RUNTIME_DIR);
    }

    @Test
    void theBusAnnotationNoLongerMatters() throws Exception {
        Run r = run("precreate", HookJson.write(spec(Map.of(Annotations.BUS, "tcp:host=nowhere"))));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(daemon.calls("CreateBranch")).hasSize(1);
    }

    @Test
    void withoutContainmentFromTheDaemonOrTheShimTheContainerIsRefusedAndItsBranchRolledBack() throws Exception {
        daemon.create = args -> StandInManager.branchJson("n-1", args.get(0), args.get(1), "ready", upper.toString(), work.toString(), "kernel");
        Run noListener = run("precreate", HookJson.write(spec(Map.of())));
        assertThat(noListener.status()).isEqualTo(HookError.SPEC_REFUSED.exitStatus());
        assertThat(noListener.err()).contains("runs no seccomp listener");
        assertThat(daemon.calls("RollbackBranch")).singleElement().satisfies(c -> assertThat(c.args().get(0)).isEqualTo("n-1"));

        daemon.create = args -> branch("n-2", args.get(0), args.get(1), "ready");
        Run noShim = run("precreate", HookJson.write(spec(Map.of())),
                Map.of(HookSocketLocation.RUNTIME_DIR_VARIABLE, runtimeDir.toString(), InitShimExtension.SHIM_VARIABLE, dir.resolve("missing").toString()));
        assertThat(noShim.status()).isEqualTo(HookError.SPEC_REFUSED.exitStatus());
        assertThat(noShim.err()).contains("the init shim").contains("is not an executable file").contains("PUZZLEPOD_SHIM");
        assertThat(noShim.out()).isEmpty();
        assertThat(daemon.calls("RollbackBranch")).hasSize(2);
    }

    @Test
    void theRetiredStagesReadTheirStdinAndDoNothing() {
        for (String stage : new String[] {"createRuntime", "poststop"}) {
            Run r = run(stage, "{\"id\":\"c1\",\"pid\":1,\"bundle\":\"/b\",\"annotations\":{\"" + Annotations.BRANCH + "\":\"b-7\"}}");
            assertThat(r.status()).as(stage + ": " + r.err()).isZero();
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEmpty();
        }
        assertThat(daemon.calls).isEmpty();
    }

    @Test
    void badStdinAndUsageAreClearErrors() {
        Map<String, String> cases = Map.of(
                "not json at all", "the spec on stdin is not valid JSON",
                "", "the spec on stdin is empty",
                "[1,2]", "the spec on stdin is not a JSON object",
                "{\"annotations\":{\"a\":\"1\",\"a\":\"2\"}}", "Duplicate field 'a'",
                "{} {}", "not valid JSON",
                "{\"annotations\":{}}", "has no " + Annotations.PROFILE + " annotation");
        cases.forEach((stdin, message) -> {
            Run r = run("precreate", stdin);
            assertThat(r.status()).as(stdin).isEqualTo(HookError.BAD_INPUT.exitStatus());
            assertThat(r.err()).as(stdin).startsWith("puzzle-hook: ").contains(message);
        });
        Run usage = run("prestart", "{}");
        assertThat(usage.status()).isEqualTo(HookError.USAGE.exitStatus());
        assertThat(usage.err()).contains("unknown stage \"prestart\"");
        assertThat(daemon.calls).isEmpty();
    }
}
