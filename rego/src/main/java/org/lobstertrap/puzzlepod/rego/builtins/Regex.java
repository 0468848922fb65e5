package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Regular-expression builtins over Go RE2 syntax (translated by {@link Re2Translator}). Match
 * iteration, splitting and replacement reproduce Go's {@code regexp} rules for empty matches and
 * {@code $1}/{@code ${name}} templates. Compiled patterns are cached. Java's engine backtracks where
 * RE2 does not, so every match runs on a {@link BudgetedText} that checks the query's budget and
 * stops pathological patterns after a fixed number of steps.
 */
final class Regex {
    private Regex() {}

    /** A compiled pattern with its group names (for replacement templates). */
    record Compiled(Pattern pattern, int groups, Map<String, Integer> names) {}

    private static final BoundedCache<String, Object> CACHE = new BoundedCache<>(1024);

    static void register(BuiltinRegistry r) {
        r.register("regex.is_valid", 1, (c, a) -> {
            if (!(a[0] instanceof StringValue s)) return BooleanValue.FALSE;
            try {
                compile("regex.is_valid", s.value());
                return BooleanValue.TRUE;
            } catch (RegoException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("regex.match", 2, (c, a) -> match(c, "regex.match", a));
        r.register("re_match", 2, (c, a) -> match(c, "re_match", a));
        r.register("regex.split", 2, Regex::split);
        r.register("regex.find_n", 3, Regex::findN);
        r.register("regex.find_all_string_submatch_n", 3, Regex::findAllSubmatch);
        r.register("regex.replace", 3, Regex::replace);
        r.register("regex.template_match", 4, Regex::templateMatch);
        r.register("regex.globs_match", 2, (c, a) -> BooleanValue.of(GlobIntersection.intersects(
                Args.string("regex.globs_match", a, 0), Args.string("regex.globs_match", a, 1))));
    }

    /** Compiles (or fetches) an RE2 pattern; a bad pattern is an {@code eval_builtin_error} with Go's text. */
    static Compiled compile(String fn, String re) throws RegoException {
        Object cached = CACHE.get(re);
        if (cached instanceof Compiled c) return c;
        if (cached instanceof String error) throw RegoException.builtin(fn, error);
        try {
            Re2Translator.Result t = Re2Translator.translate(re);
            Compiled c = new Compiled(Pattern.compile(t.javaPattern()), t.groups(), t.names());
            CACHE.put(re, c);
            return c;
        } catch (Re2Translator.SyntaxError e) {
            CACHE.put(re, e.getMessage());
            throw RegoException.builtin(fn, e.getMessage());
        } catch (PatternSyntaxException | StackOverflowError e) {
            String error = "error parsing regexp: unsupported expression: `" + re + "`";
            CACHE.put(re, error);
            throw RegoException.builtin(fn, error);
        }
    }

    private static Value match(BuiltinContext ctx, String fn, Value[] a) throws RegoException {
        Compiled re = compile(fn, Args.string(fn, a, 0));
        String text = Args.string(fn, a, 1);
        BudgetedText in = new BudgetedText(text, ctx, fn);
        return BooleanValue.of(in.run(() -> re.pattern().matcher(in).find()));
    }

    // --- Go's match iteration ----------------------------------------------------------------------

    /**
     * All matches as group offset arrays, Go's {@code allMatches}: after an empty match the search moves
     * one rune on, and an empty match right where the previous match ended is dropped.
     */
    static List<int[]> allMatches(BuiltinContext ctx, String fn, Compiled re, String s, long n) throws RegoException {
        BudgetedText in = new BudgetedText(s, ctx, fn);
        return in.run(() -> {
            List<int[]> out = new ArrayList<>();
            Matcher m = re.pattern().matcher(in);
            int end = s.length();
            int pos = 0, prevMatchEnd = -1;
            while ((n < 0 || out.size() < n) && pos <= end) {
                if (!m.find(pos)) break;
                boolean accept = true;
                if (m.end() == pos) {
                    if (m.start() == prevMatchEnd) accept = false;
                    pos += pos < end ? Character.charCount(s.codePointAt(pos)) : 1;
                } else {
                    pos = m.end();
                }
                prevMatchEnd = m.end();
                if (accept) out.add(groups(m));
            }
            return out;
        });
    }

    private static int[] groups(Matcher m) {
        int[] g = new int[2 * (m.groupCount() + 1)];
        for (int i = 0; i <= m.groupCount(); i++) { g[2 * i] = m.start(i); g[2 * i + 1] = m.end(i); }
        return g;
    }

    private static Value split(BuiltinContext ctx, Value[] a) throws RegoException {
        Compiled re = compile("regex.split", Args.string("regex.split", a, 0));
        String s = Args.string("regex.split", a, 1);
        List<Value> parts = new ArrayList<>();
        if (s.isEmpty()) {
            // Go: a non-empty pattern splits "" into [""]; the empty pattern yields no parts.
            if (!Args.string("regex.split", a, 0).isEmpty()) parts.add(StringValue.EMPTY);
            return ArrayValue.of(parts);
        }
        int beg = 0, end = 0;
        for (int[] m : allMatches(ctx, "regex.split", re, s, -1)) {
            end = m[0];
            if (m[1] != 0) parts.add(StringValue.of(s.substring(beg, end)));
            beg = m[1];
        }
        if (end != s.length()) parts.add(StringValue.of(s.substring(beg)));
        return ArrayValue.of(parts);
    }

    private static Value findN(BuiltinContext ctx, Value[] a) throws RegoException {
        Compiled re = compile("regex.find_n", Args.string("regex.find_n", a, 0));
        String s = Args.string("regex.find_n", a, 1);
        long n = IntegerOperands.longValue("regex.find_n", a, 2);
        List<Value> out = new ArrayList<>();
        if (n == 0) return ArrayValue.EMPTY;
        for (int[] m : allMatches(ctx, "regex.find_n", re, s, n < 0 ? -1 : n)) out.add(StringValue.of(s.substring(m[0], m[1])));
        return ArrayValue.of(out);
    }

    private static Value findAllSubmatch(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "regex.find_all_string_submatch_n";
        Compiled re = compile(fn, Args.string(fn, a, 0));
        String s = Args.string(fn, a, 1);
        long n = IntegerOperands.longValue(fn, a, 2);
        if (n == 0) return ArrayValue.EMPTY;
        List<Value> out = new ArrayList<>();
        for (int[] m : allMatches(ctx, fn, re, s, n < 0 ? -1 : n)) {
            Value[] groups = new Value[m.length / 2];
            for (int i = 0; i < groups.length; i++)
                groups[i] = m[2 * i] < 0 ? StringValue.EMPTY : StringValue.of(s.substring(m[2 * i], m[2 * i + 1]));
            out.add(ArrayValue.wrap(groups));
        }
        return ArrayValue.of(out);
    }

    // --- replace (Go's ReplaceAllString with template expansion) ------------------------------------

    private static Value replace(BuiltinContext ctx, Value[] a) throws RegoException {
        String s = Args.string("regex.replace", a, 0);
        Compiled re = compile("regex.replace", Args.string("regex.replace", a, 1));
        String template = Args.string("regex.replace", a, 2);
        BudgetedText in = new BudgetedText(s, ctx, "regex.replace");
        return StringValue.of(in.run(() -> {
            StringBuilder out = new StringBuilder(s.length());
            Matcher m = re.pattern().matcher(in);
            int end = s.length();
            int lastMatchEnd = 0, searchPos = 0;
            while (searchPos <= end) {
                if (!m.find(searchPos)) break;
                out.append(s, lastMatchEnd, m.start());
                // No replacement for an empty match right after another match (Go's rule).
                if (m.end() > lastMatchEnd || m.start() == 0) expand(out, template, s, groups(m), re.names());
                lastMatchEnd = m.end();
                int width = searchPos < end ? Character.charCount(s.codePointAt(searchPos)) : 0;
                if (searchPos + width > m.end()) searchPos += width;
                else if (searchPos + 1 > m.end()) searchPos++;
                else searchPos = m.end();
            }
            out.append(s, lastMatchEnd, end);
            return out.toString();
        }));
    }

    /** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; unknown groups expand to nothing. */
    static void expand(StringBuilder out, String template, String src, int[] match, Map<String, Integer> names) {
        int i = 0;
        while (i < template.length()) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) { out.append(template, i, template.length()); return; }
            out.append(template, i, dollar);
            i = dollar + 1;
            if (i < template.length() && template.charAt(i) == '$') { out.append('$'); i++; continue; }
            String name;
            boolean braced = i < template.length() && template.charAt(i) == '{';
            int j = braced ? i + 1 : i;
            int k = j;
            while (k < template.length() && isNameChar(template.charAt(k))) k++;
            if (k == j || (braced && (k >= template.length() || template.charAt(k) != '}'))) {
                out.append('$'); // malformed: the dollar is literal
                continue;
            }
            name = template.substring(j, k);
            i = braced ? k + 1 : k;
            int group = -1;
            if (name.chars().allMatch(Character::isDigit)) {
                try { group = Integer.parseInt(name); } catch (NumberFormatException e) { group = -1; }
            } else if (names.containsKey(name)) {
                group = names.get(name);
            }
            if (group >= 0 && 2 * group + 1 < match.length && match[2 * group] >= 0)
                out.append(src, match[2 * group], match[2 * group + 1]);
        }
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    // --- template_match ---------------------------------------------------------------------------

    private static Value templateMatch(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "regex.template_match";
        String template = Args.string(fn, a, 0), s = Args.string(fn, a, 1);
        String open = Args.string(fn, a, 2), close = Args.string(fn, a, 3);
        if (open.length() != 1) throw RegoException.builtin(fn, "start delimiter has to be exactly one character long but is " + open.length() + " long");
        if (close.length() != 1) throw RegoException.builtin(fn, "end delimiter has to be exactly one character long but is " + close.length() + " long");
        Compiled re = compile(fn, templatePattern(fn, template, open.charAt(0), close.charAt(0)));
        BudgetedText in = new BudgetedText(s, ctx, fn);
        return BooleanValue.of(in.run(() -> re.pattern().matcher(in).find()));
    }

    /** "urn:{.*}:x" → "^urn:(.*):x$": literal text quoted, delimited parts taken as regexes. */
    static String templatePattern(String fn, String template, char open, char close) throws RegoException {
        List<Integer> idxs = new ArrayList<>();
        int level = 0, idx = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == open) {
                if (++level == 1) idx = i;
            } else if (c == close) {
                if (--level == 0) { idxs.add(idx); idxs.add(i + 1); }
                else if (level < 0) throw RegoException.builtin(fn, "unbalanced braces in " + GoQuote.quote(template));
            }
        }
        if (level != 0) throw RegoException.builtin(fn, "unbalanced braces in " + GoQuote.quote(template));
        StringBuilder p = new StringBuilder("^");
        int end = 0;
        for (int i = 0; i < idxs.size(); i += 2) {
            String raw = template.substring(end, idxs.get(i));
            end = idxs.get(i + 1);
            String part = template.substring(idxs.get(i) + 1, end - 1);
            compile(fn, "^" + part + "$"); // each part must be a valid expression on its own
            p.append(quoteMeta(raw)).append('(').append(part).append(')');
        }
        return p.append(quoteMeta(template.substring(end))).append('$').toString();
    }

    /** Go's regexp.QuoteMeta. */
    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }
}
