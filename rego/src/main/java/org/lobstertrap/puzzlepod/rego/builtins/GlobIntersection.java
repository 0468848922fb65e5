package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;

/**
 * {@code regex.globs_match(a, b)}: whether two simplified regular expressions can match a common
 * string. The language: literals, {@code .} (any character), {@code [..]} sets with ranges (and
 * {@code [^..]}), {@code \} escapes, each optionally followed by {@code *}, {@code +} or {@code ?}.
 * Decided by a breadth-first walk over the product of both patterns' automata (linear in their sizes'
 * product), not by enumerating strings.
 */
final class GlobIntersection {
    private GlobIntersection() {}

    private static final int MAX_RUNE = Character.MAX_CODE_POINT;

    /** A set of code points as sorted, disjoint, inclusive ranges {lo, hi, lo, hi, …}. */
    private record CharSet(int[] ranges) {
        static CharSet any() { return new CharSet(new int[] {0, MAX_RUNE}); }
        static CharSet of(int c) { return new CharSet(new int[] {c, c}); }

        boolean intersects(CharSet o) {
            int i = 0, j = 0;
            while (i < ranges.length && j < o.ranges.length) {
                if (ranges[i + 1] < o.ranges[j]) i += 2;
                else if (o.ranges[j + 1] < ranges[i]) j += 2;
                else return true;
            }
            return false;
        }

        static CharSet normalise(List<int[]> items, boolean negated) {
            items.sort((a, b) -> Integer.compare(a[0], b[0]));
            List<int[]> merged = new ArrayList<>();
            for (int[] r : items) {
                if (!merged.isEmpty() && r[0] <= merged.getLast()[1] + 1) merged.getLast()[1] = Math.max(merged.getLast()[1], r[1]);
                else merged.add(new int[] {r[0], r[1]});
            }
            List<Integer> out = new ArrayList<>();
            if (!negated) {
                for (int[] r : merged) { out.add(r[0]); out.add(r[1]); }
            } else {
                int next = 0;
                for (int[] r : merged) {
                    if (r[0] > next) { out.add(next); out.add(r[0] - 1); }
                    next = r[1] + 1;
                }
                if (next <= MAX_RUNE) { out.add(next); out.add(MAX_RUNE); }
            }
            return new CharSet(out.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** One token: a character set and how often it may repeat ('1', '*', '?'). */
    private record Token(CharSet set, char flag) {}

    static boolean intersects(String a, String b) throws RegoException {
        List<Token> x = parse(a), y = parse(b);
        int w = y.size() + 1;
        boolean[] seen = new boolean[(x.size() + 1) * w];
        Deque<int[]> queue = new ArrayDeque<>();
        enqueue(0, 0, x, y, seen, queue, w);
        while (!queue.isEmpty()) {
            int[] s = queue.poll();
            int i = s[0], j = s[1];
            if (i == x.size() && j == y.size()) return true;
            if (i == x.size() || j == y.size()) continue;
            Token ti = x.get(i), tj = y.get(j);
            if (!ti.set().intersects(tj.set())) continue;
            enqueue(ti.flag() == '*' ? i : i + 1, tj.flag() == '*' ? j : j + 1, x, y, seen, queue, w);
        }
        return false;
    }

    /** Adds a state and everything reachable from it without consuming (skipping '*' and '?' tokens). */
    private static void enqueue(int i, int j, List<Token> x, List<Token> y, boolean[] seen, Deque<int[]> queue, int w) {
        Deque<int[]> work = new ArrayDeque<>();
        work.push(new int[] {i, j});
        while (!work.isEmpty()) {
            int[] s = work.pop();
            if (seen[s[0] * w + s[1]]) continue;
            seen[s[0] * w + s[1]] = true;
            queue.add(s);
            if (s[0] < x.size() && x.get(s[0]).flag() != '1') work.push(new int[] {s[0] + 1, s[1]});
            if (s[1] < y.size() && y.get(s[1]).flag() != '1') work.push(new int[] {s[0], s[1] + 1});
        }
    }

    private static List<Token> parse(String p) throws RegoException {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            int c = p.codePointAt(i);
            i += Character.charCount(c);
            CharSet set;
            switch (c) {
                case '.' -> set = CharSet.any();
                case '\\' -> {
                    if (i >= p.length()) throw invalid(p, i, "escape '\\' at end of input");
                    int e = p.codePointAt(i);
                    i += Character.charCount(e);
                    set = CharSet.of(e);
                }
                case ']' -> throw invalid(p, i, "set-close ']' with no preceding '['");
                case '*', '+', '?' -> throw invalid(p, i, "flag '" + (char) c + "' with no preceding token");
                case '[' -> {
                    boolean negated = i < p.length() && p.charAt(i) == '^';
                    if (negated) i++;
                    List<int[]> items = new ArrayList<>();
                    boolean closed = false;
                    while (i < p.length()) {
                        int d = p.codePointAt(i);
                        i += Character.charCount(d);
                        if (d == ']') { closed = true; break; }
                        if (d == '[') throw invalid(p, i, "set-open '[' inside a set");
                        if (d == '\\') {
                            if (i >= p.length()) throw invalid(p, i, "escape '\\' at end of input");
                            d = p.codePointAt(i);
                            i += Character.charCount(d);
                        }
                        int hi = d;
                        if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                            i++;
                            hi = p.codePointAt(i);
                            i += Character.charCount(hi);
                            if (hi == '\\' && i < p.length()) { hi = p.codePointAt(i); i += Character.charCount(hi); }
                            if (hi < d) throw invalid(p, i, "range end before range start");
                        }
                        items.add(new int[] {d, hi});
                    }
                    if (!closed) throw invalid(p, i, "set-open '[' with no closing ']'");
                    if (items.isEmpty()) throw invalid(p, i, "empty set");
                    set = CharSet.normalise(items, negated);
                }
                default -> set = CharSet.of(c);
            }
            char flag = '1';
            if (i < p.length() && "*+?".indexOf(p.charAt(i)) >= 0) flag = p.charAt(i++);
            if (flag == '+') {
                tokens.add(new Token(set, '1'));
                tokens.add(new Token(set, '*'));
            } else {
                tokens.add(new Token(set, flag));
            }
        }
        return tokens;
    }

    private static RegoException invalid(String input, int pos, String detail) {
        return RegoException.builtin("regex.globs_match",
                "input:" + input + ", pos:" + pos + ", " + detail + ": the input provided is invalid");
    }
}
