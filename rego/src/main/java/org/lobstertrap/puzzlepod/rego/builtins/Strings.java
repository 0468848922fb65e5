package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * String builtins. Positions and lengths count Unicode code points (Go runes), never UTF-16 units;
 * splitting, replacing, trimming and counting follow Go's {@code strings} package, including its
 * empty-separator rules.
 */
final class Strings {
    private Strings() {}

    static void register(BuiltinRegistry r) {
        r.register("concat", 2, Strings::concat);
        r.register("contains", 2, (c, a) -> BooleanValue.of(
                Args.string("contains", a, 0).contains(Args.string("contains", a, 1))));
        r.register("startswith", 2, (c, a) -> BooleanValue.of(
                Args.string("startswith", a, 0).startsWith(Args.string("startswith", a, 1))));
        r.register("endswith", 2, (c, a) -> BooleanValue.of(
                Args.string("endswith", a, 0).endsWith(Args.string("endswith", a, 1))));
        r.register("format_int", 2, Strings::formatInt);
        r.register("indexof", 2, Strings::indexOf);
        r.register("indexof_n", 2, Strings::indexOfN);
        r.register("lower", 1, (c, a) -> StringValue.of(mapCodePoints(Args.string("lower", a, 0), true)));
        r.register("upper", 1, (c, a) -> StringValue.of(mapCodePoints(Args.string("upper", a, 0), false)));
        r.register("replace", 3, (c, a) -> StringValue.of(replaceAll(
                Args.string("replace", a, 0), Args.string("replace", a, 1), Args.string("replace", a, 2))));
        r.register("split", 2, Strings::split);
        r.register("substring", 3, Strings::substring);
        r.register("trim", 2, (c, a) -> StringValue.of(trimCutset(Args.string("trim", a, 0), Args.string("trim", a, 1), true, true)));
        r.register("trim_left", 2, (c, a) -> StringValue.of(trimCutset(Args.string("trim_left", a, 0), Args.string("trim_left", a, 1), true, false)));
        r.register("trim_right", 2, (c, a) -> StringValue.of(trimCutset(Args.string("trim_right", a, 0), Args.string("trim_right", a, 1), false, true)));
        r.register("trim_prefix", 2, (c, a) -> {
            String s = Args.string("trim_prefix", a, 0), p = Args.string("trim_prefix", a, 1);
            return s.startsWith(p) ? StringValue.of(s.substring(p.length())) : a[0];
        });
        r.register("trim_suffix", 2, (c, a) -> {
            String s = Args.string("trim_suffix", a, 0), p = Args.string("trim_suffix", a, 1);
            return s.endsWith(p) ? StringValue.of(s.substring(0, s.length() - p.length())) : a[0];
        });
        r.register("trim_space", 1, (c, a) -> StringValue.of(trimSpace(Args.string("trim_space", a, 0))));
        r.register("strings.replace_n", 2, Strings::replaceN);
        r.register("strings.reverse", 1, (c, a) -> StringValue.of(reverse(Args.string("strings.reverse", a, 0))));
        r.register("strings.any_prefix_match", 2, (c, a) -> anyMatch("strings.any_prefix_match", a, true));
        r.register("strings.any_suffix_match", 2, (c, a) -> anyMatch("strings.any_suffix_match", a, false));
        r.register("strings.count", 2, (c, a) -> NumberValue.of(count(
                Args.string("strings.count", a, 0), Args.string("strings.count", a, 1))));
    }

    // --- concat ---------------------------------------------------------------------------------

    private static Value concat(BuiltinContext ctx, Value[] a) throws RegoException {
        String delim = Args.string("concat", a, 0);
        List<String> parts = stringElements("concat", a, 1, "one of {set, array}");
        return StringValue.of(String.join(delim, parts));
    }

    /**
     * The strings in an array or set operand (sets in sorted order). {@code want} is the wording for a
     * non-collection operand.
     */
    static List<String> stringElements(String fn, Value[] a, int i, String want) throws RegoException {
        Iterable<Value> items;
        String kind;
        if (a[i] instanceof ArrayValue arr) { items = arr.asList(); kind = "array"; }
        else if (a[i] instanceof SetValue set) { items = set; kind = "set"; }
        else throw Args.mismatch(fn, i, want, a[i]);
        List<String> out = new ArrayList<>();
        for (Value v : items) {
            if (!(v instanceof StringValue s))
                throw RegoException.typeError(fn, "operand " + (i + 1) + " must be " + kind + " of strings but got "
                        + kind + " containing " + v.typeName());
            out.add(s.value());
        }
        return out;
    }

