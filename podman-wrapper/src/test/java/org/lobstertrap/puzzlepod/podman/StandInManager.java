package org.lobstertrap.puzzlepod.podman;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.freedesktop.dbus.types.UInt32;
import org.lobstertrap.PuzzlePod1.Error;
import org.lobstertrap.puzzlepod.client.Manager1;

/**
 * A stand-in puzzled for the wrapper's tests: CreateBranch makes real upper and work directories, so a
 * real podman can mount the branch; the decision WaitBranch reports is whatever the test sets. Records
 * every call.
 */
final class StandInManager implements Manager1 {
    private final Path root;
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Map<String, ObjectNode> branches = new ConcurrentHashMap<>();
    final Map<String, JsonNode> createOptions = new ConcurrentHashMap<>();
    final Map<String, JsonNode> events = new ConcurrentHashMap<>();
    /** The decision the gate "makes"; {@code branch} is filled in. */
    volatile ObjectNode decision = decision("committed");
    /** TriggerGovernance answers InvalidState, as when a poststop hook triggered first. */
    volatile boolean triggerFails;
    private int next = 1;

    StandInManager(Path root) { this.root = root; }

    static ObjectNode decision(String outcome) {
        ObjectNode d = TestJson.object().put("outcome", outcome).put("allow", outcome.equals("committed"));
        d.putArray("violations");
        d.putArray("warnings");
        d.put("changes", 2).put("files", 2).put("bytes", 9);
        return d;
    }

    Path upper(String id) { return root.resolve(id).resolve("upper"); }

    List<String> methods() { return calls.stream().map(c -> c.split(" ", 2)[0]).toList(); }

    @Override public String getObjectPath() { return OBJECT_PATH; }

    @Override public synchronized String CreateBranch(String profile, String base, String options) {
        calls.add("CreateBranch " + profile + " " + base);
        String id = "b" + next++;
        Path dir = root.resolve(id);
        try {
            Files.createDirectories(dir.resolve("upper"));
            Files.createDirectories(dir.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode o = read(options);
        createOptions.put(id, o);
        String ws = o.path("workspace").asText("/workspace");
        ObjectNode b = TestJson.object().put("id", id).put("profile", profile).put("base", base).put("workspace", ws)
                .put("state", "ready").put("on_exit", o.path("on_exit").asText("commit"))
                .put("upper", dir.resolve("upper").toString()).put("work", dir.resolve("work").toString())
                .put("created", "2026-01-01T00:00:00Z")
                .put("podman_volume", base + ":" + ws + ":O,upperdir=" + dir.resolve("upper") + ",workdir=" + dir.resolve("work"));
        b.putNull("decision");
        branches.put(id, b);
        return TestJson.write(b);
    }

    @Override public String ShowProfile(String name) {
        calls.add("ShowProfile " + name);
        if (name.equals("nope")) throw new Error.NotFound("no profile nope");
        return """
                {"name":"%s","resource_limits":{"memory_bytes":268435456,"max_pids":64,"cpu_shares":512},
                 "network":{"mode":"Blocked","allowed_domains":[]}}""".formatted(name);
    }

    @Override public String TriggerGovernance(String id, String event) {
        calls.add("TriggerGovernance " + id);
        if (triggerFails) throw new Error.InvalidState("branch " + id + " is committing");
        events.put(id, read(event));
        return "{\"branch\":\"" + id + "\",\"accepted\":true,\"state\":\"committing\"}";
    }

    @Override public String WaitBranch(String id, UInt32 timeout) {
        calls.add("WaitBranch " + id);
        ObjectNode b = branch(id).deepCopy();
        ObjectNode d = decision.deepCopy().put("branch", id);
        b.set("decision", d);
        b.put("state", switch (d.path("outcome").asText()) {
            case "committed" -> "committed";
            case "review-pending" -> "review-pending";
            case "conflict", "failed" -> "failed";
            default -> "rolled-back";
        });
        b.put("decided", true);
        return TestJson.write(b);
    }

    @Override public String DiffBranch(String id) {
        calls.add("DiffBranch " + id);
        Path upper = upper(branch(id).path("id").asText());
        ObjectNode diff = TestJson.object().put("branch", id);
        ArrayNode changes = diff.putArray("changes");
        long bytes = 0;
        try (Stream<Path> s = Files.walk(upper)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                long size = Files.size(p);
                bytes += size;
                changes.addObject().put("path", upper.relativize(p).toString()).put("kind", "Added")
                        .put("directory", false).put("size", size).putNull("target").putNull("hardlink_of");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        diff.putArray("skipped");
        diff.putObject("summary").put("changes", changes.size()).put("bytes", bytes).put("Added", changes.size());
        return TestJson.write(diff);
    }

    @Override public String CommitBranch(String id) {
        calls.add("CommitBranch " + id);
        return TestJson.write(decision.deepCopy().put("branch", id));
    }

    @Override public String RollbackBranch(String id, String reason) {
        calls.add("RollbackBranch " + id + " " + reason);
        return TestJson.write(branch(id).deepCopy().put("state", "rolled-back").put("failure_reason", reason));
    }

    @Override public String InspectBranch(String id) {
        calls.add("InspectBranch " + id);
        return TestJson.write(branch(id));
    }

    @Override public String ListBranches(String filter) {
        calls.add("ListBranches " + filter);
        ObjectNode r = TestJson.object();
        ArrayNode a = r.putArray("branches");
        branches.values().forEach(a::add);
        return TestJson.write(r);
    }

    @Override public String ApproveBranch(String id, String comment) {
        calls.add("ApproveBranch " + id + " " + comment);
        if (!branch(id).path("state").asText().equals("review-pending"))
            throw new Error.InvalidState("branch " + id + " is not review-pending");
        return TestJson.write(decision("committed").put("branch", id));
    }

    @Override public String RejectBranch(String id, String reason) {
        calls.add("RejectBranch " + id + " " + reason);
        return TestJson.write(decision("rolled-back").put("branch", id).put("reason", "review rejected: " + reason));
    }

    private ObjectNode branch(String id) {
        ObjectNode b = branches.get(id);
        if (b == null) throw new Error.NotFound("no branch " + id);
        return b;
    }

    private static JsonNode read(String json) {
        try {
            return json.isEmpty() ? TestJson.object() : TestJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new Error.InvalidArgument("bad JSON: " + e.getMessage());
        }
    }

    @Override public String AttachGovernance(String id, String c) { throw new UnsupportedOperationException(); }
    @Override public String ReloadPolicy() { throw new UnsupportedOperationException(); }
    @Override public String QueryAuditEvents(String q) { throw new UnsupportedOperationException(); }
    @Override public String VerifyAudit() { throw new UnsupportedOperationException(); }
    @Override public String ListProfiles() { throw new UnsupportedOperationException(); }
    @Override public String ValidateProfile(String y) { throw new UnsupportedOperationException(); }
    @Override public String TestPolicy(String c, String p) { throw new UnsupportedOperationException(); }
    @Override public String Status() { return "{\"version\":\"stand-in\"}"; }

    /** All the stand-in's recorded calls, for assertion messages. */
    @Override public String toString() { return new ArrayList<>(calls).toString(); }
}
