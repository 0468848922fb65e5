package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON in and out: the daemon's answers, the requests puzzlectl builds, and small readers for views. */
final class Json {
    /** Big decimals keep numbers exactly as the daemon wrote them when pretty-printing. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /** The daemon's answer as a tree; an answer that is not one JSON value is a daemon error. */
    static JsonNode answer(String json) {
        try {
            JsonNode n = json == null ? null : MAPPER.readTree(json);
            if (n == null || n.isMissingNode()) throw new CtlException(ExitCodes.DAEMON_ERROR, "puzzled answered an empty string");
            return n;
        } catch (JsonProcessingException e) {
            throw new CtlException(ExitCodes.DAEMON_ERROR, "puzzled answered something that is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    static ObjectNode object() { return MAPPER.createObjectNode(); }

    /** The compact text of an object, or "" for an empty one (the API's "no options"). */
    static String argument(ObjectNode o) {
        return o.isEmpty() ? "" : compact(o);
    }

    static String compact(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static String pretty(JsonNode n) { return n.toPrettyString(); }

    /** A field as text, "-" when absent or null. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (v.isMissingNode() || v.isNull()) return "-";
        return v.isValueNode() ? v.asText() : compact(v);
    }

    /** "12 B", "3.4 KiB", "1.2 MiB", … */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