    // --- format_int -----------------------------------------------------------------------------

    private static Value formatInt(BuiltinContext ctx, Value[] a) throws RegoException {
        NumberValue n = Args.number("format_int", a, 0);
        NumberValue baseValue = Args.number("format_int", a, 1);
        BigInteger base = baseValue.bigIntegerOrNull();
        if (base == null) throw IntegerOperands.notInteger("format_int", 1);
        int radix = base.bitLength() < 8 ? base.intValue() : 0;
        if (radix != 2 && radix != 8 && radix != 10 && radix != 16)
            throw RegoException.typeError("format_int", "operand 2 must be one of {2, 8, 10, 16}");
        // OPA truncates the number toward zero before formatting.
        BigInteger whole = n.bigDecimal().setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        return StringValue.of(whole.toString(radix));
    }

    // --- indexof / indexof_n / substring ----------------------------------------------------------

    private static Value indexOf(BuiltinContext ctx, Value[] a) throws RegoException {
        String base = Args.string("indexof", a, 0), search = Args.string("indexof", a, 1);
        if (search.isEmpty()) throw RegoException.builtin("indexof", "empty search character");
        int at = base.indexOf(search);
        return NumberValue.of(at < 0 ? -1 : base.codePointCount(0, at));
    }

    private static Value indexOfN(BuiltinContext ctx, Value[] a) throws RegoException {
        String base = Args.string("indexof_n", a, 0), search = Args.string("indexof_n", a, 1);
        if (search.isEmpty()) throw RegoException.builtin("indexof_n", "empty search character");
        List<Value> found = new ArrayList<>();
        int runes = 0, last = 0;
        // Overlapping matches count, as OPA tests every rune position.
        for (int at = base.indexOf(search); at >= 0; at = base.indexOf(search, at + Character.charCount(base.codePointAt(at)))) {
            runes += base.codePointCount(last, at);
            last = at;
            found.add(NumberValue.of(runes));
            ctx.checkBudget();
        }
        return ArrayValue.of(found);
    }

    private static Value substring(BuiltinContext ctx, Value[] a) throws RegoException {
        String s = Args.string("substring", a, 0);
        long offset = IntegerOperands.longValue("substring", a, 1);
        long length = IntegerOperands.longValue("substring", a, 2);
        if (offset < 0) throw RegoException.builtin("substring", "negative offset");
        int runes = s.codePointCount(0, s.length());
        if (offset >= runes) return StringValue.EMPTY;
        int start = s.offsetByCodePoints(0, (int) offset);
        if (length < 0 || offset + length >= runes) return StringValue.of(s.substring(start));
        return StringValue.of(s.substring(start, s.offsetByCodePoints(start, (int) length)));
    }

    // --- case mapping (Go's per-rune simple mapping, no locale or multi-char expansions) ----------

