package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init shim and the seccomp notification on the specs captured from podman 4.3.1. */
class ContainmentExtensionsTest {
    static final String BASE = SpecRewriterTest.BASE;
    static final String LISTENER = "/run/puzzled/seccomp.sock";
    @TempDir Path dir;
    Path shim, rules;
    SpecRewriter rewriter;

    @BeforeEach
    void files() throws Exception {
        shim = Files.writeString(dir.resolve("puzzle-init"), "#!/bin/sh\n");
        shim.toFile().setExecutable(true);
        rules = Files.writeString(dir.resolve("b-1.rules"), "version 1\n");
        rewriter = new SpecRewriter(List.of(new SeccompNotifyExtension(), new InitShimExtension(shim)));
    }

    BranchInfo branch() {
        return new BranchInfo("b-1", "standard", BASE, "/workspace", "ready", "/var/lib/puzzled/branches/b-1/upper",
                "/var/lib/puzzled/branches/b-1/work", "kernel", rules.toString(), LISTENER);
    }

    RewrittenSpec rewrite(ObjectNode spec, BranchInfo b) throws Exception {
        return rewriter.rewrite(spec, rewriter.plan(spec, GovernanceAnnotations.from(spec.get("annotations")), SpecRewriterTest.AS_IS), b);
    }

