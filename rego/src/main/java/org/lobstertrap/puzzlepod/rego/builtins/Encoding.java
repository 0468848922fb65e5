package org.lobstertrap.puzzlepod.rego.builtins;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Text encodings: base64 (standard and URL alphabets), hex and URL query escaping. Decoders follow Go's
 * rules and error texts ("illegal base64 data at input byte N", "invalid byte: U+0067 'g'",
 * {@code invalid URL escape "%zz"}), since policies and their tests match on them.
 */
final class Encoding {
    private Encoding() {}

    private static final String STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    static void register(BuiltinRegistry r) {
        r.register("base64.encode", 1, (ctx, a) -> StringValue.of(encode(bytes(Args.string("base64.encode", a, 0)), STD, true)));
        r.register("base64.decode", 1, (ctx, a) -> {
            try {
                return StringValue.of(text(decode(bytes(Args.string("base64.decode", a, 0)), STD, true)));
            } catch (IllegalArgumentException e) {
                throw RegoException.builtin("base64.decode", e.getMessage());
            }
        });
        r.register("base64.is_valid", 1, (ctx, a) -> {
            try {
                decode(bytes(Args.string("base64.is_valid", a, 0)), STD, true);
                return BooleanValue.TRUE;
            } catch (IllegalArgumentException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("base64url.encode", 1, (ctx, a) -> StringValue.of(encode(bytes(Args.string("base64url.encode", a, 0)), URL, true)));
        r.register("base64url.encode_no_pad", 1, (ctx, a) ->
                StringValue.of(encode(bytes(Args.string("base64url.encode_no_pad", a, 0)), URL, false)));
        r.register("base64url.decode", 1, (ctx, a) -> {
            String s = Args.string("base64url.decode", a, 0);
            // Unpadded input is accepted by restoring the padding (RFC 7515, appendix C).
            if (!s.endsWith("=")) {
                switch (s.length() % 4) {
                    case 0 -> { }
                    case 2 -> s += "==";
                    case 3 -> s += "=";
                    default -> throw RegoException.builtin("base64url.decode", "illegal base64url string: " + s);
                }
            }
            try {
                return StringValue.of(text(decode(bytes(s), URL, true)));
            } catch (IllegalArgumentException e) {
                throw RegoException.builtin("base64url.decode", e.getMessage());
            }
        });
        r.register("hex.encode", 1, (ctx, a) -> StringValue.of(hex(bytes(Args.string("hex.encode", a, 0)))));
        r.register("hex.decode", 1, (ctx, a) -> {
            try {
                return StringValue.of(text(unhex(bytes(Args.string("hex.decode", a, 0)))));
            } catch (IllegalArgumentException e) {
                throw RegoException.builtin("hex.decode", e.getMessage());
            }
        });
        r.register("urlquery.encode", 1, (ctx, a) -> StringValue.of(queryEscape(Args.string("urlquery.encode", a, 0))));
        r.register("urlquery.decode", 1, (ctx, a) -> {
            try {
                return StringValue.of(queryUnescape(Args.string("urlquery.decode", a, 0)));
            } catch (IllegalArgumentException e) {
                throw RegoException.builtin("urlquery.decode", e.getMessage());
            }
        });
        r.register("urlquery.encode_object", 1, (ctx, a) -> StringValue.of(encodeObject(Args.object("urlquery.encode_object", a, 0))));
        r.register("urlquery.decode_object", 1, (ctx, a) -> {
            try {
                return decodeObject(Args.string("urlquery.decode_object", a, 0));
            } catch (IllegalArgumentException e) {
                throw RegoException.builtin("urlquery.decode_object", e.getMessage());
            }
        });
    }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    static String text(byte[] b) { return new String(b, StandardCharsets.UTF_8); }

    static String encode(byte[] in, String alphabet, boolean pad) {
        StringBuilder sb = new StringBuilder((in.length + 2) / 3 * 4);
        int i = 0;
        for (; i + 3 <= in.length; i += 3) {
            int v = (in[i] & 0xff) << 16 | (in[i + 1] & 0xff) << 8 | (in[i + 2] & 0xff);
            sb.append(alphabet.charAt(v >> 18)).append(alphabet.charAt((v >> 12) & 63))
              .append(alphabet.charAt((v >> 6) & 63)).append(alphabet.charAt(v & 63));
        }
        int rest = in.length - i;
        if (rest > 0) {
            int v = (in[i] & 0xff) << 16 | (rest == 2 ? (in[i + 1] & 0xff) << 8 : 0);
            sb.append(alphabet.charAt(v >> 18)).append(alphabet.charAt((v >> 12) & 63));
            if (rest == 2) sb.append(alphabet.charAt((v >> 6) & 63));
            if (pad) sb.append(rest == 2 ? "=" : "==");
        }
        return sb.toString();
    }

    /**
     * Go's base64 decoding (non-strict): CR and LF are skipped anywhere, padding is required when
     * {@code padded}, and errors name the offending input byte offset exactly as Go does.
     */
    static byte[] decode(byte[] src, String alphabet, boolean padded) {
        byte[] map = alphabet == STD ? STD_MAP : alphabet == URL ? URL_MAP : decodeMap(alphabet);
        byte[] out = new byte[src.length / 4 * 3 + 3];
        int n = 0, si = 0;
        while (si < src.length) {
            int acc = 0, dlen = 4;
            boolean end = false;
            for (int j = 0; j < 4; j++) {
                if (si == src.length) {
                    if (j == 0) return java.util.Arrays.copyOf(out, n);
                    if (j == 1 || padded) throw illegal(si - j);
                    dlen = j;
                    acc <<= 6 * (4 - j);
                    end = true;
                    break;
                }
                int in = src[si] & 0xff;
                si++;
                int o = map[in];
                if (o >= 0) { acc = acc << 6 | o; continue; }
                if (in == '\n' || in == '\r') { j--; continue; }
                if (in != '=' || !padded) throw illegal(si - 1);
                // Padding: only after two or three symbols, "==" after two.
                if (j == 0 || j == 1) throw illegal(si - 1);
                if (j == 2) {
                    while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
                    if (si == src.length) throw illegal(src.length);
                    if (src[si] != '=') throw illegal(si - 1);
                    si++;
                }
                while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
                if (si < src.length) throw illegal(si);
                dlen = j;
                acc <<= 6 * (4 - j);
                end = true;
                break;
            }
            if (dlen >= 2) out[n++] = (byte) (acc >> 16);
            if (dlen >= 3) out[n++] = (byte) (acc >> 8);
            if (dlen >= 4) out[n++] = (byte) acc;
            if (end) break;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static final byte[] STD_MAP = decodeMap(STD), URL_MAP = decodeMap(URL);

    private static byte[] decodeMap(String alphabet) {
        byte[] map = new byte[256];
        java.util.Arrays.fill(map, (byte) -1);
        for (int i = 0; i < alphabet.length(); i++) map[alphabet.charAt(i)] = (byte) i;
        return map;
    }

    private static IllegalArgumentException illegal(int offset) {
        return new IllegalArgumentException("illegal base64 data at input byte " + offset);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String hex(byte[] b) {
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = HEX[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[b[i] & 0xf];
        }
        return new String(out);
    }

    private static int nibble(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    static byte[] unhex(byte[] src) {
        byte[] out = new byte[src.length / 2];
        int j = 1;
        for (; j < src.length; j += 2) {
            int a = nibble(src[j - 1] & 0xff), b = nibble(src[j] & 0xff);
            if (a < 0) throw invalidByte(src[j - 1]);
            if (b < 0) throw invalidByte(src[j]);
            out[j / 2] = (byte) (a << 4 | b);
        }
        if (src.length % 2 == 1) {
            if (nibble(src[j - 1] & 0xff) < 0) throw invalidByte(src[j - 1]);
            throw new IllegalArgumentException("encoding/hex: odd length hex string");
        }
        return out;
    }

    /** Go's {@code %#U} of the byte taken as a code point: U+0067 'g'. */
    private static IllegalArgumentException invalidByte(byte b) {
        int c = b & 0xff;
        String u = String.format("U+%04X", c);
        boolean printable = (c >= 0x20 && c < 0x7f) || (c >= 0xa1 && c != 0xad);
        if (!printable) return new IllegalArgumentException("encoding/hex: invalid byte: " + u);
        return new IllegalArgumentException("encoding/hex: invalid byte: " + u + " '" + (char) c + "'");
    }

    private static boolean unreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '~';
    }

    /** Go's url.QueryEscape: space becomes '+', everything but unreserved characters is %XX. */
    static String queryEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes(s)) {
            int c = b & 0xff;
            if (unreserved(c)) sb.append((char) c);
            else if (c == ' ') sb.append('+');
            else sb.append('%').append(Character.toUpperCase(HEX[c >> 4])).append(Character.toUpperCase(HEX[c & 0xf]));
        }
        return sb.toString();
    }

    /** Go's url.QueryUnescape. */
    static String queryUnescape(String s) {
        byte[] in = bytes(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int c = in[i] & 0xff;
            if (c == '%') {
                if (i + 2 >= in.length || nibble(in[i + 1] & 0xff) < 0 || nibble(in[i + 2] & 0xff) < 0) {
                    String bad = text(java.util.Arrays.copyOfRange(in, i, Math.min(in.length, i + 3)));
                    StringBuilder q = new StringBuilder();
                    org.lobstertrap.puzzlepod.rego.value.Json.quote(bad, q);
                    throw new IllegalArgumentException("invalid URL escape " + q);
                }
                out.write(nibble(in[i + 1] & 0xff) << 4 | nibble(in[i + 2] & 0xff));
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                out.write(c);
            }
        }
        return text(out.toByteArray());
    }

    private static String encodeObject(ObjectValue obj) throws RegoException {
        String fn = "urlquery.encode_object";
        StringBuilder sb = new StringBuilder();
        for (Value k : obj.sortedKeys()) {
            if (!(k instanceof StringValue ks))
                throw RegoException.typeError(fn, "operand 1 must be object[string: string|array[string]|set[string]] but got object with " + k.typeName() + " key");
            List<Value> values = switch (obj.get(k)) {
                case StringValue s -> List.of(s);
                case ArrayValue arr -> arr.asList();
                case SetValue set -> List.of(set.sortedElements());
                default -> throw RegoException.typeError(fn, "operand 1 values must be one of {string, array, set} but got " + obj.get(k).typeName());
            };
            for (Value v : values) {
                if (!(v instanceof StringValue vs))
                    throw RegoException.typeError(fn, "operand 1 array and set values must be strings but got " + v.typeName());
                if (!sb.isEmpty()) sb.append('&');
                sb.append(queryEscape(ks.value())).append('=').append(queryEscape(vs.value()));
            }
        }
        return sb.toString();
    }

    /** Go's url.ParseQuery: '&'-separated pairs, a bare key has the empty value, ';' is rejected. */
    private static ObjectValue decodeObject(String query) {
        Map<String, List<Value>> out = new LinkedHashMap<>();
        for (String part : query.split("&", -1)) {
            if (part.isEmpty()) continue;
            if (part.indexOf(';') >= 0) throw new IllegalArgumentException("invalid semicolon separator in query");
            int eq = part.indexOf('=');
            String key = queryUnescape(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : queryUnescape(part.substring(eq + 1));
            out.computeIfAbsent(key, x -> new ArrayList<>()).add(StringValue.of(value));
        }
        ObjectValue.Builder b = ObjectValue.builder();
        out.forEach((k, v) -> b.put(k, ArrayValue.of(v)));
        return b.build();
    }
}
