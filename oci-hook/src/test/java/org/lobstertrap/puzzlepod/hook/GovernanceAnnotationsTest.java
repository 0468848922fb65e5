package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.Annotations;

/** Annotation values come from whoever starts the container: each is checked, and messages stay short and printable. */
class GovernanceAnnotationsTest {
    static ObjectNode annotations(Map<String, String> values) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put(Annotations.PROFILE, "standard");
        values.forEach(n::put);
        return n;
    }

    @Test
    void defaultsAndValidValues() throws Exception {
        GovernanceAnnotations a = GovernanceAnnotations.from(annotations(Map.of()));
        assertThat(a.profile()).isEqualTo("standard");
        assertThat(a.workspace()).isEqualTo("/workspace");
        assertThat(a.base()).isEmpty();
        assertThat(a.branch()).isEmpty();
        GovernanceAnnotations b = GovernanceAnnotations.from(annotations(Map.of(Annotations.BASE, "/srv/p/",
                Annotations.WORKSPACE, "/code", Annotations.BRANCH, "agent-1.run_2", Annotations.ON_EXIT, "hold",
                Annotations.RUNTIME_DIR, "/run/puzzled-test/")));
        assertThat(b.base()).contains("/srv/p");
        assertThat(b.workspace()).isEqualTo("/code");
        assertThat(b.branch()).contains("agent-1.run_2");
        assertThat(b.onExit()).contains("hold");
        assertThat(b.runtimeDir()).contains("/run/puzzled-test");
    }

    @Test
    void hostileValuesAreRefusedWithShortPrintableMessages() {
        String longValue = "x".repeat(100_000);
        Map<String, String> hostile = Map.ofEntries(
                Map.entry(Annotations.PROFILE, "Standard\n"),
                Map.entry(Annotations.PROFILE + "#long", longValue),
                Map.entry(Annotations.BASE, "srv/relative"),
                Map.entry(Annotations.BASE + "#dots", "/srv/../etc"),
                Map.entry(Annotations.BASE + "#nul", "/srv/a\0b"),
                Map.entry(Annotations.WORKSPACE, "/"),
                Map.entry(Annotations.BRANCH, "../../etc/passwd"),
                Map.entry(Annotations.ON_EXIT, "commit; rm -rf /"),
                Map.entry(Annotations.RUNTIME_DIR, "run/relative"),
                Map.entry(Annotations.RUNTIME_DIR + "#dots", "/run/../etc"));
        hostile.forEach((key, value) -> {
            String k = key.contains("#") ? key.substring(0, key.indexOf('#')) : key;
            assertThatThrownBy(() -> GovernanceAnnotations.from(annotations(Map.of(k, value)))).as(key)
                    .isInstanceOfSatisfying(HookException.class, e -> {
                        assertThat(e.error()).isEqualTo(HookError.BAD_INPUT);
                        assertThat(e.getMessage()).contains(k).hasSizeLessThan(400).doesNotContain("\n").doesNotContain("\0");
                    });
        });
    }

    @Test
    void aMissingProfileOrANonStringValueIsBadInput() {
        assertThatThrownBy(() -> GovernanceAnnotations.from(JsonNodeFactory.instance.objectNode()))
                .hasMessageContaining("has no " + Annotations.PROFILE + " annotation");
        ObjectNode n = annotations(Map.of());
        n.put(Annotations.BRANCH, 42);
        assertThatThrownBy(() -> GovernanceAnnotations.from(n)).hasMessageContaining(Annotations.BRANCH + " is not a string");
        assertThatThrownBy(() -> GovernanceAnnotations.from(JsonNodeFactory.instance.arrayNode()))
                .hasMessageContaining("not a JSON object");
    }
}
