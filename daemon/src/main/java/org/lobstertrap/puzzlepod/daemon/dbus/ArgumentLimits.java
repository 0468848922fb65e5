package org.lobstertrap.puzzlepod.daemon.dbus;

import org.lobstertrap.puzzlepod.daemon.api.ApiException;

/**
 * The size limits of {@code client/API.md}, checked on the transport before a call reaches the service,
 * so that an oversized argument costs one length check and is never parsed. Shapes (id syntax, JSON
 * validity, path normalisation) stay the service's job; messages never echo the argument.
 */
public final class ArgumentLimits {
    /** Branch ids: {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,63}}. */
    public static final int MAX_ID_CHARS = 64;
    /** Profile names: {@code [a-z0-9][a-z0-9-]{0,63}}. */
    public static final int MAX_PROFILE_CHARS = 64;
    /** Paths, in UTF-8 bytes (PATH_MAX). */
    public static final int MAX_PATH_BYTES = 4096;
    /** Any JSON argument except a TestPolicy changeset, in UTF-8 bytes. */
    public static final int MAX_JSON_BYTES = 1 << 20;
    /** A TestPolicy changeset, in UTF-8 bytes. */
    public static final int MAX_CHANGESET_BYTES = 64 << 20;
    /** Reasons and comments, in characters (code points). */
    public static final int MAX_TEXT_CHARS = 1024;
    /** A profile document for ValidateProfile, in UTF-8 bytes. */
    public static final int MAX_PROFILE_YAML_BYTES = 256 << 10;
    /** WaitBranch never waits longer than this. */
    public static final long MAX_WAIT_MILLIS = 10 * 60 * 1000L;

    private ArgumentLimits() {}

    public static void id(String value) { chars("id", value, MAX_ID_CHARS); }

    public static void profile(String value) { chars("profile", value, MAX_PROFILE_CHARS); }

    public static void path(String name, String value) { bytes(name, value, MAX_PATH_BYTES); }

    public static void json(String name, String value) { bytes(name, value, MAX_JSON_BYTES); }

    public static void changeset(String value) { bytes("changeset", value, MAX_CHANGESET_BYTES); }

    public static void text(String name, String value) { chars(name, value, MAX_TEXT_CHARS); }

    public static void profileYaml(String value) { bytes("yaml", value, MAX_PROFILE_YAML_BYTES); }

    private static void chars(String name, String value, int max) {
        notNull(name, value);
        // length() >= code points, so the exact count is only needed near the limit
        if (value.length() > max && value.codePointCount(0, value.length()) > max) {
            throw ApiException.invalid(name + " is too long: " + value.codePointCount(0, value.length())
                    + " characters, at most " + max);
        }
    }

    private static void bytes(String name, String value, int max) {
        notNull(name, value);
        // UTF-8 needs at least one byte per char: a string longer than max chars is over without counting
        long n = value.length() > max ? -1 : utf8Length(value);
        if (n < 0 || n > max) {
            throw ApiException.invalid(name + " is too large: " + (n < 0 ? "more than " + max : n + "")
                    + " bytes, at most " + max + " (" + human(max) + ")");
        }
    }

    private static void notNull(String name, String value) {
        if (value == null) throw ApiException.invalid(name + " is missing");
    }

    /** The UTF-8 length of s (a lone surrogate counts 3 bytes, the most it could take). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private static String human(int bytes) {
        if (bytes >= 1 << 20) return (bytes >> 20) + " MiB";
        return (bytes >> 10) + " KiB";
    }
}
