package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.Annotations;

/** The shipped hooks.d files: the OCI hooks 1.0.0 schema shape, compiling regexes that select exactly governed containers. */
class HooksDirTest {
    /** Only precreate: puzzled attaches at runc's seccomp message and triggers at the init's exit. */
    static final Map<String, String> STAGE_OF_FILE = Map.of("puzzlepod-precreate.json", "precreate");
    static final Set<String> VALID_STAGES = Set.of("prestart", "createRuntime", "createContainer", "startContainer",
            "poststart", "poststop", "precreate");

    /** The repository's hooks.d directory (tests run in the module directory). */
    static Path hooksDir() {
        Path dir = Path.of("..", "hooks.d").toAbsolutePath().normalize();
        assertThat(dir).as("hooks.d next to the oci-hook module (tests must run from the module directory)").isDirectory();
        return dir;
    }

    @Test
    void exactlyThePrecreateHookFileIsShipped() throws Exception {
        try (Stream<Path> files = Files.list(hooksDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
                    .containsExactlyInAnyOrderElementsOf(STAGE_OF_FILE.keySet());
        }
    }

    @Test
    void eachFileHasTheSchemaShapeAndRunsTheInstalledHookForItsStage() throws Exception {
        for (var e : STAGE_OF_FILE.entrySet()) {
            JsonNode hook = HookJson.readObject(hooksDir().resolve(e.getKey()), e.getKey());
            String stage = e.getValue();
            assertThat(fieldNames(hook)).as(e.getKey()).containsExactlyInAnyOrder("version", "hook", "when", "stages");
            assertThat(hook.get("version").asText()).isEqualTo("1.0.0");
            JsonNode h = hook.get("hook");
            assertThat(fieldNames(h)).isSubsetOf("path", "args", "env", "timeout");
            assertThat(h.get("path").asText()).isEqualTo("/usr/libexec/puzzlepod/puzzle-hook");
            assertThat(h.get("args").toString()).isEqualTo("[\"puzzle-hook\",\"" + stage + "\"]");
            assertThat(Stage.parse(h.get("args").get(1).asText()).ociName()).isEqualTo(stage);
            for (JsonNode env : h.get("env")) assertThat(env.asText()).matches("[A-Z_][A-Z0-9_]*=.*");
            assertThat(h.get("timeout").isInt()).isTrue();
            assertThat(h.get("timeout").asInt()).isBetween(1, 30);
            assertThat(hook.get("stages").toString()).isEqualTo("[\"" + stage + "\"]");
            assertThat(VALID_STAGES).contains(stage);
            assertThat(fieldNames(hook.get("when"))).containsExactly("annotations");
        }
    }

    @Test
    void theWhenRegexesCompileAndSelectOnlyContainersThatNameAProfile() throws Exception {
        for (String file : STAGE_OF_FILE.keySet()) {
            JsonNode annotations = HookJson.readObject(hooksDir().resolve(file), file).get("when").get("annotations");
            assertThat(annotations.size()).isEqualTo(1);
            String keyRegex = annotations.fieldNames().next();
            Pattern key = Pattern.compile(keyRegex);
            Pattern value = Pattern.compile(annotations.get(keyRegex).asText());
            // podman matches with Go's regexp (unanchored search); find() is the same here
            assertThat(key.matcher(Annotations.PROFILE).find()).isTrue();
            for (String other : List.of(Annotations.BRANCH, Annotations.BASE, "org.lobstertrap.puzzlepodXprofile",
                    Annotations.PROFILE + "s", "x" + Annotations.PROFILE, "io.podman.annotations.init")) {
                assertThat(key.matcher(other).find()).as(other).isFalse();
            }
            assertThat(value.matcher("standard").find()).isTrue();
            assertThat(value.matcher("").find()).isFalse();
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
