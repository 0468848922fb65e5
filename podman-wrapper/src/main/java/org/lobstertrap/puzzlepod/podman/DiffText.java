package org.lobstertrap.puzzlepod.podman;


import java.io.PrintStream;
import java.util.Map;

/** The text form of a diff JSON ({@code DiffBranch}): a one-line summary, and one line per change. */
final class DiffText {
    private DiffText() {}

    /** e.g. {@code 3 changes, 1 234 bytes: 2 Added, 1 Deleted}. */
    static String summary(JsonValue diff) {
        JsonValue s = diff.path("summary");
        long changes = s.has("changes") ? s.path("changes").asLong() : diff.path("changes").size();
        StringBuilder b = new StringBuilder().append(changes).append(changes == 1 ? " change" : " changes")
                .append(", ").append(s.path("bytes").asLong()).append(" bytes");
        String sep = ": ";
        for (Map.Entry<String, JsonValue> e : s.fields().entrySet()) {
            if (e.getKey().equals("changes") || e.getKey().equals("bytes") || e.getValue().asLong() == 0) continue;
            b.append(sep).append(e.getValue().asLong()).append(' ').append(e.getKey());
            sep = ", ";
        }
        int skipped = diff.path("skipped").size();
        if (skipped > 0) b.append("; ").append(skipped).append(" skipped");
        return b.toString();
    }

    /** Every change as {@code KIND  PATH [-> TARGET] [SIZE bytes]}, then the skipped paths and the summary. */
    static void print(JsonValue diff, PrintStream out) {
        for (JsonValue c : diff.path("changes")) {
            StringBuilder line = new StringBuilder(String.format("%-15s %s", Json.text(c, "kind", "?"), Json.text(c, "path", "?")));
            String target = Json.text(c, "target", null);
            if (target != null) line.append(" -> ").append(target);
            String link = Json.text(c, "hardlink_of", null);
            if (link != null) line.append(" (hard link of ").append(link).append(')');
            if (c.path("size").asLong() > 0 && !c.path("directory").asBoolean()) line.append("  ").append(c.path("size").asLong()).append(" bytes");
            out.println(line);
        }
        for (JsonValue s : diff.path("skipped"))
            out.println(String.format("%-15s %s (%s)", "skipped", Json.text(s, "path", "?"), Json.text(s, "reason", "")));
        out.println(summary(diff));
    }
}
