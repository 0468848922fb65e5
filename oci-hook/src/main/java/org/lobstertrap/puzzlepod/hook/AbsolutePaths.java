package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;

/** The API's rules for paths (absolute, at most 4096 bytes, no NUL, no empty, "." or ".." segments) and path relations. */
final class AbsolutePaths {
    private AbsolutePaths() {}

    static final int MAX_BYTES = HostPaths.MAX_BYTES;

    /** {@code value} if it is a normalised absolute path (a trailing slash is dropped), else a {@code BAD_INPUT} error naming {@code what}. */
    static String require(String what, String value) throws HookException {
        String why = problem(value);
        if (why != null) throw new HookException(HookError.BAD_INPUT, what + " " + Texts.quote(value) + " is not usable: " + why);
        return value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    /** What is wrong with {@code value} as an absolute path, or null. */
    static String problem(String value) { return HostPaths.problem(value); }

    /** True when {@code a} and {@code b} are the same directory or one contains the other. */
    static boolean overlap(String a, String b) { return HostPaths.overlap(a, b); }

    /** True when {@code inner} lies strictly below {@code outer}. */
    static boolean contains(String outer, String inner) { return HostPaths.contains(outer, inner); }
}
