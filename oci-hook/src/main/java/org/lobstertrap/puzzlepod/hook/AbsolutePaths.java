package org.lobstertrap.puzzlepod.hook;

import java.nio.charset.StandardCharsets;

/** The API's rules for paths (absolute, at most 4096 bytes, no NUL, no empty, "." or ".." segments) and path relations. */
final class AbsolutePaths {
    private AbsolutePaths() {}

    static final int MAX_BYTES = 4096;

    /** {@code value} if it is a normalised absolute path (a trailing slash is dropped), else a {@code BAD_INPUT} error naming {@code what}. */
    static String require(String what, String value) throws HookException {
        String why = problem(value);
        if (why != null) throw new HookException(HookError.BAD_INPUT, what + " " + Texts.quote(value) + " is not usable: " + why);
        return value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** What is wrong with {@code value} as an absolute path, or null. */
    static String problem(String value) {
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
    static boolean overlap(String a, String b) {
        return a.equals(b) || contains(a, b) || contains(b, a);
    }

    /** True when {@code inner} lies strictly below {@code outer}. */
    static boolean contains(String outer, String inner) {
        if (outer.equals("/")) return !inner.equals("/");
        return inner.length() > outer.length() && inner.startsWith(outer) && inner.charAt(outer.length()) == '/';
    }
}
