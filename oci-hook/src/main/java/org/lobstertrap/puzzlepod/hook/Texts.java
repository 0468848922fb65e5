package org.lobstertrap.puzzlepod.hook;

/** Quoting of untrusted values for messages: bounded length, control characters escaped. */
final class Texts {
    private Texts() {}

    static final int MAX_ECHO = 200;

    /** {@code "value"} with at most {@link #MAX_ECHO} characters and control characters as {@code \\uXXXX}. */
    static String quote(String value) {
        if (value == null) return "null";
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_ECHO) + 8).append('"');
        int n = Math.min(value.length(), MAX_ECHO);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
        if (value.length() > MAX_ECHO) b.append("… (").append(value.length()).append(" characters)");
        return b.toString();
    }
}
