package org.lobstertrap.puzzlepod.podman;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as puzzled sends it (RFC 8259): null, boolean, number, string, array or object (fields in
 * their order). Reading a missing field gives {@link #MISSING} rather than null, so paths can be chained.
 * Parsing and string escaping are Jackson's (jackson-core's streaming API, without the data-binding layer,
 * whose start-up cost every run would pay).
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

    /** Appends {@code s} as a JSON string (escaping by Jackson). */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        ENCODER.quoteAsString(s, b);
        b.append('"');
    }

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(512).build())
            .build();

    /** Not JSON; the message says where. */
    static final class JsonSyntaxException extends Exception {
        JsonSyntaxException(String message) { super(message); }
    }

    /**
     * Reads one document with Jackson's streaming parser (jackson-core only: the data-binding layer's
     * start-up cost stays out of every run) into this small tree.
     */
    private static JsonValue read(String json) throws JsonSyntaxException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) throw new JsonSyntaxException("empty document");
            JsonValue v = value(p);
            if (p.nextToken() != null) throw new JsonSyntaxException("text after the document at " + where(p));
            return v;
        } catch (JsonProcessingException e) {
            throw new JsonSyntaxException(e.getOriginalMessage() + " at " + where(e));
        } catch (IOException e) {
            throw new JsonSyntaxException(e.getMessage());
        }
    }

    private static JsonValue value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_NULL -> NULL;
            case VALUE_TRUE -> TRUE;
            case VALUE_FALSE -> FALSE;
            case VALUE_STRING -> string(p.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(p.getDecimalValue());
            case START_ARRAY -> {
                List<JsonValue> items = new java.util.ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) items.add(value(p));
                yield array(items);
            }
            case START_OBJECT -> {
                Map<String, JsonValue> fields = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    fields.put(name, value(p));
                }
                yield object(fields);
            }
            default -> throw new JsonParseException(p, "unexpected " + t);
        };
    }

    private static String where(JsonParser p) {
        return "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr();
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
