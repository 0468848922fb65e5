package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code glob.match(pattern, delimiters, text)} and {@code glob.quote_meta}. Syntax: {@code *} (any run
 * of non-delimiters), {@code **} (any run), {@code ?} (one non-delimiter), {@code [abc]}, {@code [a-z]},
 * {@code [!…]}, {@code {alt1,alt2}} (nestable) and {@code \} escapes. An empty delimiter list means
 * {@code ["."]}; {@code null} means no delimiters. Compiled globs are cached.
 */
final class Glob {
    private Glob() {}

    private static final BoundedCache<String, Pattern> CACHE = new BoundedCache<>(1024);
    private static final String META = "*?\\[]{}";

    static void register(BuiltinRegistry r) {
        r.register("glob.match", 3, Glob::match);
        r.register("glob.quote_meta", 1, (c, a) -> StringValue.of(quoteMeta(Args.string("glob.quote_meta", a, 0))));
    }

    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (META.indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    private static Value match(BuiltinContext ctx, Value[] a) throws RegoException {
        String pattern = Args.string("glob.match", a, 0);
        List<Integer> delimiters = new ArrayList<>();
        if (a[1] instanceof ArrayValue arr) {
            for (Value v : arr.asList()) {
                if (!(v instanceof StringValue s))
                    throw RegoException.typeError("glob.match", "operand 2 must be array of strings but got array containing " + v.typeName());
                if (s.value().codePointCount(0, s.value().length()) != 1)
                    throw RegoException.typeError("glob.match", "operand 2 must be array of runes but got array containing string");
                delimiters.add(s.value().codePointAt(0));
            }
            if (delimiters.isEmpty()) delimiters.add((int) '.');
        } else if (!(a[1] instanceof NullValue)) {
            throw Args.mismatch("glob.match", 1, "one of {array, null}", a[1]);
        }
        String text = Args.string("glob.match", a, 2);
        return BooleanValue.of(compile(pattern, delimiters).matcher(text).matches());
    }

    static Pattern compile(String glob, List<Integer> delimiters) throws RegoException {
        StringBuilder key = new StringBuilder(glob).append('\u0000');
        for (int d : delimiters) key.appendCodePoint(d);
        String id = key.toString();
        Pattern p = CACHE.get(id);
        if (p == null) {
            p = Pattern.compile(new Translator(glob, delimiters).translate(), Pattern.DOTALL);
            CACHE.put(id, p);
        }
        return p;
    }

    /** Glob syntax to a java.util.regex pattern (every literal escaped, so no regex meaning leaks in). */
    private static final class Translator {
        private final String glob;
        private final String notDelimiter;
        private int pos;

        Translator(String glob, List<Integer> delimiters) {
            this.glob = glob;
            if (delimiters.isEmpty()) notDelimiter = ".";
            else {
                StringBuilder sb = new StringBuilder("[^");
                for (int d : delimiters) literal(d, sb);
                notDelimiter = sb.append(']').toString();
            }
        }

        String translate() throws RegoException {
            StringBuilder out = new StringBuilder();
            sequence(out, false);
            if (pos < glob.length()) throw error("unexpected '" + glob.charAt(pos) + "'");
            return out.toString();
        }

        /** Parses until end of input, or (inside braces) until an unnested ',' or '}'. */
        private void sequence(StringBuilder out, boolean inTerms) throws RegoException {
            while (pos < glob.length()) {
                int c = glob.codePointAt(pos);
                if (inTerms && (c == ',' || c == '}')) return;
                pos += Character.charCount(c);
                switch (c) {
                    case '*' -> {
                        if (pos < glob.length() && glob.charAt(pos) == '*') {
                            while (pos < glob.length() && glob.charAt(pos) == '*') pos++;
                            out.append(".*");
                        } else {
                            out.append(notDelimiter).append('*');
                        }
                    }
                    case '?' -> out.append(notDelimiter);
                    case '[' -> charClass(out);
                    case '{' -> terms(out);
                    case '\\' -> {
                        if (pos >= glob.length()) throw error("unexpected end of input after escape");
                        int e = glob.codePointAt(pos);
                        pos += Character.charCount(e);
                        literal(e, out);
                    }
                    default -> literal(c, out);
                }
            }
        }

        private void terms(StringBuilder out) throws RegoException {
            out.append("(?:");
            while (true) {
                sequence(out, true);
                if (pos >= glob.length()) throw error("unexpected end of input: unclosed '{'");
                char c = glob.charAt(pos++);
                if (c == '}') break;
                out.append('|');
            }
            out.append(')');
        }

        private void charClass(StringBuilder out) throws RegoException {
            StringBuilder cls = new StringBuilder("[");
            if (pos < glob.length() && glob.charAt(pos) == '!') { cls.append('^'); pos++; }
            boolean any = false;
            while (true) {
                if (pos >= glob.length()) throw error("unexpected end of input: unclosed '['");
                int c = glob.codePointAt(pos);
                pos += Character.charCount(c);
                if (c == ']') break;
                if (c == '\\' && pos < glob.length()) { c = glob.codePointAt(pos); pos += Character.charCount(c); }
                any = true;
                if (pos + 1 < glob.length() && glob.charAt(pos) == '-' && glob.charAt(pos + 1) != ']') {
                    pos++;
                    int hi = glob.codePointAt(pos);
                    pos += Character.charCount(hi);
                    if (hi < c) throw error("invalid range " + new String(Character.toChars(c)) + "-" + new String(Character.toChars(hi)));
                    literal(c, cls);
                    cls.append('-');
                    literal(hi, cls);
                } else {
                    literal(c, cls);
                }
            }
            if (!any) throw error("empty character list");
            out.append(cls).append(']');
        }

        private static void literal(int cp, StringBuilder sb) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) sb.appendCodePoint(cp);
            else sb.append("\\x{").append(Integer.toHexString(cp)).append('}');
        }

        private RegoException error(String detail) {
            return RegoException.builtin("glob.match", detail + " in glob " + GoQuote.quote(glob));
        }
    }
}
