package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates Go RE2 syntax (Perl flavour, as Go's {@code regexp.Compile} reads it) into an equivalent
 * java.util.regex pattern, rejecting what RE2 rejects. The output never relies on Java's own meaning
 * of a literal: every non-alphanumeric literal is written as {@code \x{…}}, and {@code .}, {@code ^},
 * {@code $}, {@code \s} are spelled out, so Java's line-terminator and flag rules never apply.
 * <ul>
 * <li>{@code .} excludes only {@code \n} (all with {@code (?s)}); {@code ^}/{@code $} are text
 *     anchors, line anchors under {@code (?m)} (including after a final newline);</li>
 * <li>{@code (?U)} swaps greedy and lazy; {@code (?i)} is Unicode case folding;</li>
 * <li>{@code (?P<name>…)} and {@code (?<name>…)} become numbered groups (names kept here);</li>
 * <li>{@code [[:alpha:]]} POSIX classes, {@code \pL}, {@code \p{Greek}}, {@code \p{^Greek}},
 *     octal and {@code \x{…}} escapes, {@code \Q…\E};</li>
 * <li>backreferences, lookaround, atomic groups, possessive quantifiers, {@code \Z} and unknown escapes
 *     are errors, as in RE2; repeat counts above 1000 are errors.</li>
 * </ul>
 */
final class Re2Translator {
    /** The translated pattern: Java source, capture group count and named groups (name → index). */
    record Result(String javaPattern, int groups, Map<String, Integer> names) {}

    /** A syntax error with Go's wording ({@code error parsing regexp: …}). */
    static final class SyntaxError extends Exception {
        SyntaxError(String code, String expr) { super("error parsing regexp: " + code + ": `" + expr + "`"); }
    }

    private static final int MAX_REPEAT = 1000;
    private static final int MAX_DEPTH = 1000;
    private static final String SPACE = "\\t\\n\\f\\r\\x{20}";
    private static final Set<String> CATEGORIES = Set.of("C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt",
            "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S",
            "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs");
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\x{0}-\\x{7f}"),
            Map.entry("blank", "\\t\\x{20}"), Map.entry("cntrl", "\\x{0}-\\x{1f}\\x{7f}"), Map.entry("digit", "0-9"),
            Map.entry("graph", "\\x{21}-\\x{7e}"), Map.entry("lower", "a-z"), Map.entry("print", "\\x{20}-\\x{7e}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\t\\n\\x{b}\\f\\r\\x{20}"), Map.entry("upper", "A-Z"),
            Map.entry("word", "0-9A-Za-z_"), Map.entry("xdigit", "0-9A-Fa-f"));

    private final String re;
    private int pos;
    private int groups;
    private int depth;
    private final Map<String, Integer> names = new HashMap<>();
    /** Flags in scope: m (multi-line), s (dot matches newline), U (ungreedy). {@code i} is left to Java. */
    private final Deque<int[]> flagStack = new ArrayDeque<>();
    private boolean multiLine, dotNl, ungreedy;

    private Re2Translator(String re) { this.re = re; }

    static Result translate(String re) throws SyntaxError {
        Re2Translator t = new Re2Translator(re);
        StringBuilder out = new StringBuilder(re.length() * 2);
        t.alternation(out);
        if (t.pos < re.length()) throw new SyntaxError("unexpected )", re);
        return new Result(out.toString(), t.groups, Map.copyOf(t.names));
    }

    private boolean more() { return pos < re.length(); }
    private int peek() { return re.codePointAt(pos); }
    private int next() { int c = re.codePointAt(pos); pos += Character.charCount(c); return c; }

    private void alternation(StringBuilder out) throws SyntaxError {
        if (++depth > MAX_DEPTH) throw new SyntaxError("expression nests too deeply", re);
        concat(out);
        while (more() && peek() == '|') {
            pos++;
            out.append('|');
            concat(out);
        }
        depth--;
    }

    private void concat(StringBuilder out) throws SyntaxError {
        while (more()) {
            int c = peek();
            if (c == '|' || c == ')') return;
            int atomStart = pos;
            StringBuilder atom = new StringBuilder();
            if (!atom(atom)) { out.append(atom); continue; } // flag group: nothing to repeat
            boolean repeated = false;
            while (more()) {
                int before = pos;
                String quant = quantifier();
                if (quant == null) break;
                if (repeated) throw new SyntaxError("invalid nested repetition operator", re.substring(atomStart, pos));
                repeated = true;
                if (atom.length() == 0) throw new SyntaxError("missing argument to repetition operator", re.substring(before, pos));
                atom.append(quant);
            }
            out.append(atom);
        }
    }

    /** Parses a quantifier at pos (with its lazy marker), or returns null and leaves pos alone. */
    private String quantifier() throws SyntaxError {
        int start = pos;
        int c = peek();
        String q;
        if (c == '*' || c == '+' || c == '?') {
            pos++;
            q = String.valueOf((char) c);
        } else if (c == '{') {
            int[] mm = repeatBounds();
            if (mm == null) return null;
            if (mm[0] > MAX_REPEAT || mm[1] > MAX_REPEAT || (mm[1] >= 0 && mm[0] > mm[1]))
                throw new SyntaxError("invalid repeat count", re.substring(start, pos));
            q = "{" + mm[0] + (mm[1] == -2 ? "" : mm[1] == -1 ? "," : "," + mm[1]) + "}";
        } else {
            return null;
        }
        boolean lazy = false;
        if (more() && peek() == '?') { pos++; lazy = true; }
        if (ungreedy) lazy = !lazy;
        return lazy ? q + "?" : q;
    }

    /** {n}, {n,}, {n,m} at pos: returns {min, max} (max -1 for unbounded, -2 for exact) or null (a literal '{'). */
    private int[] repeatBounds() {
        int i = pos + 1;
        int[] min = number(i);
        if (min == null) return null;
        i = min[1];
        int max;
        if (i < re.length() && re.charAt(i) == ',') {
            i++;
            if (i < re.length() && re.charAt(i) == '}') max = -1;
            else {
                int[] m = number(i);
                if (m == null) return null;
                max = m[0];
                i = m[1];
            }
        } else {
            max = -2;
        }
        if (i >= re.length() || re.charAt(i) != '}') return null;
        pos = i + 1;
        return new int[] {min[0], max == -2 ? -2 : max};
    }

    private int[] number(int i) {
        int start = i;
        long v = 0;
        while (i < re.length() && re.charAt(i) >= '0' && re.charAt(i) <= '9') {
            v = Math.min(v * 10 + (re.charAt(i) - '0'), 100_000);
            i++;
        }
        if (i == start) return null;
        if (i - start > 1 && re.charAt(start) == '0') return null; // Go rejects leading zeros
        return new int[] {(int) v, i};
    }

    /** Parses one atom into out. Returns false for a flag-only group (which cannot be repeated). */
    private boolean atom(StringBuilder out) throws SyntaxError {
        int start = pos;
        int c = next();
        switch (c) {
            case '(' -> { return group(out, start); }
            case '[' -> charClass(out, start);
            case '.' -> out.append(dotNl ? "(?s:.)" : "[^\\n]");
            case '^' -> out.append(multiLine ? "(?:\\A|(?<=\\n))" : "(?:\\A)");
            case '$' -> out.append(multiLine ? "(?:\\z|(?=\\n))" : "(?:\\z)");
            case '\\' -> escape(out, start);
            case '*', '+', '?' -> throw new SyntaxError("missing argument to repetition operator", String.valueOf((char) c));
            case '{' -> {
                pos = start;
                if (repeatBounds() != null) throw new SyntaxError("missing argument to repetition operator", re.substring(start, pos));
                pos = start + 1;
                literal('{', out);
            }
            default -> literal(c, out);
        }
        return true;
    }

    private boolean group(StringBuilder out, int start) throws SyntaxError {
        String name = null;
        if (more() && peek() == '?') {
            if (re.startsWith("?P<", pos) || (re.startsWith("?<", pos) && !re.startsWith("?<=", pos) && !re.startsWith("?<!", pos))) {
                pos += re.startsWith("?P<", pos) ? 3 : 2;
                int end = re.indexOf('>', pos);
                if (end < 0) throw new SyntaxError("invalid named capture", re.substring(start));
                name = re.substring(pos, end);
                if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) && ch < 0x80 || ch == '_'))
                    throw new SyntaxError("invalid named capture", re.substring(start, end + 1));
                if (names.containsKey(name)) throw new SyntaxError("duplicate capture group name", re.substring(start, end + 1));
                pos = end + 1;
            } else {
                return flagGroup(out, start);
            }
        }
        groups++;
        if (name != null) names.put(name, groups);
        out.append('(');
        pushFlags();
        alternation(out);
        popFlags();
        if (!more() || peek() != ')') throw new SyntaxError("missing closing )", re.substring(start));
        pos++;
        out.append(')');
        return true;
    }

    /** (?flags) or (?flags:re). Java keeps the 'i' flag (with Unicode case); m, s and U are tracked here. */
    private boolean flagGroup(StringBuilder out, int start) throws SyntaxError {
        pos++; // '?'
        boolean negate = false, sawFlag = false;
        boolean m = multiLine, s = dotNl, u = ungreedy;
        Boolean caseFold = null;
        while (true) {
            if (!more()) throw new SyntaxError("missing closing )", re.substring(start));
            int c = next();
            switch (c) {
                case 'i' -> { caseFold = !negate; sawFlag = true; }
                case 'm' -> { m = !negate; sawFlag = true; }
                case 's' -> { s = !negate; sawFlag = true; }
                case 'U' -> { u = !negate; sawFlag = true; }
                case '-' -> {
                    if (negate) throw new SyntaxError("invalid or unsupported Perl syntax", re.substring(start - 1, pos));
                    negate = true;
                    sawFlag = false;
                }
                case ')', ':' -> {
                    if (negate && !sawFlag) throw new SyntaxError("invalid or unsupported Perl syntax", re.substring(start, pos));
                    // Java needs 'u' alongside 'i' for Unicode case folding, which is RE2's (?i).
                    String javaFlags = caseFold == null ? "" : caseFold ? "iu" : "-iu";
                    if (c == ')') {
                        multiLine = m; dotNl = s; ungreedy = u;
                        if (!javaFlags.isEmpty()) out.append("(?").append(javaFlags).append(')');
                        return false;
                    }
                    out.append("(?").append(javaFlags).append(':');
                    pushFlags();
                    multiLine = m; dotNl = s; ungreedy = u;
                    alternation(out);
                    popFlags();
                    if (!more() || peek() != ')') throw new SyntaxError("missing closing )", re.substring(start));
                    pos++;
                    out.append(')');
                    return true;
                }
                default -> throw new SyntaxError("invalid or unsupported Perl syntax", re.substring(start, pos));
            }
        }
    }

    private void pushFlags() { flagStack.push(new int[] {multiLine ? 1 : 0, dotNl ? 1 : 0, ungreedy ? 1 : 0}); }

    private void popFlags() {
        int[] f = flagStack.pop();
        multiLine = f[0] == 1; dotNl = f[1] == 1; ungreedy = f[2] == 1;
    }

    // --- escapes ----------------------------------------------------------------------------------

    private void escape(StringBuilder out, int start) throws SyntaxError {
        if (!more()) throw new SyntaxError("trailing backslash at end of expression", "");
        int c = peek();
        switch (c) {
            case 'A' -> { pos++; out.append("(?:\\A)"); }
            case 'z' -> { pos++; out.append("(?:\\z)"); }
            case 'b' -> { pos++; out.append("(?:\\b)"); }
            case 'B' -> { pos++; out.append("(?:\\B)"); }
            case 'd', 'D', 'w', 'W' -> { pos++; out.append('\\').append((char) c); }
            case 's' -> { pos++; out.append("[").append(SPACE).append("]"); }
            case 'S' -> { pos++; out.append("[^").append(SPACE).append("]"); }
            case 'p', 'P' -> { pos++; out.append('[').append(unicodeClass(c == 'P', start)).append(']'); }
            case 'C' -> { pos++; out.append("(?s:.)"); }
            case 'Q' -> {
                pos++;
                int end = re.indexOf("\\E", pos);
                String lit = end < 0 ? re.substring(pos) : re.substring(pos, end);
                pos = end < 0 ? re.length() : end + 2;
                // Each literal is its own atom; a following quantifier binds to the last one only.
                if (lit.isEmpty()) return;
                int last = lit.offsetByCodePoints(lit.length(), -1);
                if (last > 0) out.append("(?:");
                for (int i = 0; i < lit.length(); ) {
                    int cp = lit.codePointAt(i);
                    if (i == last && last > 0) out.append(')');
                    literal(cp, out);
                    i += Character.charCount(cp);
                }
            }
            default -> literal(escapedChar(start), out);
        }
    }

    /** A single-character escape (shared by classes): octal, hex, control letters, punctuation. */
    private int escapedChar(int start) throws SyntaxError {
        if (!more()) throw new SyntaxError("trailing backslash at end of expression", "");
        int c = next();
        switch (c) {
            case '1', '2', '3', '4', '5', '6', '7' -> {
                if (!more() || peek() < '0' || peek() > '7') throw new SyntaxError("invalid escape sequence", re.substring(start, pos));
                return octal(c);
            }
            case '0' -> { return octal(c); }
            case 'x' -> {
                if (!more()) throw new SyntaxError("invalid escape sequence", re.substring(start, pos));
                if (peek() == '{') {
                    int end = re.indexOf('}', pos);
                    if (end < 0 || end == pos + 1) throw new SyntaxError("invalid escape sequence", re.substring(start, Math.max(pos, end < 0 ? re.length() : end + 1)));
                    String hex = re.substring(pos + 1, end);
                    pos = end + 1;
                    if (!hex.chars().allMatch(Re2Translator::isHex) || hex.length() > 8) throw new SyntaxError("invalid escape sequence", re.substring(start, pos));
                    long v = Long.parseLong(hex, 16);
                    if (v > Character.MAX_CODE_POINT) throw new SyntaxError("invalid escape sequence", re.substring(start, pos));
                    return (int) v;
                }
                if (pos + 2 > re.length() || !isHex(re.charAt(pos)) || !isHex(re.charAt(pos + 1)))
                    throw new SyntaxError("invalid escape sequence", re.substring(start, Math.min(re.length(), pos + 2)));
                int v = Integer.parseInt(re.substring(pos, pos + 2), 16);
                pos += 2;
                return v;
            }
            case 'a' -> { return 7; }
            case 'f' -> { return '\f'; }
            case 't' -> { return '\t'; }
            case 'n' -> { return '\n'; }
            case 'r' -> { return '\r'; }
            case 'v' -> { return 0x0B; }
            default -> {
                if (c < 0x80 && !Character.isLetterOrDigit(c)) return c;
                throw new SyntaxError("invalid escape sequence", re.substring(start, pos));
            }
        }
    }

    private int octal(int first) {
        int v = first - '0';
        for (int n = 1; n < 3 && more() && peek() >= '0' && peek() <= '7'; n++) v = v * 8 + (next() - '0');
        return v;
    }

    private static boolean isHex(int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

    /** \pX, \p{Name}, \p{^Name} after the 'p'/'P': Java class items (without brackets). */
    private String unicodeClass(boolean negated, int start) throws SyntaxError {
        if (!more()) throw new SyntaxError("invalid character class range", re.substring(start));
        String name;
        if (peek() == '{') {
            int end = re.indexOf('}', pos);
            if (end < 0) throw new SyntaxError("invalid character class range", re.substring(start));
            name = re.substring(pos + 1, end);
            pos = end + 1;
        } else {
            name = new String(Character.toChars(next()));
        }
        if (name.startsWith("^")) { negated = !negated; name = name.substring(1); }
        String item;
        if (name.equals("Any")) {
            return negated ? "[^\\x{0}-\\x{10ffff}]" : "\\x{0}-\\x{10ffff}";
        } else if (CATEGORIES.contains(name)) {
            item = name;
        } else {
            try {
                Character.UnicodeScript.forName(name);
            } catch (IllegalArgumentException e) {
                throw new SyntaxError("invalid character class range", re.substring(start, pos));
            }
            item = "Is" + name;
        }
        return (negated ? "\\P{" : "\\p{") + item + "}";
    }

    // --- character classes ------------------------------------------------------------------------

    private void charClass(StringBuilder out, int start) throws SyntaxError {
        StringBuilder cls = new StringBuilder("[");
        if (more() && peek() == '^') { pos++; cls.append('^'); }
        boolean first = true;
        while (true) {
            if (!more()) throw new SyntaxError("missing closing ]", re.substring(start));
            int c = peek();
            if (c == ']' && !first) { pos++; break; }
            first = false;
            if (c == '[' && re.startsWith("[:", pos)) {
                int end = re.indexOf(":]", pos + 2);
                if (end >= 0) {
                    String name = re.substring(pos + 2, end);
                    boolean neg = name.startsWith("^");
                    String items = POSIX.get(neg ? name.substring(1) : name);
                    if (items == null) throw new SyntaxError("invalid character class range", re.substring(pos, end + 2));
                    pos = end + 2;
                    cls.append(neg ? "[^" + items + "]" : items);
                    continue;
                }
            }
            if (c == '\\' && pos + 1 < re.length()) {
                char e = re.charAt(pos + 1);
                int escStart = pos;
                switch (e) {
                    case 'd' -> { pos += 2; cls.append("0-9"); continue; }
                    case 'D' -> { pos += 2; cls.append("[^0-9]"); continue; }
                    case 'w' -> { pos += 2; cls.append("0-9A-Za-z_"); continue; }
                    case 'W' -> { pos += 2; cls.append("[^0-9A-Za-z_]"); continue; }
                    case 's' -> { pos += 2; cls.append(SPACE); continue; }
                    case 'S' -> { pos += 2; cls.append("[^").append(SPACE).append("]"); continue; }
                    case 'p', 'P' -> {
                        pos += 2;
                        cls.append(unicodeClass(e == 'P', escStart));
                        continue;
                    }
                    default -> {}
                }
            }
            int rangeStart = pos;
            int lo = classChar(start);
            int hi = lo;
            if (pos + 1 < re.length() && re.charAt(pos) == '-' && re.charAt(pos + 1) != ']') {
                pos++;
                hi = classChar(start);
                if (hi < lo) throw new SyntaxError("invalid character class range", re.substring(rangeStart, pos));
            }
            literal(lo, cls);
            if (hi != lo) { cls.append('-'); literal(hi, cls); }
        }
        out.append(cls).append(']');
    }

    private int classChar(int classStart) throws SyntaxError {
        if (!more()) throw new SyntaxError("missing closing ]", re.substring(classStart));
        if (peek() == '\\') {
            int start = pos;
            pos++;
            return escapedChar(start);
        }
        return next();
    }

    private static void literal(int cp, StringBuilder out) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) out.appendCodePoint(cp);
        else out.append("\\x{").append(Integer.toHexString(cp).toLowerCase(Locale.ROOT)).append('}');
    }
}
