package org.lobstertrap.puzzlepod.client.json;

/**
 * JSON string literals, escaped exactly as jackson-core escapes them ({@code "} and {@code \}, control characters
 * as the short escapes or {@code \}{@code u00XX} with upper-case hex, everything else as is), for the tools whose
 * start-up every container start pays.
 */
public final class JsonText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {}

    /** Appends {@code s} in double quotes, escaped. */
    public static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            b.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return b.append(s, run, s.length()).append('"');
    }
}
