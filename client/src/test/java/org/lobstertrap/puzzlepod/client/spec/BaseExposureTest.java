package org.lobstertrap.puzzlepod.client.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposure rule both the precreate hook and puzzled's admission apply to a container's final spec. */
class BaseExposureTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/srv/project";
    private static final BaseExposure.Resolver<RuntimeException> AS_IS = p -> p;

    private static JsonNode spec(String mounts, String root) throws Exception {
        return JSON.readTree("{\"root\":" + root + ",\"mounts\":[" + mounts + "]}");
    }

    private static String bind(String source, String dest, String... options) {
        return "{\"destination\":\"" + dest + "\",\"type\":\"bind\",\"source\":\"" + source + "\",\"options\":"
                + toJson(List.of(options)) + "}";
    }

    private static String overlay(String dest, String... options) {
        return "{\"destination\":\"" + dest + "\",\"type\":\"overlay\",\"source\":\"overlay\",\"options\":" + toJson(List.of(options)) + "}";
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final String READ_ONLY_ROOT = "{\"path\":\"/var/lib/containers/merged\",\"readonly\":true}";

    @Test
    void writableBindsOfTheBaseInsideItOrAboveItAreExposures() throws Exception {
        JsonNode s = spec(String.join(",", bind(BASE, "/same", "rbind"), bind(BASE + "/src", "/inside", "rbind", "rw"),
                bind("/srv", "/above", "bind"), bind("/srv/project-other", "/sibling", "rbind")), READ_ONLY_ROOT);
        assertThat(BaseExposure.of(s, BASE, i -> false, AS_IS)).containsExactly(
                "mount 0 binds \"/srv/project\" read-write at \"/same\"",
                "mount 1 binds \"/srv/project/src\" read-write at \"/inside\"",
                "mount 2 binds \"/srv\" read-write at \"/above\"");
    }

    @Test
    void readOnlyBindsKernelFileSystemsAndSkippedMountsAreNot() throws Exception {
        JsonNode s = spec(String.join(",", bind(BASE, "/ro", "rbind", "ro"), bind("/srv", "/rro", "rbind", "rro"),
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"}",
                "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",\"options\":[\"mode=755\"]}",
                bind(BASE, "/workspace", "rbind")), READ_ONLY_ROOT);
        assertThat(BaseExposure.of(s, BASE, i -> i == 4, AS_IS)).isEmpty();
        assertThat(BaseExposure.of(s, BASE, i -> false, AS_IS)).containsExactly("mount 4 binds \"/srv/project\" read-write at \"/workspace\"");
    }

    @Test
    void anOverlayIsAnExposureThroughItsUpperOrWorkDirNotItsLowerDir() throws Exception {
        JsonNode s = spec(String.join(",",
                overlay("/workspace", "lowerdir=" + BASE, "upperdir=/var/branches/b1/upper", "workdir=/var/branches/b1/work"),
                overlay("/cache", "lowerdir=/usr", "upperdir=" + BASE + "/.up", "workdir=/tmp/w"),
                overlay("/cache2", "lowerdir=/usr", "upperdir=/tmp/u", "workdir=" + BASE + "/.work")), READ_ONLY_ROOT);
        assertThat(BaseExposure.of(s, BASE, i -> false, AS_IS)).containsExactly(
                "mount 1 at \"/cache\" writes its overlay into \"/srv/project/.up\"",
                "mount 2 at \"/cache2\" keeps its overlay work dir in \"/srv/project/.work\"");
    }

    @Test
    void aWritableRootThatOverlapsTheBaseIsAnExposureAReadOnlyOneIsNot() throws Exception {
        assertThat(BaseExposure.of(spec("", "{\"path\":\"/srv\"}"), BASE, i -> false, AS_IS))
                .containsExactly("the container's root file system \"/srv\" is writable and overlaps the base");
        assertThat(BaseExposure.of(spec("", "{\"path\":\"/srv\",\"readonly\":true}"), BASE, i -> false, AS_IS)).isEmpty();
        assertThat(BaseExposure.of(spec("", "{\"path\":\"/var/lib/containers/merged\"}"), BASE, i -> false, AS_IS)).isEmpty();
    }

    @Test
    void pathsAreComparedAfterTheResolver() throws Exception {
        Map<String, String> links = Map.of("/home/me/link", BASE);
        JsonNode s = spec(bind("/home/me/link", "/via-link", "rbind"), READ_ONLY_ROOT);
        assertThat(BaseExposure.of(s, BASE, i -> false, AS_IS)).isEmpty();
        assertThat(BaseExposure.of(s, BASE, i -> false, p -> links.getOrDefault(p, p)))
                .containsExactly("mount 0 binds \"/srv/project\" read-write at \"/via-link\"");
    }

    @Test
    void theRefusalNamesTheBaseAndEveryExposure() {
        assertThat(BaseExposure.refusal(BASE, List.of("a", "b"))).isEqualTo(
                "the spec would let the agent write the base \"/srv/project\" outside its branch: a; b. Mount those read-only (:ro) or drop them");
    }

    @Test
    void malformedMountsAreFormatErrors() throws Exception {
        assertThatThrownBy(() -> BaseExposure.of(JSON.readTree("[]"), BASE, i -> false, AS_IS))
                .isInstanceOf(SpecFormatException.class).hasMessage("the spec is not a JSON object");
        assertThatThrownBy(() -> BaseExposure.of(JSON.readTree("{\"mounts\":{}}"), BASE, i -> false, AS_IS))
                .isInstanceOf(SpecFormatException.class).hasMessage("\"mounts\" in the spec is not an array");
        assertThatThrownBy(() -> BaseExposure.of(JSON.readTree("{\"mounts\":[1]}"), BASE, i -> false, AS_IS))
                .isInstanceOf(SpecFormatException.class).hasMessage("mount 0 in the spec is not an object");
        assertThatThrownBy(() -> BaseExposure.of(JSON.readTree("{\"mounts\":[{\"options\":\"ro\"}]}"), BASE, i -> false, AS_IS))
                .isInstanceOf(SpecFormatException.class).hasMessage("the options of mount 0 are not an array");
        assertThatThrownBy(() -> BaseExposure.of(JSON.readTree("{\"mounts\":[{\"options\":[7]}]}"), BASE, i -> false, AS_IS))
                .isInstanceOf(SpecFormatException.class).hasMessage("an option of mount 0 is not a string");
        assertThat(BaseExposure.of(JSON.readTree("{}"), BASE, i -> false, AS_IS)).isEmpty();
    }

    @Test
    void hostPathRelationsAndQuoting() {
        assertThat(HostPaths.overlap("/a/b", "/a")).isTrue();
        assertThat(HostPaths.overlap("/a", "/a/b")).isTrue();
        assertThat(HostPaths.overlap("/a/bc", "/a/b")).isFalse();
        assertThat(HostPaths.contains("/", "/x")).isTrue();
        assertThat(HostPaths.problem("rel/x")).isEqualTo("it is not an absolute path");
        assertThat(HostPaths.problem("/a/../b")).contains("not normalised");
        assertThat(HostPaths.problem("/a/b/")).isNull();
        assertThat(HostPaths.trimSlash("/a/")).isEqualTo("/a");
        assertThat(HostPaths.quote("a\"\n")).isEqualTo("\"a\\u0022\\u000a\"");
        assertThat(HostPaths.quote("x".repeat(201))).endsWith("… (201 characters)");
    }
}
