package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;

/** The API's rules for paths ({@link HostPaths#problem}) as the hook's own error. */
final class AbsolutePaths {
    private AbsolutePaths() {}

    /** {@code value} if it is a normalised absolute path (a trailing slash is dropped), else a {@code BAD_INPUT} error naming {@code what}. */
    static String require(String what, String value) throws HookException {
        String why = HostPaths.problem(value);
        if (why != null) throw new HookException(HookError.BAD_INPUT, what + " " + HostPaths.quote(value) + " is not usable: " + why);
        return value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
