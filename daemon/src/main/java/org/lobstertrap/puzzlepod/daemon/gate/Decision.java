package org.lobstertrap.puzzlepod.daemon.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One governance decision, as {@code client/API.md} ("decision") spells it.
 *
 * @param branch       the branch, or null (TestPolicy)
 * @param files        changes that are not directories
 * @param exitCode     the agent's exit code, or null when unknown
 * @param reason       why, in words, for outcomes other than a plain policy verdict; null otherwise
 * @param policyDigest the digest of the policy that judged, or null when none did
 * @param state        the branch's state after the decision (null for TestPolicy)
 */
public record Decision(String branch, Outcome outcome, boolean allow, List<Finding> violations, List<Finding> warnings,
                       long changes, long files, long bytes, Integer exitCode, String reason, String profile,
                       String failMode, String policyDigest, String state, Instant decidedAt, long durationMs) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public Decision {
        violations = List.copyOf(violations);
        warnings = List.copyOf(warnings);
    }

    public Decision withState(String newState) {
        return new Decision(branch, outcome, allow, violations, warnings, changes, files, bytes, exitCode, reason, profile,
                failMode, policyDigest, newState, decidedAt, durationMs);
    }

    /**
     * What a caller without privilege sees under fail mode {@code silent} when the changeset was refused
     * (any outcome but committed and review-pending): no findings, no policy digest and the reason
     * "rejected", so the agent cannot probe the rules.
     */
    public Decision silenced() {
        if (!"silent".equals(failMode) || outcome == Outcome.COMMITTED || outcome == Outcome.REVIEW_PENDING) return this;
        return new Decision(branch, outcome, false, List.of(), List.of(), changes, files, bytes, exitCode, "rejected", profile,
                failMode, null, state, decidedAt, durationMs);
    }

    public ObjectNode toJson() {
        ObjectNode o = NODES.objectNode();
        o.put("branch", branch);
        o.put("outcome", outcome.wire());
        o.put("allow", allow);
        o.set("violations", findings(violations));
        o.set("warnings", findings(warnings));
        o.put("changes", changes);
        o.put("files", files);
        o.put("bytes", bytes);
        if (exitCode == null) o.putNull("exit_code"); else o.put("exit_code", exitCode.intValue());
        o.put("reason", reason);
        o.put("profile", profile);
        o.put("fail_mode", failMode);
        o.put("policy_digest", policyDigest);
        o.put("state", state);
        o.put("decided_at", decidedAt.toString());
        o.put("duration_ms", durationMs);
        return o;
    }

    /** Reads back what {@link #toJson()} wrote (records on disk). */
    public static Decision fromJson(JsonNode o) {
        return new Decision(text(o, "branch"), outcome(o.path("outcome").asText()), o.path("allow").asBoolean(),
                findings(o.path("violations")), findings(o.path("warnings")), o.path("changes").asLong(), o.path("files").asLong(),
                o.path("bytes").asLong(), o.path("exit_code").isIntegralNumber() ? o.path("exit_code").asInt() : null,
                text(o, "reason"), text(o, "profile"), text(o, "fail_mode"), text(o, "policy_digest"), text(o, "state"),
                Instant.parse(o.path("decided_at").asText()), o.path("duration_ms").asLong());
    }

    private static Outcome outcome(String wire) {
        for (Outcome x : Outcome.values()) if (x.wire().equals(wire)) return x;
        throw new IllegalArgumentException("unknown outcome " + wire);
    }

    private static String text(JsonNode o, String key) {
        JsonNode n = o.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static ArrayNode findings(List<Finding> list) {
        ArrayNode a = NODES.arrayNode();
        for (Finding f : list) a.addObject().put("rule", f.rule()).put("message", f.message()).put("severity", f.severity());
        return a;
    }

    private static List<Finding> findings(JsonNode arr) {
        List<Finding> out = new ArrayList<>();
        arr.forEach(f -> out.add(new Finding(text(f, "rule"), text(f, "message"), text(f, "severity"))));
        return out;
    }
}
