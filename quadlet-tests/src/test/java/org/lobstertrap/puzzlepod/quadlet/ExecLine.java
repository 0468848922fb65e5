package org.lobstertrap.puzzlepod.quadlet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@code ExecStart=} value turned into the argument vector systemd would execute: specifiers
 * ({@code %t}, {@code %N}, …) replaced, words split with systemd's quoting (double and single quotes,
 * C-style backslash escapes), {@code $$} unescaped, the executable's prefixes ({@code -@+!:}) dropped.
 * Only what Quadlet emits is supported; anything else is an error, so a test never runs a guessed command.
 */
record ExecLine(List<String> argv) {

    /** Parses a value with the given specifier values (without the {@code %}). */
    static ExecLine parse(String value, Map<Character, String> specifiers) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) { words.add(word.toString()); word = null; }
                i++;
            } else if ((c == '"' || c == '\'') && word == null) {
                word = new StringBuilder();
                int end = i + 1;
                while (true) {
                    if (end >= value.length()) throw new IllegalArgumentException("unterminated quote in: " + value);
                    char d = value.charAt(end);
                    if (d == c) break;
                    end = appendChar(value, end, word, specifiers);
                }
                i = end + 1;
                if (i < value.length() && !Character.isWhitespace(value.charAt(i))) {
                    throw new IllegalArgumentException("a quoted word must end at white space: " + value);
                }
                words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                i = appendChar(value, i, word, specifiers);
            }
        }
        if (word != null) words.add(word.toString());
        if (words.isEmpty()) throw new IllegalArgumentException("empty command line");
        String exe = words.getFirst();
        int prefix = 0;
        while (prefix < exe.length() && "-@+!:".indexOf(exe.charAt(prefix)) >= 0) prefix++;
        words.set(0, exe.substring(prefix));
        return new ExecLine(List.copyOf(words));
    }

    /** Appends the character at i (an escape, a specifier, {@code $$} or a plain character); returns the next index. */
    private static int appendChar(String value, int i, StringBuilder out, Map<Character, String> specifiers) {
        char c = value.charAt(i);
        if (c == '\\') {
            if (i + 1 >= value.length()) throw new IllegalArgumentException("trailing backslash in: " + value);
            char e = value.charAt(i + 1);
            switch (e) {
                case '\\', '"', '\'', ' ' -> out.append(e);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 's' -> out.append(' ');
                default -> throw new IllegalArgumentException("unsupported escape \\" + e + " in: " + value);
            }
            return i + 2;
        }
        if (c == '%') {
            if (i + 1 >= value.length()) throw new IllegalArgumentException("trailing % in: " + value);
            char s = value.charAt(i + 1);
            if (s == '%') {
                out.append('%');
            } else {
                String v = specifiers.get(s);
                if (v == null) throw new IllegalArgumentException("no value for specifier %" + s + " in: " + value);
                out.append(v);
            }
            return i + 2;
        }
        if (c == '$') {
            if (i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                return i + 2;
            }
            throw new IllegalArgumentException("environment expansion ($…) is not supported: " + value);
        }
        out.append(c);
        return i + 1;
    }
}
