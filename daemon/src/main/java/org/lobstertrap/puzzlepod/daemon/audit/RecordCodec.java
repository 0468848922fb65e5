package org.lobstertrap.puzzlepod.daemon.audit;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Builds, serialises and parses record lines. */
final class RecordCodec {
    /** The {@code prev} of the very first record. */
    static final String GENESIS = "0".repeat(64);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** Dotted lower-case words; a word may hold '-' or '_' (API.md spells types like branch.rolled-back). */
    static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build())
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private RecordCodec() {}

    static String formatTime(Instant t) {
        return TIME.format(t);
    }

    /** The record as a JSON tree without {@code mac}. */
    static ObjectNode unsigned(long seq, Instant time, String type, String branch, Long uid, JsonNode data, String prev) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("seq", seq);
        n.put("time", formatTime(time));
        n.put("type", type);
        if (branch == null) n.putNull("branch"); else n.put("branch", branch);
        if (uid == null) n.putNull("uid"); else n.put("uid", uid);
        n.set("data", data);
        n.put("prev", prev);
        return n;
    }

    /** Thrown by {@link #parse} with the reason the line is not a record. */
    static final class Unparsable extends Exception {
        Unparsable(String message) { super(message); }
    }

    /** Parses and checks the shape of one complete line; the MAC is checked by the caller. */
    static ObjectNode parse(byte[] line) throws Unparsable {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new Unparsable("not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (node == null || !node.isObject()) throw new Unparsable("not a JSON object");
        ObjectNode o = (ObjectNode) node;
        for (String f : new String[] {"seq", "time", "type", "branch", "uid", "data", "prev", "mac"}) {
            if (!o.has(f)) throw new Unparsable("missing field \"" + f + "\"");
        }
        if (o.size() != 8) throw new Unparsable("unexpected fields (a record has exactly 8)");
        if (!o.get("seq").isIntegralNumber() || !o.get("seq").canConvertToLong())
            throw new Unparsable("seq is not an integer");
        if (!o.get("time").isTextual()) throw new Unparsable("time is not a string");
        try {
            Instant.parse(o.get("time").textValue());
        } catch (DateTimeParseException e) {
            throw new Unparsable("time is not RFC 3339: " + o.get("time").textValue());
        }
        if (!o.get("type").isTextual()) throw new Unparsable("type is not a string");
        if (!o.get("branch").isTextual() && !o.get("branch").isNull()) throw new Unparsable("branch is not a string or null");
        if (!(o.get("uid").isIntegralNumber() && o.get("uid").canConvertToLong()) && !o.get("uid").isNull())
            throw new Unparsable("uid is not an integer or null");
        if (!o.get("data").isObject()) throw new Unparsable("data is not an object");
        if (!o.get("prev").isTextual() || !HEX64.matcher(o.get("prev").textValue()).matches()) throw new Unparsable("prev is not 64 hex digits");
        if (!o.get("mac").isTextual() || !HEX64.matcher(o.get("mac").textValue()).matches()) throw new Unparsable("mac is not 64 hex digits");
        byte[] canonical;
        try {
            canonical = CanonicalJson.bytes(o);
        } catch (IllegalArgumentException e) {
            throw new Unparsable(e.getMessage());
        }
        if (!Arrays.equals(canonical, line)) throw new Unparsable("not in canonical form");
        return o;
    }

    /** The MAC the record should carry (computed over it without "mac"). */
    static String expectedMac(byte[] fileKey, ObjectNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove("mac");
        return AuditKey.mac(fileKey, CanonicalJson.bytes(copy));
    }

    static AuditRecord toRecord(ObjectNode o) {
        return new AuditRecord(o.get("seq").longValue(), Instant.parse(o.get("time").textValue()),
                o.get("type").textValue(), o.get("branch").isNull() ? null : o.get("branch").textValue(),
                o.get("uid").isNull() ? null : o.get("uid").longValue(), o.get("data"),
                o.get("prev").textValue(), o.get("mac").textValue());
    }
}
