package org.lobstertrap.puzzlepod.podman;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as puzzled sends it (RFC 8259): null, boolean, number, string, array or object (fields in
 * their order). Reading a missing field gives {@link #MISSING} rather than null, so paths can be chained.
 * The wrapper reads and writes small JSON only; its own reader keeps a general-purpose JSON library (and
 * its start-up cost) out of every run.
 */
final class JsonValue implements Iterable<JsonValue> {
    enum Type { NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT, MISSING }

    static final JsonValue NULL = new JsonValue(Type.NULL, null);
    static final JsonValue MISSING = new JsonValue(Type.MISSING, null);
    static final JsonValue TRUE = new JsonValue(Type.BOOLEAN, Boolean.TRUE);
    static final JsonValue FALSE = new JsonValue(Type.BOOLEAN, Boolean.FALSE);

    private final Type type;
    private final Object value;  // Boolean, BigDecimal, String, List<JsonValue>, Map<String, JsonValue>

    private JsonValue(Type type, Object value) {
        this.type = type;
        this.value = value;
    }

    static JsonValue string(String s) { return new JsonValue(Type.STRING, s); }

    static JsonValue number(BigDecimal n) { return new JsonValue(Type.NUMBER, n); }

    static JsonValue array(List<JsonValue> items) { return new JsonValue(Type.ARRAY, List.copyOf(items)); }

    static JsonValue object(Map<String, JsonValue> fields) {
        return new JsonValue(Type.OBJECT, Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
    }

    /** Parses one JSON document. */
    static JsonValue parse(String json) throws JsonSyntaxException { return new JsonReader(json).document(); }

    Type type() { return type; }

    /** The field's value, or null when this is not an object or has no such field. */
    JsonValue get(String field) { return type == Type.OBJECT ? fields().get(field) : null; }

    /** The field's value, or {@link #MISSING}. */
    JsonValue path(String field) {
        JsonValue v = get(field);
        return v == null ? MISSING : v;
    }

    boolean has(String field) { return get(field) != null; }

    /** Null, or missing. */
    boolean isNull() { return type == Type.NULL || type == Type.MISSING; }

    boolean isTextual() { return type == Type.STRING; }

    /** The string itself; a number or boolean as written; "" for null, missing, arrays and objects. */
    String asText() {
        return switch (type) {
            case STRING -> (String) value;
            case NUMBER -> ((BigDecimal) value).toPlainString();
            case BOOLEAN -> value.toString();
            default -> "";
        };
    }

    /** A whole number (or a string holding one), else 0. */
    long asLong() {
        try {
            return switch (type) {
                case NUMBER -> ((BigDecimal) value).longValue();
                case STRING -> Long.parseLong(((String) value).strip());
                default -> 0;
            };
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    boolean asBoolean(boolean fallback) { return type == Type.BOOLEAN ? (Boolean) value : fallback; }

    boolean asBoolean() { return asBoolean(false); }

    /** Elements of an array, fields of an object, else 0. */
    int size() {
        return switch (type) {
            case ARRAY -> elements().size();
            case OBJECT -> fields().size();
            default -> 0;
        };
    }

    @SuppressWarnings("unchecked")
    List<JsonValue> elements() { return type == Type.ARRAY ? (List<JsonValue>) value : List.of(); }

    @SuppressWarnings("unchecked")
    Map<String, JsonValue> fields() { return type == Type.OBJECT ? (Map<String, JsonValue>) value : Map.of(); }

    /** Array elements, or object values; nothing for anything else. */
    @Override
    public Iterator<JsonValue> iterator() {
        return type == Type.OBJECT ? fields().values().iterator() : elements().iterator();
    }

    /** Compact JSON. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        write(b, -1, 0);
        return b.toString();
    }

    /** JSON indented by two spaces. */
    String pretty() {
        StringBuilder b = new StringBuilder();
        write(b, 2, 0);
        return b.toString();
    }

    @Override
    public boolean equals(Object o) { return o instanceof JsonValue v && v.type == type && java.util.Objects.equals(v.value, value); }

    @Override
    public int hashCode() { return type.hashCode() * 31 + java.util.Objects.hashCode(value); }

    private void write(StringBuilder b, int indent, int depth) {
        switch (type) {
            case NULL, MISSING -> b.append("null");
            case BOOLEAN -> b.append(value);
            case NUMBER -> b.append(((BigDecimal) value).toString());
            case STRING -> quote(b, (String) value);
            case ARRAY -> {
                if (elements().isEmpty()) { b.append("[]"); return; }
                b.append('[');
                String sep = "";
                for (JsonValue v : elements()) {
                    b.append(sep);
                    newline(b, indent, depth + 1);
                    v.write(b, indent, depth + 1);
                    sep = ",";
                }
                newline(b, indent, depth);
                b.append(']');
            }
            case OBJECT -> {
                if (fields().isEmpty()) { b.append("{}"); return; }
                b.append('{');
                String sep = "";
                for (Map.Entry<String, JsonValue> e : fields().entrySet()) {
                    b.append(sep);
                    newline(b, indent, depth + 1);
                    quote(b, e.getKey());
                    b.append(indent < 0 ? ":" : ": ");
                    e.getValue().write(b, indent, depth + 1);
                    sep = ",";
                }
                newline(b, indent, depth);
                b.append('}');
            }
        }
    }

    private static void newline(StringBuilder b, int indent, int depth) {
        if (indent < 0) return;
        b.append('\n');
        b.repeat(' ', indent * depth);
    }

    /** Appends {@code s} as a JSON string. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    /** Not JSON; the message says where. */
    static final class JsonSyntaxException extends Exception {
        JsonSyntaxException(String message) { super(message); }
    }

    /** A recursive-descent reader of one document (depth-limited: the daemon's answers are shallow). */
    private static final class JsonReader {
        private static final int MAX_DEPTH = 512;
        private final String s;
        private int i;

        JsonReader(String s) { this.s = s; }

        JsonValue document() throws JsonSyntaxException {
            JsonValue v = value(0);
            skipSpace();
            if (i != s.length()) throw error("text after the JSON value");
            return v;
        }

        private JsonValue value(int depth) throws JsonSyntaxException {
            if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH);
            skipSpace();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string(str());
                case 't' -> literal("true", TRUE);
                case 'f' -> literal("false", FALSE);
                case 'n' -> literal("null", NULL);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected '" + c + "'");
                }
            };
        }

        private JsonValue object(int depth) throws JsonSyntaxException {
            i++;
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') { i++; return JsonValue.object(fields); }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a field name");
                String key = str();
                skipSpace();
                expect(':');
                fields.put(key, value(depth + 1));
                skipSpace();
                char c = next();
                if (c == '}') return JsonValue.object(fields);
                if (c != ',') throw error("expected ',' or '}'");
            }
        }

        private JsonValue array(int depth) throws JsonSyntaxException {
            i++;
            List<JsonValue> items = new java.util.ArrayList<>();
            skipSpace();
            if (peek() == ']') { i++; return JsonValue.array(items); }
            while (true) {
                items.add(value(depth + 1));
                skipSpace();
                char c = next();
                if (c == ']') return JsonValue.array(items);
                if (c != ',') throw error("expected ',' or ']'");
            }
        }

        private String str() throws JsonSyntaxException {
            i++;  // the opening quote
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c < 0x20) throw error("control character in a string");
                if (c != '\\') { b.append(c); continue; }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) throw error("short \\u escape");
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private JsonValue number() throws JsonSyntaxException {
            int start = i;
            if (peek() == '-') i++;
            if (peek() == '0') i++;
            else if (!digits()) throw error("bad number");
            if (peek() == '.') { i++; if (!digits()) throw error("bad number"); }
            if (peek() == 'e' || peek() == 'E') {
                i++;
                if (peek() == '+' || peek() == '-') i++;
                if (!digits()) throw error("bad number");
            }
            return JsonValue.number(new BigDecimal(s.substring(start, i)));
        }

        private boolean digits() {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
            return i > start;
        }

        private JsonValue literal(String word, JsonValue v) throws JsonSyntaxException {
            if (!s.startsWith(word, i)) throw error("unexpected '" + s.charAt(i) + "'");
            i += word.length();
            return v;
        }

        private void skipSpace() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                i++;
            }
        }

        private char peek() { return i < s.length() ? s.charAt(i) : '\0'; }

        private char next() throws JsonSyntaxException {
            if (i >= s.length()) throw error("unexpected end");
            return s.charAt(i++);
        }

        private void expect(char c) throws JsonSyntaxException {
            if (next() != c) throw error("expected '" + c + "'");
        }

        private JsonSyntaxException error(String what) { return new JsonSyntaxException(what + " at offset " + i); }
    }
}
