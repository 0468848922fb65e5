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
 * JSON text exactly as OPA's {@code json.marshal} prints it (Go's encoding/json): keys sorted, sets as
 * sorted arrays, {@code <}, {@code >}, {@code &}, U+2028 and U+2029 escaped, optional indentation in the
 * layout of Go's {@code MarshalIndent}.
 */
final class JsonMarshal {
    private JsonMarshal() {}

    /** Compact when {@code indent} is null; otherwise one element per line, each line after the first prefixed. */
    static String write(Value v, String prefix, String indent) {
        StringBuilder sb = new StringBuilder();
        write(v, sb, prefix, indent, 0);
        return sb.toString();
    }

    private static void newline(StringBuilder sb, String prefix, String indent, int depth) {
        sb.append('\n').append(prefix);
        for (int i = 0; i < depth; i++) sb.append(indent);
    }

    private static void write(Value v, StringBuilder sb, String prefix, String indent, int depth) {
        switch (v) {
            case NullValue n -> sb.append("null");
            case BooleanValue b -> sb.append(b.value());
            case NumberValue n -> sb.append(n);
            case StringValue s -> quote(s.value(), sb);
            case ArrayValue a -> writeArray(a.asList().toArray(new Value[0]), sb, prefix, indent, depth);
            case SetValue s -> writeArray(s.sortedElements(), sb, prefix, indent, depth);
            case ObjectValue o -> {
                Value[] keys = o.sortedKeys();
                if (keys.length == 0) { sb.append("{}"); return; }
                sb.append('{');
                for (int i = 0; i < keys.length; i++) {
                    if (i > 0) sb.append(',');
                    if (indent != null) newline(sb, prefix, indent, depth + 1);
                    quote(keys[i] instanceof StringValue ks ? ks.value() : Json.write(keys[i]), sb);
                    sb.append(indent != null ? ": " : ":");
                    write(o.get(keys[i]), sb, prefix, indent, depth + 1);
                }
                if (indent != null) newline(sb, prefix, indent, depth);
                sb.append('}');
            }
        }
    }

    private static void writeArray(Value[] items, StringBuilder sb, String prefix, String indent, int depth) {
        if (items.length == 0) { sb.append("[]"); return; }
        sb.append('[');
        for (int i = 0; i < items.length; i++) {
            if (i > 0) sb.append(',');
            if (indent != null) newline(sb, prefix, indent, depth + 1);
            write(items[i], sb, prefix, indent, depth + 1);
        }
        if (indent != null) newline(sb, prefix, indent, depth);
        sb.append(']');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

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
                default -> {
                    if (c == '\u2028' || c == '\u2029') {
                        sb.append(c == '\u2028' ? "\\u2028" : "\\u2029");
                    } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        sb.append("\\u00").append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else if (Character.isSurrogate(c)) {
                        // A lone surrogate is not valid UTF-8: Go writes the replacement character.
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            sb.append("\\ufffd");
                        }
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Compact JSON text, as Go's json.Marshal writes it (used where signatures and hashes cover JSON). */
    static String write(Value v) { return write(v, "", null); }

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
