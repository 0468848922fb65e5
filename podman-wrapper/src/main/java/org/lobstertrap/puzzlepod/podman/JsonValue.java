package org.lobstertrap.puzzlepod.podman;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.client.json.JsonText;
import org.lobstertrap.puzzlepod.client.json.StrictJsonReader;

/**
 * A JSON value as puzzled sends it (RFC 8259): null, boolean, number, string, array or object (fields in
 * their order). Reading a missing field gives {@link #MISSING} rather than null, so paths can be chained.
 * Parsing is {@link StrictJsonReader}'s and escaping {@link JsonText}'s (as jackson-core escapes): jackson-core's
 * parser costs every run 20–30 ms of CPU before it reads a byte (it initialises BigInteger and BigDecimal). For the
 * same reason a whole number keeps its text until something needs it as a BigDecimal.
 */
final class JsonValue implements Iterable<JsonValue> {
    enum Type { NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT, MISSING }

    static final JsonValue NULL = new JsonValue(Type.NULL, null);
    static final JsonValue MISSING = new JsonValue(Type.MISSING, null);
    static final JsonValue TRUE = new JsonValue(Type.BOOLEAN, Boolean.TRUE);
    static final JsonValue FALSE = new JsonValue(Type.BOOLEAN, Boolean.FALSE);

    private final Type type;
    private final Object value;  // Boolean, BigDecimal or Literal, String, List<JsonValue>, Map<String, JsonValue>

    /** A whole number as the daemon wrote it ({@code -?[1-9][0-9]*} or {@code 0}), converted only when needed. */
    private record Literal(String text) {
        BigDecimal decimal() { return new BigDecimal(text); }
    }

    private JsonValue(Type type, Object value) {
        this.type = type;
        this.value = value;
    }

    static JsonValue string(String s) { return new JsonValue(Type.STRING, s); }

    static JsonValue number(BigDecimal n) { return new JsonValue(Type.NUMBER, n); }

    /** The number's value (a whole number's text is converted now). */
    private BigDecimal decimal() { return value instanceof Literal l ? l.decimal() : (BigDecimal) value; }

    static JsonValue array(List<JsonValue> items) { return new JsonValue(Type.ARRAY, List.copyOf(items)); }

    static JsonValue object(Map<String, JsonValue> fields) {
        return new JsonValue(Type.OBJECT, Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
    }

    /** Parses one JSON document. */
    static JsonValue parse(String json) throws JsonSyntaxException { return read(json); }

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
            case NUMBER -> value instanceof Literal l ? l.text() : ((BigDecimal) value).toPlainString();
            case BOOLEAN -> value.toString();
            default -> "";
        };
    }

    /** A whole number (or a string holding one), else 0. */
    long asLong() {
        try {
            return switch (type) {
                case NUMBER -> value instanceof Literal l && l.text().length() <= 18 ? Long.parseLong(l.text()) : decimal().longValue();
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
    public boolean equals(Object o) {
        if (!(o instanceof JsonValue v) || v.type != type) return false;
        return type == Type.NUMBER ? v.decimal().equals(decimal()) : java.util.Objects.equals(v.value, value);
    }

    @Override
    public int hashCode() { return type.hashCode() * 31 + java.util.Objects.hashCode(type == Type.NUMBER ? decimal() : value); }

    private void write(StringBuilder b, int indent, int depth) {
        switch (type) {
            case NULL, MISSING -> b.append("null");
            case BOOLEAN -> b.append(value);
            case NUMBER -> b.append(value instanceof Literal l ? l.text() : value.toString());
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

    /** Appends {@code s} as a JSON string (escaped as jackson-core escapes). */
    static void quote(StringBuilder b, String s) { JsonText.quote(b, s); }

    private static final int MAX_DEPTH = 512;

    /** Not JSON; the message says where. */
    static final class JsonSyntaxException extends Exception {
        JsonSyntaxException(String message) { super(message); }
    }

    /** Reads one document into this small tree. */
    private static JsonValue read(String json) throws JsonSyntaxException {
        try {
            JsonValue v = StrictJsonReader.read(json, MAX_DEPTH, TREE);
            if (v == null) throw new JsonSyntaxException("empty document");
            return v;
        } catch (StrictJsonReader.Malformed e) {
            throw new JsonSyntaxException(e.getMessage());
        }
    }

    private static final StrictJsonReader.Builder<JsonValue> TREE = new StrictJsonReader.Builder<>() {
        @Override public Object startObject() { return new LinkedHashMap<String, JsonValue>(); }

        @SuppressWarnings("unchecked")
        @Override public boolean has(Object object, String name) { return ((Map<String, JsonValue>) object).containsKey(name); }

        @SuppressWarnings("unchecked")
        @Override public void put(Object object, String name, JsonValue value) { ((Map<String, JsonValue>) object).put(name, value); }

        @SuppressWarnings("unchecked")
        @Override public JsonValue endObject(Object object) {
            return new JsonValue(Type.OBJECT, Collections.unmodifiableMap((Map<String, JsonValue>) object));
        }

        @Override public Object startArray() { return new java.util.ArrayList<JsonValue>(); }

        @SuppressWarnings("unchecked")
        @Override public void add(Object array, JsonValue value) { ((List<JsonValue>) array).add(value); }

        @SuppressWarnings("unchecked")
        @Override public JsonValue endArray(Object array) { return new JsonValue(Type.ARRAY, Collections.unmodifiableList((List<JsonValue>) array)); }

        @Override public JsonValue string(String s) { return JsonValue.string(s); }

        @Override public JsonValue number(String literal, boolean integral) {
            // "-0" reads as 0, as a BigDecimal would have it
            return integral && !literal.equals("-0") ? new JsonValue(Type.NUMBER, new Literal(literal)) : JsonValue.number(new BigDecimal(literal));
        }

        @Override public JsonValue bool(boolean b) { return b ? TRUE : FALSE; }

        @Override public JsonValue nul() { return NULL; }
    };
}
