package org.lobstertrap.puzzlepod.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.lobstertrap.puzzlepod.rego.EvalOptions;
import org.lobstertrap.puzzlepod.rego.PreparedPolicy;
import org.lobstertrap.puzzlepod.rego.RegoEngine;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** The shipped policies ({@code policies/*.rego} at the repository root) and a builder for their input. */
final class CommitPolicyFixture {
    static final Path DIR = Path.of("..", "policies");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Strict: a builtin error in a shipped rule is a bug, not an undefined result. */
    static final EvalOptions STRICT = EvalOptions.DEFAULT.withStrict(true);

    private CommitPolicyFixture() {}

    static List<Path> files() throws IOException {
        assertThat(DIR).as("shipped policies directory (tests run from the daemon module)").isDirectory();
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".rego")).sorted().toList();
        }
    }

    static PreparedPolicy load() throws IOException, RegoException {
        RegoEngine engine = new RegoEngine();
        for (Path f : files()) engine.addModule(f.getFileName().toString(), Files.readString(f));
        return engine.prepare();
    }

    /** A changeset input under construction. */
    static final class Input {
        final ObjectNode root = JSON.createObjectNode();
        final ArrayNode changes = root.putArray("changes");
        private long bytes;

        static Input of() { return new Input(); }

        Input file(String path) { return change(path, "Added", "file", 0644, 10); }

        Input file(String path, int mode) { return change(path, "Added", "file", mode, 10); }

        Input dir(String path) { return change(path, "Added", "directory", 0755, 0); }

        Input change(String path, String kind, String type, int mode, long size) {
            ObjectNode c = changes.addObject();
            c.put("path", path);
            c.put("kind", kind);
            c.put("type", type);
            c.put("directory", type.equals("directory"));
            c.put("size", size);
            c.put("checksum", type.equals("file") && !kind.equals("Deleted") ? "0".repeat(64) : null);
            c.putNull("target");
            c.put("new_mode", mode);
            if (kind.equals("Added")) { c.putNull("old_mode"); c.putNull("old_type"); }
            else { c.put("old_mode", 0644); c.put("old_type", type); }
            c.put("uid", 0);
            c.put("gid", 0);
            c.putNull("hardlink_of");
            bytes += kind.equals("Deleted") ? 0 : size;
            return this;
        }

        Input symlink(String path, String target) {
            change(path, "Symlink", "symlink", 0777, target.length());
            ((ObjectNode) changes.get(changes.size() - 1)).put("target", target);
            return this;
        }

        Input hardlink(String path, String of) {
            change(path, "Hardlink", "file", 0644, 10);
            ((ObjectNode) changes.get(changes.size() - 1)).put("hardlink_of", of);
            return this;
        }

        Input set(String key, Object value) {
            root.set(key, JSON.valueToTree(value));
            return this;
        }

        Value value() {
            if (!root.has("total_changes")) root.put("total_changes", changes.size());
            if (!root.has("total_bytes_changed")) root.put("total_bytes_changed", bytes);
            ObjectNode counts = root.putObject("counts");
            for (String k : List.of("Added", "Modified", "Deleted", "MetadataChanged", "Symlink", "Hardlink", "BlockDevice", "CharDevice", "Fifo"))
                counts.put(k, 0);
            changes.forEach(c -> counts.put(c.get("kind").asText(), counts.get(c.get("kind").asText()).asLong() + 1));
            root.put("workspace_root", "/workspace");
            return Json.parse(root.toString());
        }
    }

    /** What the policy decided for one input. */
    record Decision(boolean allow, List<Map<String, Object>> violations, List<Map<String, Object>> warnings) {
        TreeSet<String> violationRules() { return rules(violations); }

        TreeSet<String> warningRules() { return rules(warnings); }

        private static TreeSet<String> rules(List<Map<String, Object>> findings) {
            TreeSet<String> out = new TreeSet<>();
            findings.forEach(f -> out.add((String) f.get("rule")));
            return out;
        }
    }

    static Decision decide(PreparedPolicy policy, Input input) throws RegoException {
        Value in = input.value();
        Value allow = policy.evaluate("data.puzzlepod.commit.allow", in, STRICT);
        return new Decision(allow != null && Json.toJava(allow).equals(Boolean.TRUE),
                findings(policy.evaluate("data.puzzlepod.commit.violations", in, STRICT)),
                findings(policy.evaluate("data.puzzlepod.commit.warnings", in, STRICT)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(Value v) {
        if (v == null) return List.of();
        Object o = Json.toJava(v);
        return List.copyOf((Collection<Map<String, Object>>) o);
    }
}
