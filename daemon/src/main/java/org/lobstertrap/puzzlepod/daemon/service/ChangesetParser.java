package org.lobstertrap.puzzlepod.daemon.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the changeset argument of {@code TestPolicy}: a diff result or {@code {"changes": […]}} in the
 * {@code ChangesetJson} shape, strictly (unknown keys, wrong types and bad paths are InvalidArgument).
 */
final class ChangesetParser {
    static final Set<String> TOP = Set.of("changes", "exit_code", "total_bytes_changed", "total_changes", "counts", "branch",
            "skipped", "summary");
    private static final Set<String> CHANGE = Set.of("path", "kind", "type", "directory", "size", "checksum", "target", "new_mode",
            "old_mode", "old_type", "uid", "gid", "hardlink_of");
    static final int MAX_CHANGES = 1_000_000;

    private ChangesetParser() {}

    record Parsed(Changeset changeset, Integer exitCode) {}

    static Parsed parse(ObjectNode root) {
        JsonNode arr = root.get("changes");
        if (arr == null || !arr.isArray()) throw ApiException.invalid("changeset: \"changes\" must be an array");
        if (arr.size() > MAX_CHANGES) throw ApiException.invalid("changeset: more than " + MAX_CHANGES + " changes");
        Long exit = Args.optLong(root, "changeset", "exit_code", Integer.MIN_VALUE, Integer.MAX_VALUE);
        List<Change> changes = new ArrayList<>(arr.size());
        int i = 0;
        for (JsonNode c : arr) {
            String where = "changeset: changes[" + i++ + "]";
            if (!c.isObject()) throw ApiException.invalid(where + " must be an object");
            for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!CHANGE.contains(k)) throw ApiException.invalid(where + ": unknown key " + Args.show(k));
            }
            ObjectNode o = (ObjectNode) c;
            RelPath path = rel(where + ".path", Args.optString(o, where, "path"));
            ChangeKind kind = kind(where, Args.optString(o, where, "kind"));
            String type = Args.optString(o, where, "type");
            Boolean dir = Args.optBool(o, where, "directory");
            boolean directory = dir != null ? dir : "directory".equals(type);
            if (type == null) type = directory ? "directory" : defaultType(kind);
            int mode = typeBits(where, type) | (int) orZero(Args.optLong(o, where, "new_mode", 0, 07777));
            Long oldPerm = Args.optLong(o, where, "old_mode", 0, 07777);
            String oldType = Args.optString(o, where, "old_type");
            Integer oldMode = oldPerm == null ? null : typeBits(where, oldType == null ? type : oldType) | oldPerm.intValue();
            String target = Args.optString(o, where, "target");
            if (kind == ChangeKind.Symlink && target == null) throw ApiException.invalid(where + ": a Symlink needs \"target\"");
            String hardlink = Args.optString(o, where, "hardlink_of");
            if (kind == ChangeKind.Hardlink && hardlink == null) throw ApiException.invalid(where + ": a Hardlink needs \"hardlink_of\"");
            changes.add(new Change(path, kind, directory, orZero(Args.optLong(o, where, "size", 0, Long.MAX_VALUE)), mode,
                    (int) orZero(Args.optLong(o, where, "uid", 0, 0xffffffffL)), (int) orZero(Args.optLong(o, where, "gid", 0, 0xffffffffL)),
                    Args.optString(o, where, "checksum"), target == null ? null : target.getBytes(StandardCharsets.UTF_8),
                    hardlink == null ? null : rel(where + ".hardlink_of", hardlink), 0, oldMode));
        }
        return new Parsed(new Changeset(changes), exit == null ? null : exit.intValue());
    }

    private static long orZero(Long v) { return v == null ? 0 : v; }

    private static RelPath rel(String where, String p) {
        if (p == null) throw ApiException.invalid(where + " is missing");
        byte[] raw = p.getBytes(StandardCharsets.UTF_8);
        String problem = RelPath.problem(raw);
        if (problem != null) throw ApiException.invalid(where + " " + Args.show(p) + " is not a workspace-relative path: "
                + (problem.length() > 40 ? problem.substring(0, 40) + "…" : problem));
        return RelPath.of(raw);
    }

    private static ChangeKind kind(String where, String k) {
        if (k == null) throw ApiException.invalid(where + ": \"kind\" is missing");
        for (ChangeKind c : ChangeKind.values()) if (c.name().equals(k)) return c;
        throw ApiException.invalid(where + ": unknown kind " + Args.show(k));
    }

    private static String defaultType(ChangeKind k) {
        return switch (k) {
            case Symlink -> "symlink";
            case BlockDevice -> "block_device";
            case CharDevice -> "char_device";
            case Fifo -> "fifo";
            default -> "file";
        };
    }

    private static int typeBits(String where, String type) {
        return switch (type) {
            case "file" -> FileStat.S_IFREG;
            case "directory" -> FileStat.S_IFDIR;
            case "symlink" -> FileStat.S_IFLNK;
            case "fifo" -> FileStat.S_IFIFO;
            case "char_device" -> FileStat.S_IFCHR;
            case "block_device" -> FileStat.S_IFBLK;
            case "socket" -> FileStat.S_IFSOCK;
            default -> throw ApiException.invalid(where + ": unknown type " + Args.show(type));
        };
    }
}