    static List<String> names(JsonNode rule) {
        List<String> out = new ArrayList<>();
        rule.get("names").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theShimStartsTheAgentFromReadOnlyBindsAndTheSupervisorGetsExecAndConnect() throws Exception {
        for (String fixture : List.of("podman-4.3.1-workspace-bind.json", "podman-4.3.1-overlay-volume.json", "podman-4.3.1-annotated-base.json")) {
            ObjectNode spec = SpecRewriterTest.fixture(fixture);
            List<String> args = new ArrayList<>();
            spec.get("process").get("args").forEach(a -> args.add(a.asText()));
            ObjectNode original = spec.deepCopy();
            RewrittenSpec out = rewrite(spec, branch());
            assertThat(spec).as("input untouched").isEqualTo(original);

            List<String> newArgs = new ArrayList<>();
            out.spec().get("process").get("args").forEach(a -> newArgs.add(a.asText()));
            List<String> expected = new ArrayList<>(List.of("/.puzzlepod/puzzle-init", "--"));
            expected.addAll(args);
            assertThat(newArgs).as(fixture).isEqualTo(expected);

            ArrayNode mounts = (ArrayNode) out.spec().get("mounts");
            JsonNode shimMount = null, rulesMount = null;
            for (JsonNode m : mounts) {
                if (m.get("destination").asText().equals("/.puzzlepod/puzzle-init")) shimMount = m;
                if (m.get("destination").asText().equals("/.puzzlepod/rules")) rulesMount = m;
            }
            assertThat(shimMount).isNotNull();
            assertThat(shimMount.get("source").asText()).isEqualTo(shim.toString());
            assertThat(shimMount.get("options").toString()).contains("\"bind\"", "\"ro\"", "\"nosuid\"");
            assertThat(rulesMount.get("source").asText()).isEqualTo(rules.toString());
            assertThat(rulesMount.get("options").toString()).contains("\"ro\"");

            JsonNode seccomp = out.spec().get("linux").get("seccomp");
            assertThat(seccomp.get("listenerPath").asText()).isEqualTo(LISTENER);
            assertThat(seccomp.get("listenerMetadata").asText()).isEqualTo("b-1");
            assertThat(seccomp.get("defaultAction")).isEqualTo(original.get("linux").get("seccomp").get("defaultAction"));
            int notify = 0;
            for (JsonNode rule : seccomp.get("syscalls")) {
                if (rule.get("action").asText().equals("SCMP_ACT_NOTIFY")) {
                    notify++;
                    assertThat(names(rule)).containsExactly("execve", "execveat", "connect");
                } else {
                    assertThat(names(rule)).as("no other rule names a supervised call").doesNotContain("execve", "execveat", "connect")
                            .isNotEmpty();
                }
            }
            assertThat(notify).isEqualTo(1);
            // every other allowed name is still allowed
            int before = 0, after = 0;
            for (JsonNode r : original.get("linux").get("seccomp").get("syscalls")) before += r.get("names").size();
            for (JsonNode r : seccomp.get("syscalls")) after += r.get("names").size();
            assertThat(after).isEqualTo(before);
            assertThat(out.reasons()).anySatisfy(r -> assertThat(r).contains("puzzle-init")).anySatisfy(r -> assertThat(r).contains("SCMP_ACT_NOTIFY"));
        }
    }

    @Test
    void aContainerWithoutSeccompIsRefused() throws Exception {
        ObjectNode spec = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) spec.get("linux")).remove("seccomp");
        assertThatThrownBy(() -> rewrite(spec, branch())).isInstanceOfSatisfying(HookException.class, e -> {
            assertThat(e.error()).isEqualTo(HookError.SPEC_REFUSED);
            assertThat(e.getMessage()).contains("no seccomp profile").contains("seccomp=unconfined");
        });
    }

    @Test
    void aListenerOfTheSpecsOwnOrADenyingRuleOnASupervisedCallIsRefused() throws Exception {
        ObjectNode own = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) own.get("linux").get("seccomp")).put("listenerPath", "/tmp/evil.sock");
        assertThatThrownBy(() -> rewrite(own, branch())).hasMessageContaining("already has a listener");

        ObjectNode deny = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        ObjectNode rule = ((ArrayNode) deny.get("linux").get("seccomp").get("syscalls")).addObject();
        rule.putArray("names").add("connect");
        rule.put("action", "SCMP_ACT_ERRNO");
        assertThatThrownBy(() -> rewrite(deny, branch())).hasMessageContaining("cannot be combined");
    }

    @Test
    void withoutDaemonPathsOrShimOrArgsTheContainerIsRefused() throws Exception {
        BranchInfo b = branch();
        ObjectNode spec = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        assertThatThrownBy(() -> rewrite(spec, new BranchInfo(b.id(), b.profile(), b.base(), b.workspace(), b.state(), b.upper(), b.work(),
                b.overlay(), b.shimRules(), null))).hasMessageContaining("runs no seccomp listener");
        assertThatThrownBy(() -> rewrite(spec, new BranchInfo(b.id(), b.profile(), b.base(), b.workspace(), b.state(), b.upper(), b.work(),
                b.overlay(), null, LISTENER))).hasMessageContaining("no Landlock rules file");
        assertThatThrownBy(() -> rewrite(spec, new BranchInfo(b.id(), b.profile(), b.base(), b.workspace(), b.state(), b.upper(), b.work(),
                b.overlay(), dir.resolve("gone.rules").toString(), LISTENER))).hasMessageContaining("is missing");

        SpecRewriter noShim = new SpecRewriter(List.of(new InitShimExtension(dir.resolve("nope"))));
        assertThatThrownBy(() -> noShim.rewrite(spec, noShim.plan(spec, GovernanceAnnotations.from(spec.get("annotations")),
                SpecRewriterTest.AS_IS), b)).hasMessageContaining("not an executable file");

        ObjectNode noArgs = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) noArgs.get("process")).putArray("args");
        assertThatThrownBy(() -> rewrite(noArgs, branch())).hasMessageContaining("no process.args");

        ObjectNode own = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        ObjectNode m = ((ArrayNode) own.get("mounts")).addObject();
        m.put("destination", "/.puzzlepod").put("type", "bind").put("source", "/tmp");
        m.putArray("options").add("ro").add("rbind");
        assertThatThrownBy(() -> rewrite(own, branch())).hasMessageContaining("overlaps /.puzzlepod");
    }

    @Test
    void theShimPathComesFromTheHookEnvironment() {
        HookEnvironment withVar = new HookEnvironment(java.util.Map.of(InitShimExtension.SHIM_VARIABLE, "/opt/x/puzzle-init"), 0, null, b -> null);
        HookEnvironment without = new HookEnvironment(java.util.Map.of(), 0, null, b -> null);
        assertThat(InitShimExtension.of(withVar)).extracting("shim").isEqualTo(Path.of("/opt/x/puzzle-init"));
        assertThat(InitShimExtension.of(without)).extracting("shim").isEqualTo(Path.of("/usr/lib/puzzlepod/puzzle-init"));
    }
}
