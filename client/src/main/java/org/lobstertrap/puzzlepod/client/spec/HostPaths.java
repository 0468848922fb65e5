package org.lobstertrap.puzzlepod.client.spec;

import java.nio.charset.StandardCharsets;

/** The rules for host paths in a spec (absolute, at most 4096 bytes, no NUL, no empty, "." or ".." segments) and their relations. */
public final class HostPaths {
    private HostPaths() {}

    /** The longest path accepted, in UTF-8 bytes (PATH_MAX). */
    public static final int MAX_BYTES = 4096;

    /** What is wrong with {@code value} as a normalised absolute path, or null. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) return "it is empty";
        if (value.indexOf('\0') >= 0) return "it contains a NUL character";
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) return "it is longer than " + MAX_BYTES + " bytes";
        if (value.charAt(0) != '/') return "it is not an absolute path";
        String body = value.length() > 1 && value.endsWith("/") ? value.substring(1, value.length() - 1) : value.substring(1);
        if (body.isEmpty()) return null;
        for (String seg : body.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) return "it is not normalised (empty, \".\" or \"..\" segments)";
        }
        return null;
    }

    /** True when {@code a} and {@code b} are the same directory or one contains the other. */
    public static boolean overlap(String a, String b) {
        return a.equals(b) || contains(a, b) || contains(b, a);
    }

    /** True when {@code inner} lies strictly below {@code outer}. */
    public static boolean contains(String outer, String inner) {
        if (outer.equals("/")) return !inner.equals("/");
        return inner.length() > outer.length() && inner.startsWith(outer) && inner.charAt(outer.length()) == '/';
    }

    /** {@code p} without a trailing slash (except "/" itself). */
    public static String trimSlash(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The most characters of an untrusted value a message quotes. */
    public static final int MAX_ECHO = 200;

    /** {@code "value"} for a message: at most {@link #MAX_ECHO} characters, control characters, quotes and backslashes as {@code \\uXXXX}. */
    public static String quote(String value) {
        if (value == null) return "null";
        final int max = MAX_ECHO;
        StringBuilder b = new StringBuilder(Math.min(value.length(), max) + 8).append('"');
        int n = Math.min(value.length(), max);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        b.append('"');
        if (value.length() > max) b.append("… (").append(value.length()).append(" characters)");
        return b.toString();
    }
}
