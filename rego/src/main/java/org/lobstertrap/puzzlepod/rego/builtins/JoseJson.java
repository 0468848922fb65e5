package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * JSON text the way Go's encoding/json writes it (sorted keys, compact, {@code <>&} escaped as
 * {@code \u003c} …) — signatures and hashes over JSON must match OPA byte for byte — and Go's wording
 * for unparsable JSON ("unexpected end of JSON input", "invalid character 'x' …").
 */
final class JoseJson {
    private JoseJson() {}

    static String write(Value v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(Value v, StringBuilder sb) {
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
                // Go sorts map keys by their final string form
                java.util.TreeMap<String, Value> sorted = new java.util.TreeMap<>(StringValue::compareCodePoints);
                for (Value k : o.sortedKeys()) sorted.put(k instanceof StringValue ks ? ks.value() : Json.write(k), o.get(k));
                sb.append('{');
                boolean first = true;
                for (var e : sorted.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    quote(e.getKey(), sb);
                    sb.append(':');
                    write(e.getValue(), sb);
                }
                sb.append('}');
            }
        }
    }

    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Parses JSON; failures carry Go's message. */
    static Value parse(String text) throws IllegalArgumentException {
        if (text.isBlank()) throw new IllegalArgumentException("unexpected end of JSON input");
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException jp) {
                String m = jp.getOriginalMessage();
                if (m != null && m.startsWith("Unexpected end-of-input")) throw new IllegalArgumentException("unexpected end of JSON input");
                var loc = jp.getLocation();
                long off = loc == null ? -1 : loc.getCharOffset();
                if (off >= 0 && off < text.length()) {
                    // Jackson points at or just past the offending character
                    int i = (int) Math.max(0, Math.min(off, text.length() - 1));
                    char c = text.charAt(i);
                    if (Character.isWhitespace(c) && i > 0) c = text.charAt(i - 1);
                    throw new IllegalArgumentException("invalid character '" + c + "' in JSON input");
                }
                throw new IllegalArgumentException("invalid character in JSON input: " + m);
            }
            throw new IllegalArgumentException("invalid character in JSON input: " + e.getMessage());
        }
    }

    static boolean valid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
