package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;

/** Quoting of untrusted values for messages: bounded length, control characters escaped. */
final class Texts {
    private Texts() {}

    static final int MAX_ECHO = HostPaths.MAX_ECHO;

    /** {@code "value"} with at most {@link #MAX_ECHO} characters and control characters as {@code \\uXXXX}. */
    static String quote(String value) { return HostPaths.quote(value); }
}
