package org.lobstertrap.puzzlepod.daemon.branch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.BranchState;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The JSON form of {@link BranchMetadata} ({@code branch.json}), written field by field so the wire
 * format is explicit and stable: snake_case keys, states and flavours in their wire spelling, instants
 * as ISO-8601 UTC, the lifetime as an ISO-8601 duration, absent values as JSON null.
 * <pre>
 * {"format":1,"id":"b-…","owner_uid":1000,"profile":"standard","base":"/srv/ws","created":"2026-…Z",
 *  "state":"ready","container_id":null,"lifetime":"PT24H","expires_at":"…","overlay":"kernel",
 *  "updated":"…","failure_reason":null}
 * </pre>
 */
public final class BranchMetadataJson {
    /** Version of the file format; readers refuse versions they do not know. */
    public static final int FORMAT = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BranchMetadataJson() {}

    /** The metadata as a JSON tree. */
    public static ObjectNode toTree(BranchMetadata m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("format", FORMAT);
        o.put("id", m.id().value());
        o.put("owner_uid", m.ownerUid());
        o.put("profile", m.profile());
        o.put("base", m.base() == null ? null : m.base().toString());
        o.put("created", m.created().toString());
        o.put("state", m.state().wire());
        o.put("container_id", m.containerId());
        o.put("lifetime", m.lifetime().toString());
        o.put("expires_at", m.expiresAt().toString());
        o.put("overlay", m.overlay().wire());
        o.put("updated", m.updated().toString());
        o.put("failure_reason", m.failureReason());
        return o;
    }

    /** Pretty-printed UTF-8 JSON with a trailing newline. */
    public static byte[] toBytes(BranchMetadata m) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(toTree(m));
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise branch metadata", e);
        }
    }

    /** Parses {@code branch.json}; {@code source} names the file in error messages. */
    public static BranchMetadata fromBytes(byte[] json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw corrupt(source, "not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw corrupt(source, "not readable as JSON (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) throw corrupt(source, "not a JSON object", null);
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) throw corrupt(source, "unknown format " + root.path("format") + " (this version reads " + FORMAT + ")", null);
        try {
            String base = optText(root, "base");
            return new BranchMetadata(
                    BranchId.of(text(root, "id")),
                    root.path("owner_uid").isInt() ? root.get("owner_uid").intValue() : fail("owner_uid is not an integer"),
                    text(root, "profile"),
                    base == null ? null : Path.of(base),
                    Instant.parse(text(root, "created")),
                    BranchState.fromWire(text(root, "state")),
                    optText(root, "container_id"),
                    Duration.parse(text(root, "lifetime")),
                    Instant.parse(text(root, "expires_at")),
                    OverlayFlavour.fromWire(text(root, "overlay")),
                    Instant.parse(text(root, "updated")),
                    optText(root, "failure_reason"));
        } catch (BranchException | IllegalArgumentException | DateTimeParseException e) {
            throw corrupt(source, e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) throw new IllegalArgumentException(field + " is missing or not a string");
        return n.textValue();
    }

    private static String optText(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new IllegalArgumentException(field + " is not a string");
        return n.textValue();
    }

    private static int fail(String why) { throw new IllegalArgumentException(why); }

    private static BranchStoreException corrupt(String source, String why, Throwable cause) {
        return new BranchStoreException(BranchStoreException.CORRUPT_METADATA,
                "corrupt branch metadata " + source + ": " + why, cause);
    }
}
