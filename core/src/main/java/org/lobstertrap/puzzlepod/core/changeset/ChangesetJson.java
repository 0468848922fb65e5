package org.lobstertrap.puzzlepod.core.changeset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.linux.FileStat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The policy-input form of a {@link Changeset}: what Rego policies see as {@code input.changes}.
 *
 * <pre>{@code
 * {"changes": [{"path": "src/main.c", "kind": "Modified", "type": "file", "directory": false,
 *               "size": 120, "checksum": "ab…", "target": null, "new_mode": 420, "old_mode": 420,
 *               "old_type": "file", "uid": 0, "gid": 0, "hardlink_of": null}, …],
 *  "total_bytes_changed": 120,
 *  "total_changes": 1,
 *  "counts": {"Added": 0, "Modified": 1, "Deleted": 0, …every kind…}}
 * }</pre>
 *
 * Every key is always present (null when it does not apply) so that policies can rely on the shape.
 * Paths and symlink targets are {@link RelPath#display()} text: raw bytes that are not printable UTF-8
 * appear as {@code \xNN}. Modes are the permission bits (including setuid/setgid/sticky) as a number;
 * {@code type}/{@code old_type} carry the file type so that type replacements are visible.
 */
public final class ChangesetJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChangesetJson() {}

    /** The whole changeset as a JSON tree (changes, totals, counts per kind). */
    public static ObjectNode toTree(Changeset changeset) {
        ObjectNode root = NODES.objectNode();
        ArrayNode changes = root.putArray("changes");
        for (Change c : changeset.changes()) changes.add(toTree(c));
        root.put("total_bytes_changed", changeset.totalBytes());
        root.put("total_changes", changeset.size());
        ObjectNode counts = root.putObject("counts");
        long[] perKind = new long[ChangeKind.values().length];
        for (Change c : changeset.changes()) perKind[c.kind().ordinal()]++;
        for (ChangeKind kind : ChangeKind.values()) counts.put(kind.name(), perKind[kind.ordinal()]);
        return root;
    }

    /** One change in policy-input form. */
    public static ObjectNode toTree(Change c) {
        ObjectNode o = NODES.objectNode();
        o.put("path", c.path().display());
        o.put("kind", c.kind().name());
        o.put("type", typeName(c.mode()));
        o.put("directory", c.directory());
        o.put("size", c.size());
        o.put("checksum", c.checksum());
        o.put("target", c.symlinkTargetDisplay());
        o.put("new_mode", c.permissions());
        if (c.oldMode() == null) {
            o.putNull("old_mode");
            o.putNull("old_type");
        } else {
            o.put("old_mode", c.oldMode() & 07777);
            o.put("old_type", typeName(c.oldMode()));
        }
        o.put("uid", Integer.toUnsignedLong(c.uid()));
        o.put("gid", Integer.toUnsignedLong(c.gid()));
        o.put("hardlink_of", c.hardlinkOf() == null ? null : c.hardlinkOf().display());
        return o;
    }

    /** Compact JSON text of {@link #toTree(Changeset)}. */
    public static String toJson(Changeset changeset) {
        try {
            return MAPPER.writeValueAsString(toTree(changeset));
        } catch (IOException e) {
            throw new UncheckedIOException("serialising a changeset cannot fail on a JSON tree", e);
        }
    }

    /** Writes {@link #toTree(Changeset)} as compact JSON; does not close the stream. */
    public static void write(Changeset changeset, OutputStream out) throws IOException {
        MAPPER.writer().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, toTree(changeset));
    }

    /** "file", "directory", "symlink", "fifo", "char_device", "block_device", "socket" or "unknown". */
    public static String typeName(int mode) {
        return switch (mode & FileStat.S_IFMT) {
            case FileStat.S_IFREG -> "file";
            case FileStat.S_IFDIR -> "directory";
            case FileStat.S_IFLNK -> "symlink";
            case FileStat.S_IFIFO -> "fifo";
            case FileStat.S_IFCHR -> "char_device";
            case FileStat.S_IFBLK -> "block_device";
            case FileStat.S_IFSOCK -> "socket";
            default -> "unknown";
        };
    }
}