    static String mapCodePoints(String s, boolean lower) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(lower ? Character.toLowerCase(cp) : Character.toUpperCase(cp)));
        return sb.toString();
    }

    // --- split / replace (Go's strings.Split / strings.ReplaceAll) --------------------------------

    private static Value split(BuiltinContext ctx, Value[] a) throws RegoException {
        String s = Args.string("split", a, 0), sep = Args.string("split", a, 1);
        List<Value> parts = new ArrayList<>();
        if (sep.isEmpty()) {
            // Go splits into single runes.
            for (int i = 0; i < s.length(); ) {
                int n = Character.charCount(s.codePointAt(i));
                parts.add(StringValue.of(s.substring(i, i + n)));
                i += n;
            }
            return ArrayValue.of(parts);
        }
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            parts.add(StringValue.of(s.substring(from, at)));
            from = at + sep.length();
        }
        parts.add(StringValue.of(s.substring(from)));
        return ArrayValue.of(parts);
    }

    static String replaceAll(String s, String old, String replacement) {
        if (!old.isEmpty()) return s.replace(old, replacement);
        // Go inserts the replacement before every rune and at the end.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); ) {
            int n = Character.charCount(s.codePointAt(i));
            sb.append(replacement).append(s, i, i + n);
            i += n;
        }
        return sb.append(replacement).toString();
    }

    // --- trim family ------------------------------------------------------------------------------

    static String trimCutset(String s, String cutset, boolean left, boolean right) {
        if (s.isEmpty() || cutset.isEmpty()) return s;
        int start = 0, end = s.length();
        if (left) {
            while (start < end) {
                int cp = s.codePointAt(start);
                if (cutset.indexOf(cp) < 0) break;
                start += Character.charCount(cp);
            }
        }
        if (right) {
            while (end > start) {
                int cp = s.codePointBefore(end);
                if (cutset.indexOf(cp) < 0) break;
                end -= Character.charCount(cp);
            }
        }
        return s.substring(start, end);
    }

    /** Go's {@code unicode.IsSpace}: the Unicode White_Space property. */
    static boolean isGoSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    static String trimSpace(String s) {
        int start = 0, end = s.length();
        while (start < end && isGoSpace(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
        while (end > start && isGoSpace(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
        return s.substring(start, end);
    }

    // --- strings.replace_n (Go's strings.NewReplacer with the pattern keys in sorted order) -------

    private static Value replaceN(BuiltinContext ctx, Value[] a) throws RegoException {
        ObjectValue patterns = Args.object("strings.replace_n", a, 0);
        String s = Args.string("strings.replace_n", a, 1);
        String[] olds = new String[patterns.size()], news = new String[patterns.size()];
        int k = 0;
        for (Value key : patterns.sortedKeys()) {
            if (!(key instanceof StringValue ks))
                throw RegoException.typeError("strings.replace_n", "operand 1 non-string key found in pattern object");
            if (!(patterns.get(key) instanceof StringValue vs))
                throw RegoException.typeError("strings.replace_n", "operand 1 non-string value found in pattern object");
            olds[k] = ks.value();
            news[k++] = vs.value();
        }
        return StringValue.of(replaceMany(s, olds, news));
    }

    /**
     * Replaces left to right without overlaps; at each position the first matching pattern (in the
     * given order) wins, like Go's generic Replacer. An empty pattern matches before every rune.
     */
    static String replaceMany(String s, String[] olds, String[] news) {
        if (olds.length == 0) return s;
        StringBuilder sb = new StringBuilder(s.length());
        int i = 0;
        boolean emptyMatchedHere = false;
        while (i <= s.length()) {
            int hit = -1;
            for (int p = 0; p < olds.length; p++) {
                if (olds[p].isEmpty() ? !emptyMatchedHere : s.startsWith(olds[p], i)) { hit = p; break; }
            }
            if (hit >= 0 && !olds[hit].isEmpty()) {
                sb.append(news[hit]);
                i += olds[hit].length();
                emptyMatchedHere = false;
                continue;
            }
            if (hit >= 0) {
                sb.append(news[hit]);
                emptyMatchedHere = true;
            }
            if (i == s.length()) break;
            int n = Character.charCount(s.codePointAt(i));
            sb.append(s, i, i + n);
            i += n;
            emptyMatchedHere = false;
        }
        return sb.toString();
    }

    // --- reverse / count / any_*_match ---------------------------------------------------------

    static String reverse(String s) {
        int[] cps = s.codePoints().toArray();
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = cps.length - 1; i >= 0; i--) sb.appendCodePoint(cps[i]);
        return sb.toString();
    }

    static long count(String s, String sub) {
        if (sub.isEmpty()) return s.codePointCount(0, s.length()) + 1L;
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) n++;
        return n;
    }

    private static Value anyMatch(String fn, Value[] a, boolean prefix) throws RegoException {
        List<String> strings = stringOrCollection(fn, a, 0);
        List<String> affixes = stringOrCollection(fn, a, 1);
        for (String s : strings) {
            for (String x : affixes) {
                if (prefix ? s.startsWith(x) : s.endsWith(x)) return BooleanValue.TRUE;
            }
        }
        return BooleanValue.FALSE;
    }

    private static List<String> stringOrCollection(String fn, Value[] a, int i) throws RegoException {
        if (a[i] instanceof StringValue s) return Arrays.asList(s.value());
        return stringElements(fn, a, i, "one of {string, set, array}");
    }
}
