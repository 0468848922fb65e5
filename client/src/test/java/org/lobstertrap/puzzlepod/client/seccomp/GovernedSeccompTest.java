package org.lobstertrap.puzzlepod.client.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The seccomp containment applied to podman's real default profile (containers/common's format, with
 * {@code includes}/{@code excludes} conditions and argument rules), as puzzled does for puzzle-podman.
 */
class GovernedSeccompTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MANAGED = managed();

    private static Set<String> managed() {
        Set<String> s = new HashSet<>(GovernedSeccomp.SUPERVISED);
        s.addAll(GovernedSeccomp.DENIED);
        s.addAll(List.of("clone", "clone3", "unshare"));
        return s;
    }

    private static ObjectNode podmanDefault() throws Exception {
        try (InputStream in = GovernedSeccompTest.class.getResourceAsStream("/seccomp/containers-common-0.50.1-seccomp.json")) {
            assertThat(in).as("podman's default profile in the test resources").isNotNull();
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** One line per (name, rest of the rule) for the names this transformation does not manage. */
    private static Set<String> unmanagedEntries(JsonNode profile) {
        Set<String> out = new HashSet<>();
        for (JsonNode rule : profile.get("syscalls")) {
            ObjectNode rest = ((ObjectNode) rule).deepCopy();
            rest.remove("names");
            for (JsonNode n : rule.get("names")) if (!MANAGED.contains(n.asText())) out.add(n.asText() + " " + rest);
        }
        return out;
    }

    private static List<JsonNode> rulesNaming(JsonNode profile, String name) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode rule : profile.get("syscalls"))
            for (JsonNode n : rule.get("names")) if (n.asText().equals(name)) out.add(rule);
        return out;
    }

    @Test
    void podmansDefaultProfileGetsTheSupervisorAndTheDenialsAndKeepsEverythingElse() throws Exception {
        ObjectNode before = podmanDefault();
        assertThat(rulesNaming(before, "clone")).as("the real profile allows clone").isNotEmpty();
        ObjectNode after = before.deepCopy();
        GovernedSeccomp.govern(after, "/run/puzzled/seccomp.sock", "b-1", "podman's profile");

        assertThat(after.get("listenerPath").asText()).isEqualTo("/run/puzzled/seccomp.sock");
        assertThat(after.get("listenerMetadata").asText()).isEqualTo("b-1");
        assertThat(after.get("defaultAction")).isEqualTo(before.get("defaultAction"));
        assertThat(after.get("archMap")).isEqualTo(before.get("archMap"));
        assertThat(unmanagedEntries(after)).as("every other call keeps its rule, action, args and includes/excludes")
                .isEqualTo(unmanagedEntries(before));

        for (String call : GovernedSeccomp.SUPERVISED) {
            assertThat(rulesNaming(after, call)).as(call).singleElement()
                    .satisfies(r -> assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_NOTIFY"));
        }
        for (String call : GovernedSeccomp.DENIED) {
            assertThat(rulesNaming(after, call)).as(call).singleElement().satisfies(r -> {
                assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
                assertThat(r.get("errnoRet").asInt()).isEqualTo(1);
                assertThat(r.has("includes") || r.has("excludes")).as("unconditional").isFalse();
            });
        }
        assertThat(rulesNaming(after, "clone3")).singleElement().satisfies(r -> assertThat(r.get("errnoRet").asInt()).isEqualTo(38));
        for (String call : List.of("clone", "unshare")) {
            List<JsonNode> rules = rulesNaming(after, call);
            assertThat(rules.getFirst().get("action").asText()).isEqualTo("SCMP_ACT_ALLOW");
            assertThat(rules.getFirst().get("args").get(0).get("valueTwo").asLong()).as("allowed only without namespace flags").isZero();
            assertThat(rules.subList(1, rules.size())).as(call + ": one EPERM rule per namespace flag")
                    .hasSize(GovernedSeccomp.CLONE_NAMESPACES.size() + (call.equals("unshare") ? 1 : 0))
                    .allSatisfy(r -> assertThat(r.get("errnoRet").asInt()).isEqualTo(1));
            for (JsonNode r : rules) assertThat(r.has("includes") || r.has("excludes")).as(call + " rules are unconditional").isFalse();
        }
    }

    @Test
    void conditionalRulesKeepTheirConditionsWhenTheManagedNamesAreTakenOut() throws Exception {
        ObjectNode p = (ObjectNode) JSON.readTree("""
                {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[
                 {"names":["clone","unshare","setns"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},
                 {"name":"ptrace","action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4.8"}},
                 {"names":["execve","read"],"action":"SCMP_ACT_ALLOW","excludes":{"arches":["s390x"]}}]}""");
        GovernedSeccomp.govern(p, "/s.sock", "b", "the test profile");
        JsonNode first = p.get("syscalls").get(0);
        assertThat(first.get("names").toString()).isEqualTo("[\"setns\"]");
        assertThat(first.get("includes").toString()).contains("CAP_SYS_ADMIN");
        assertThat(p.get("syscalls").get(1).get("names").toString()).isEqualTo("[\"read\"]");
        assertThat(p.get("syscalls").get(1).get("excludes").toString()).contains("s390x");
        assertThat(rulesNaming(p, "ptrace")).singleElement().satisfies(r -> assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO"));
        for (JsonNode r : p.get("syscalls")) assertThat(r.has("name")).as("single names folded into names").isFalse();
    }

    @Test
    void profilesThatCannotCarryTheContainmentAreRefusedWithAReason() throws Exception {
        ObjectNode listener = (ObjectNode) JSON.readTree("{\"listenerPath\":\"/other.sock\",\"syscalls\":[]}");
        assertThatThrownBy(() -> GovernedSeccomp.supervise(listener, "/s", "b", "the spec"))
                .isInstanceOfSatisfying(SeccompProfileException.class, e -> assertThat(e.problem()).isEqualTo(SeccompProfileException.Problem.REFUSED))
                .hasMessageContaining("already has a listener");
        ObjectNode denyExec = (ObjectNode) JSON.readTree("{\"syscalls\":[{\"names\":[\"execve\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
        assertThatThrownBy(() -> GovernedSeccomp.supervise(denyExec, "/s", "b", "the spec"))
                .isInstanceOfSatisfying(SeccompProfileException.class, e -> assertThat(e.problem()).isEqualTo(SeccompProfileException.Problem.REFUSED))
                .hasMessageContaining("seccomp rule 0 of the spec").hasMessageContaining("SCMP_ACT_ERRNO");
        ObjectNode nameless = (ObjectNode) JSON.readTree("{\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\"}]}");
        assertThatThrownBy(() -> GovernedSeccomp.denyKernelSide(nameless, "the spec"))
                .isInstanceOfSatisfying(SeccompProfileException.class, e -> assertThat(e.problem()).isEqualTo(SeccompProfileException.Problem.MALFORMED))
                .hasMessageContaining("has no \"names\" array");
    }
}
