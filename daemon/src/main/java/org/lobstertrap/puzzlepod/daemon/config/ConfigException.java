package org.lobstertrap.puzzlepod.daemon.config;

/**
 * The daemon configuration is unusable. The message names the file and the key for a person;
 * {@link #code()} and {@link #key()} are for a program.
 */
public final class ConfigException extends Exception {
    /** Stable error codes. */
    public enum Code {
        /** The file cannot be read. */
        IO,
        /** The file is not valid YAML, or not a mapping at the top. */
        SYNTAX,
        /** A key the daemon does not know (typo or a key from another version). */
        UNKNOWN_KEY,
        /** A value of the wrong type or format (e.g. "5 minutes" for a duration). */
        BAD_VALUE,
        /** A path that must be absolute is not. */
        NOT_ABSOLUTE,
        /** A number or duration outside its allowed range. */
        OUT_OF_RANGE
    }

    private final Code code;
    private final String key;

    public ConfigException(Code code, String key, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.key = key;
    }

    public Code code() { return code; }

    /** The offending key (dotted for nested keys, e.g. {@code review.timeout}), or null. */
    public String key() { return key; }
}
