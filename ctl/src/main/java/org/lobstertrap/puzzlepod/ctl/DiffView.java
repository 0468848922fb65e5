package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * A branch's diff as text: one line per change, {@code A path (12 B)}, then what was skipped and a summary.
 * Letters: A added, M modified, D deleted, P metadata (mode/owner) changed, L symlink, H hardlink,
 * B block device, C char device, F fifo.
 */
final class DiffView {
    private DiffView() {}

    static void print(JsonNode diff, PrintWriter out) {
        JsonNode changes = diff.path("changes");
        // tolerate the whole policy-input object ({"changes":[…], …}) in place of its array
        if (changes.isObject()) changes = changes.path("changes");
        for (JsonNode c : changes) out.println(line(c));
        for (JsonNode s : diff.path("skipped")) {
            out.println("skipped " + Json.text(s, "path") + ": " + Json.text(s, "reason"));
        }
        JsonNode summary = diff.path("summary");
        long count = summary.path("changes").asLong(changes.size());
        long bytes = summary.path("bytes").asLong(0);
        out.println(count + (count == 1 ? " change, " : " changes, ") + Json.bytes(bytes));
    }

    static String line(JsonNode c) {
        String kind = Json.text(c, "kind");
        String path = Json.text(c, "path");
        boolean dir = c.path("directory").asBoolean(false);
        String shown = dir ? path + "/" : path;
        return switch (kind) {
            case "Deleted" -> "D " + shown;
            case "Symlink" -> "L " + path + " -> " + Json.text(c, "target");
            case "Hardlink" -> "H " + path + " => " + Json.text(c, "hardlink_of");
            case "MetadataChanged" -> "P " + shown + " (mode " + mode(c.path("old_mode")) + " -> " + mode(c.path("new_mode")) + ")";
            case "Added", "Modified" -> kind.charAt(0) + " " + shown + (dir ? "" : " (" + Json.bytes(c.path("size").asLong(0)) + ")");
            case "BlockDevice" -> "B " + path;
            case "CharDevice" -> "C " + path;
            case "Fifo" -> "F " + path;
            default -> "? " + path + " (" + kind + ")";
        };
    }

    private static String mode(JsonNode m) {
        return m.canConvertToInt() ? String.format("%04o", m.asInt()) : "-";
    }
}
