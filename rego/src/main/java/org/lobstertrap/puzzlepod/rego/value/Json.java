package org.lobstertrap.puzzlepod.rego.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON text ⇄ {@link Value}, numbers exact. Output follows OPA's JSON form: sets become arrays in
 * sorted order, object keys are sorted, a non-string key is written as its JSON text.
 */
public final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(100_000)
                    .maxNumberLength(100_000).maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private Json() {}

    /** Parses JSON text; throws IllegalArgumentException with the parser's message on bad input. */
    public static Value parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new IllegalArgumentException("empty JSON input");
            Value v = read(p, t);
            if (p.nextToken() != null) throw new IllegalArgumentException("trailing data after JSON value");
            return v;
        } catch (IOException e) {
            throw new IllegalArgumentException(cleanMessage(e), e);
        }
    }

    private static String cleanMessage(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException jp ? jp.getOriginalMessage() : e.getMessage();
    }

    // Iterative for containers would avoid deep recursion; JSON inputs here are bounded by the caller's
    // thread stack (the engine evaluates on threads with a large stack).
    private static Value read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectValue.Builder b = ObjectValue.builder();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String key = p.currentName();
                    b.put(StringValue.of(key), read(p, p.nextToken()));
                }
                return b.build();
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) items.add(read(p, n));
                return ArrayValue.of(items);
            }
            case VALUE_STRING -> { return StringValue.of(p.getText()); }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> { return NumberValue.parse(p.getText()); }
            case VALUE_TRUE -> { return BooleanValue.TRUE; }
            case VALUE_FALSE -> { return BooleanValue.FALSE; }
            case VALUE_NULL -> { return NullValue.INSTANCE; }
            default -> throw new IllegalArgumentException("unexpected JSON token " + t);
        }
    }

    /** Compact JSON text. */
    public static String write(Value v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    public static void write(Value v, StringBuilder sb) {
        switch (v) {
            case NullValue n -> sb.append("null");
            case BooleanValue b -> sb.append(b.value());
            case NumberValue n -> sb.append(n);
            case StringValue s -> quote(s.value(), sb);
            case ArrayValue a -> {
                sb.append('[');
                for (int i = 0; i < a.size(); i++) { if (i > 0) sb.append(','); write(a.get(i), sb); }
                sb.append(']');
            }
            case SetValue s -> {
                sb.append('[');
                boolean first = true;
                for (Value e : s.sortedElements()) { if (!first) sb.append(','); first = false; write(e, sb); }
                sb.append(']');
            }
            case ObjectValue o -> {
                sb.append('{');
                boolean first = true;
                for (Value k : o.sortedKeys()) {
                    if (!first) sb.append(',');
                    first = false;
                    if (k instanceof StringValue ks) quote(ks.value(), sb); else quote(write(k), sb);
                    sb.append(':');
                    write(o.get(k), sb);
                }
                sb.append('}');
            }
        }
    }

    /** Appends s as a JSON string literal (escaping like Go's encoding/json, minus HTML escaping). */
    public static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /**
     * Converts plain Java values (null, Boolean, Number, String, Map, List/Collection, Value) to a Value.
     * Integers become exact numbers; doubles go through their shortest decimal text.
     */
    public static Value fromJava(Object o) {
        if (o == null) return NullValue.INSTANCE;
        if (o instanceof Value v) return v;
        if (o instanceof Boolean b) return BooleanValue.of(b);
        if (o instanceof String s) return StringValue.of(s);
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte)
            return NumberValue.of(((Number) o).longValue());
        if (o instanceof BigInteger bi) return NumberValue.of(bi);
        if (o instanceof BigDecimal bd) return NumberValue.of(bd);
        if (o instanceof Number n) return NumberValue.of(n.doubleValue());
        if (o instanceof Map<?, ?> m) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<?, ?> e : m.entrySet()) b.put(fromJava(e.getKey()), fromJava(e.getValue()));
            return b.build();
        }
        if (o instanceof java.util.Set<?> s) {
            SetValue.Builder b = SetValue.builder();
            for (Object e : s) b.add(fromJava(e));
            return b.build();
        }
        if (o instanceof Iterable<?> it) {
            List<Value> items = new ArrayList<>();
            for (Object e : it) items.add(fromJava(e));
            return ArrayValue.of(items);
        }
        throw new IllegalArgumentException("cannot convert " + o.getClass().getName() + " to a Rego value");
    }

    /**
     * Converts a Value to plain Java: null, Boolean, BigDecimal/Long, String, List (arrays and sets, sets
     * sorted), LinkedHashMap with String keys in sorted order (non-string keys as their JSON text).
     */
    public static Object toJava(Value v) {
        return switch (v) {
            case NullValue n -> null;
            case BooleanValue b -> b.value();
            case NumberValue n -> n.isLong() ? (Object) n.longValue() : n.bigDecimal();
            case StringValue s -> s.value();
            case ArrayValue a -> { List<Object> l = new ArrayList<>(a.size()); for (Value e : a.asList()) l.add(toJava(e)); yield l; }
            case SetValue s -> { List<Object> l = new ArrayList<>(s.size()); for (Value e : s.sortedElements()) l.add(toJava(e)); yield l; }
            case ObjectValue o -> {
                java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
                for (Value k : o.sortedKeys()) m.put(k instanceof StringValue s ? s.value() : write(k), toJava(o.get(k)));
                yield m;
            }
        };
    }
}
