package org.lobstertrap.puzzlepod.podman;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the daemon's JSON answers and writing the small JSON arguments the wrapper sends. */
final class Json {
    private Json() {}

    /** Parses a daemon answer; an unreadable answer is a {@link DaemonAnswerException}. */
    static JsonValue read(String json, String what) throws DaemonAnswerException {
        try {
            return JsonValue.parse(json);
        } catch (JsonValue.JsonSyntaxException e) {
            throw new DaemonAnswerException("puzzled answered " + what + " with unreadable JSON: " + e.getMessage());
        }
    }

    /** A text field, or {@code fallback} when missing or null. */
    static String text(JsonValue n, String field, String fallback) {
        JsonValue v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    /** A field that must be there (a missing one is the daemon's mistake). */
    static String required(JsonValue n, String field, String what) throws DaemonAnswerException {
        JsonValue v = n.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty())
            throw new DaemonAnswerException("puzzled's " + what + " has no \"" + field + "\"");
        return v.asText();
    }

    /** A flat JSON object of strings, numbers and booleans, fields in the order put. */
    static final class Obj {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        Obj put(String k, String v) { fields.put(k, v); return this; }

        Obj put(String k, long v) { fields.put(k, v); return this; }

        Obj put(String k, boolean v) { fields.put(k, v); return this; }

        boolean isEmpty() { return fields.isEmpty(); }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("{");
            String sep = "";
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                b.append(sep);
                JsonValue.quote(b, e.getKey());
                b.append(':');
                if (e.getValue() instanceof String s) JsonValue.quote(b, s);
                else b.append(e.getValue());
                sep = ",";
            }
            return b.append('}').toString();
        }
    }

    /** A daemon answer the wrapper cannot use. Exit code {@link ExitCodes#INTERNAL}. */
    static final class DaemonAnswerException extends Exception {
        DaemonAnswerException(String message) { super(message); }
    }
}
