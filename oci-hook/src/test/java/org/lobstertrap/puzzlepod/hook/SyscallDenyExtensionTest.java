package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kernel-side denials on the specs captured from podman 4.3.1 (the real filter: it/…/EscapeSuiteTest). */
class SyscallDenyExtensionTest {
    private static List<JsonNode> rules(ObjectNode spec) {
        List<JsonNode> out = new ArrayList<>();
        spec.get("linux").get("seccomp").get("syscalls").forEach(out::add);
        return out;
    }

    private static List<String> names(JsonNode rule) {
        List<String> out = new ArrayList<>();
        rule.get("names").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theManagedCallsAreTakenOutOfPodmansRulesAndDeniedOrFiltered() throws Exception {
        ObjectNode spec = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        Set<String> before = new HashSet<>();
        for (JsonNode r : rules(spec)) before.addAll(names(r));
        assertThat(before).as("podman's profile allows them").contains("ptrace", "keyctl", "unshare", "clone", "clone3", "process_vm_readv");
        List<String> reasons = new ArrayList<>();
        new SyscallDenyExtension().apply(spec, null, null, reasons);

        List<JsonNode> after = rules(spec);
        JsonNode denied = after.stream().filter(r -> names(r).contains("ptrace")).findFirst().orElseThrow();
        assertThat(names(denied)).containsExactlyElementsOf(SyscallDenyExtension.DENIED);
        assertThat(denied.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(denied.get("errnoRet").asInt()).isEqualTo(1);
        for (String n : SyscallDenyExtension.DENIED)
            assertThat(after.stream().filter(r -> names(r).contains(n)).count()).as(n + " is named by one rule only").isEqualTo(1);

        JsonNode clone3 = after.stream().filter(r -> names(r).contains("clone3")).findFirst().orElseThrow();
        assertThat(clone3.get("errnoRet").asInt()).as("ENOSYS: the C library falls back to clone").isEqualTo(38);

        List<JsonNode> clone = after.stream().filter(r -> names(r).contains("clone")).toList();
        assertThat(clone).hasSize(1 + SyscallDenyExtension.CLONE_NAMESPACES.size());
        JsonNode allow = clone.getFirst();
        assertThat(allow.get("action").asText()).isEqualTo("SCMP_ACT_ALLOW");
        assertThat(allow.get("args").get(0).get("value").asLong()).isEqualTo(0x7E020000L);
        assertThat(allow.get("args").get(0).get("valueTwo").asLong()).isZero();
        assertThat(allow.get("args").get(0).get("op").asText()).isEqualTo("SCMP_CMP_MASKED_EQ");
        assertThat(clone.subList(1, clone.size())).allSatisfy(r -> {
            assertThat(r.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
            JsonNode arg = r.get("args").get(0);
            assertThat(arg.get("value").asLong()).isEqualTo(arg.get("valueTwo").asLong());
        });
        List<JsonNode> unshare = after.stream().filter(r -> names(r).contains("unshare")).toList();
        assertThat(unshare.getFirst().get("args").get(0).get("value").asLong()).as("CLONE_NEWTIME too").isEqualTo(0x7E020080L);

        Set<String> others = new HashSet<>(before);
        Set<String> now = new HashSet<>();
        for (JsonNode r : after) now.addAll(names(r));
        assertThat(now).as("no other name lost").containsAll(others);
        assertThat(reasons).singleElement().asString().contains("ptrace").contains("clone3 with ENOSYS");
    }

    @Test
    void aSpecWithoutSeccompIsRefused() throws Exception {
        ObjectNode spec = SpecRewriterTest.fixture("podman-4.3.1-workspace-bind.json");
        ((ObjectNode) spec.get("linux")).remove("seccomp");
        assertThatThrownBy(() -> new SyscallDenyExtension().apply(spec, null, null, new ArrayList<>()))
                .isInstanceOfSatisfying(HookException.class, e -> assertThat(e.error()).isEqualTo(HookError.SPEC_REFUSED));
    }
}
