package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** A governance decision as text: the outcome first, then each violation with rule, severity and message. */
final class DecisionView {
    private DecisionView() {}

    static void print(JsonNode d, PrintWriter out) { print(d, out, ""); }

    static void print(JsonNode d, PrintWriter out, String indent) {
        out.println(indent + "outcome: " + Json.text(d, "outcome") + " (allow: " + Json.text(d, "allow") + ")");
        String branch = Json.text(d, "branch");
        if (!branch.equals("-")) out.println(indent + "branch: " + branch + "  state: " + Json.text(d, "state"));
        out.println(indent + "profile: " + Json.text(d, "profile") + "  fail mode: " + Json.text(d, "fail_mode")
                + "  policy: " + Json.text(d, "policy_digest"));
        JsonNode bytes = d.path("bytes");
        String size = bytes.isNumber() ? Json.bytes(bytes.asLong()) : "- B";
        String exit = Json.text(d, "exit_code");
        out.println(indent + "changes: " + Json.text(d, "changes") + " (" + Json.text(d, "files") + " files, " + size + ")"
                + (exit.equals("-") ? "" : "  exit code: " + exit));
        String reason = Json.text(d, "reason");
        if (!reason.equals("-")) out.println(indent + "reason: " + reason);
        JsonNode violations = d.path("violations");
        if (violations.isArray() && !violations.isEmpty()) {
            out.println(indent + "violations:");
            for (JsonNode v : violations) {
                out.println(indent + "  " + Json.text(v, "severity") + "  " + Json.text(v, "rule") + ": " + Json.text(v, "message"));
            }
        }
        JsonNode warnings = d.path("warnings");
        if (warnings.isArray() && !warnings.isEmpty()) {
            out.println(indent + "warnings:");
            for (JsonNode w : warnings) {
                out.println(indent + "  " + (w.isObject()
                        ? Json.text(w, "rule") + ": " + Json.text(w, "message") : w.asText()));
            }
        }
        String decided = Json.text(d, "decided_at");
        if (!decided.equals("-")) out.println(indent + "decided: " + decided + " in " + Json.text(d, "duration_ms") + " ms");
    }

    /** True when the policy allowed the changeset. */
    static boolean allowed(JsonNode d) { return d.path("allow").asBoolean(false); }
}
