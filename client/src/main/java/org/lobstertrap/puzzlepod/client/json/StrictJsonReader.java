package org.lobstertrap.puzzlepod.client.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A strict JSON (RFC 8259) reader that hands each value to a {@link Builder}, which makes the tree: duplicate
 * keys, trailing data, malformed UTF-8, control characters in strings, leading zeros and nesting deeper than
 * {@code maxDepth} are errors; numbers are passed on as their text. Written for the start-up of the tools every
 * container start runs: jackson-core's parser initialises BigInteger and BigDecimal (20–30 ms of CPU,
 * interpreted) and a dozen factories before it reads a byte.
 *
 * @param <T> the builder's value type
 */
public final class StrictJsonReader<T> {
    /** Makes the tree's values; objects and arrays are built up in place, then ended. */
    public interface Builder<T> {
        /** A new, empty object. */
        Object startObject();
        /** Whether {@code object} (from {@link #startObject}) has a field {@code name} already. */
        boolean has(Object object, String name);
        void put(Object object, String name, T value);
        T endObject(Object object);
        Object startArray();
        void add(Object array, T value);
        T endArray(Object array);
        T string(String s);
        /** A number, as its JSON text (e.g. {@code -12}, {@code 1.5e3}): grammar checked, not yet converted. */
        T number(String literal, boolean integral);
        T bool(boolean b);
        T nul();
    }

    /** What is wrong with the text, and where (a character offset). */
    public static final class Malformed extends Exception {
        public Malformed(String message, int offset) { super(message + " at character " + offset); }
    }

    private final String text;
    private final int maxDepth;
    private final Builder<T> nodes;
    private int pos;

    private StrictJsonReader(String text, int maxDepth, Builder<T> nodes) {
        this.text = text;
        this.maxDepth = maxDepth;
        this.nodes = nodes;
    }

    /** The one JSON value in {@code utf8}; null when it holds nothing but white space. */
    public static <T> T read(byte[] utf8, int maxDepth, Builder<T> nodes) throws Malformed {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new Malformed("invalid UTF-8", 0);
        }
        return read(text, maxDepth, nodes);
    }

    /** The one JSON value in {@code text}; null when it holds nothing but white space. */
    public static <T> T read(String text, int maxDepth, Builder<T> nodes) throws Malformed {
        StrictJsonReader<T> r = new StrictJsonReader<>(text, maxDepth, nodes);
        if (text.startsWith("\uFEFF")) r.pos = 1; // a byte order mark, as jackson-core accepts it
        r.skipSpace();
        if (r.pos == text.length()) return null;
        T value = r.value(0);
        r.skipSpace();
        if (r.pos != text.length()) throw new Malformed("data after the end of the value", r.pos);
        return value;
    }

    private T value(int depth) throws Malformed {
        if (pos >= text.length()) throw new Malformed("unexpected end of input", pos);
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> nodes.string(string());
            case 't' -> literal("true", nodes.bool(true));
            case 'f' -> literal("false", nodes.bool(false));
            case 'n' -> literal("null", nodes.nul());
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw new Malformed("unexpected character '" + printable(c) + "'", pos);
            }
        };
    }

    private T object(int depth) throws Malformed {
        if (depth > maxDepth) throw new Malformed("nesting deeper than the maximum depth of " + maxDepth, pos);
        Object o = nodes.startObject();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return nodes.endObject(o);
        }
        while (true) {
            skipSpace();
            if (peek() != '"') throw new Malformed("expected a field name in double quotes", pos);
            String name = string();
            if (nodes.has(o, name)) throw new Malformed("Duplicate field '" + name + "'", pos);
            skipSpace();
            expect(':');
            skipSpace();
            nodes.put(o, name, value(depth));
            skipSpace();
            char c = next("',' or '}'");
            if (c == '}') return nodes.endObject(o);
            if (c != ',') throw new Malformed("expected ',' or '}' after a field", pos - 1);
        }
    }

    private T array(int depth) throws Malformed {
        if (depth > maxDepth) throw new Malformed("nesting deeper than the maximum depth of " + maxDepth, pos);
        Object a = nodes.startArray();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return nodes.endArray(a);
        }
        while (true) {
            skipSpace();
            nodes.add(a, value(depth));
            skipSpace();
            char c = next("',' or ']'");
            if (c == ']') return nodes.endArray(a);
            if (c != ',') throw new Malformed("expected ',' or ']' after an element", pos - 1);
        }
    }

    private String string() throws Malformed {
        pos++; // the opening quote
        int start = pos;
        // the common case: no escapes
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') return text.substring(start, pos++);
            if (c == '\\' || c < 0x20) break;
            pos++;
        }
        StringBuilder b = new StringBuilder(text.length() - start > 64 ? 64 : 16).append(text, start, pos);
        while (true) {
            if (pos >= text.length()) throw new Malformed("unterminated string", start - 1);
            char c = text.charAt(pos++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw new Malformed("unescaped control character (code " + (int) c + ") in a string", pos - 1);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next("an escape");
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) throw new Malformed("incomplete \\u escape", pos - 2);
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(text.charAt(pos + i), 16);
                        if (d < 0) throw new Malformed("invalid \\u escape", pos - 2);
                        v = v * 16 + d;
                    }
                    pos += 4;
                    b.append((char) v);
                }
                default -> throw new Malformed("invalid escape '\\" + printable(e) + "'", pos - 2);
            }
        }
    }

    private T number() throws Malformed {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw new Malformed("leading zeros are not allowed in numbers", start);
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw new Malformed("expected a digit", pos);
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw new Malformed("expected a digit after the decimal point", pos);
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw new Malformed("expected a digit in the exponent", pos);
            while (isDigit(peek())) pos++;
        }
        return nodes.number(text.substring(start, pos), integral);
    }

    private T literal(String word, T node) throws Malformed {
        if (!text.startsWith(word, pos)) throw new Malformed("unrecognised token (expected " + word + ")", pos);
        pos += word.length();
        return node;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private char peek() { return pos < text.length() ? text.charAt(pos) : '\0'; }

    private char next(String expected) throws Malformed {
        if (pos >= text.length()) throw new Malformed("unexpected end of input (expected " + expected + ")", pos);
        return text.charAt(pos++);
    }

    private void expect(char c) throws Malformed {
        if (next("'" + c + "'") != c) throw new Malformed("expected '" + c + "'", pos - 1);
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static String printable(char c) { return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c); }
}
