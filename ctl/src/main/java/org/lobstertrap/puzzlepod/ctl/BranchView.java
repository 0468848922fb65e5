package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Branches as text: the list as aligned columns, one branch as labelled lines. */
final class BranchView {
    private BranchView() {}

    /** {@code {"branches":[…]}} as columns ID STATE PROFILE OWNER BASE CREATED. */
    static void list(JsonNode answer, PrintWriter out) {
        TextTable t = new TextTable("ID", "STATE", "PROFILE", "OWNER", "BASE", "CREATED");
        for (JsonNode b : answer.path("branches")) {
            t.row(Json.text(b, "id"), Json.text(b, "state"), Json.text(b, "profile"), Json.text(b, "owner_uid"),
                    Json.text(b, "base"), Json.text(b, "created"));
        }
        t.print(out);
    }

    private static final String[][] FIELDS = {
        {"id", "id"}, {"state", "state"}, {"profile", "profile"}, {"owner", "owner_uid"}, {"base", "base"},
        {"workspace", "workspace"}, {"created", "created"}, {"updated", "updated"}, {"expires", "expires_at"},
        {"on exit", "on_exit"}, {"overlay", "overlay"}, {"container", "container_id"}, {"pid", "pid"},
        {"upper", "upper"}, {"work", "work"}, {"failure", "failure_reason"}, {"podman -v", "podman_volume"}};

    /** One branch: a line per known field that has a value, then its decision if it has one. */
    static void details(JsonNode b, PrintWriter out) {
        for (String[] f : FIELDS) {
            String v = Json.text(b, f[1]);
            if (!v.equals("-")) out.printf("%-10s %s%n", f[0] + ":", v);
        }
        JsonNode decision = b.path("decision");
        if (decision.isObject()) {
            out.println("decision:");
            DecisionView.print(decision, out, "  ");
        }
    }
}
