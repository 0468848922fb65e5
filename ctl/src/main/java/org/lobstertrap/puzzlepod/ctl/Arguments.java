package org.lobstertrap.puzzlepod.ctl;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for command-line values. They check what the API's limits say locally, so a typo is a usage
 * error with a reason instead of a round trip to the daemon.
 */
final class Arguments {
    private Arguments() {}

    private static final Pattern BRANCH_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** A branch id: {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,63}}. */
    static final class BranchId implements ITypeConverter<String> {
        @Override public String convert(String v) {
            if (!BRANCH_ID.matcher(v).matches())
                throw new TypeConversionException("invalid branch id \"" + shorten(v)
                        + "\": 1-64 of A-Z a-z 0-9 _ . -, starting with a letter or digit");
            return v;
        }
    }

    /** A profile name: {@code [a-z0-9][a-z0-9-]{0,63}}. */
    static final class ProfileName implements ITypeConverter<String> {
        @Override public String convert(String v) {
            if (!PROFILE.matcher(v).matches())
                throw new TypeConversionException("invalid profile name \"" + shorten(v)
                        + "\": 1-64 of a-z 0-9 -, starting with a letter or digit");
            return v;
        }
    }

    /** A directory: made absolute (against the working directory) and normalised, as the API wants it. */
    static final class Directory implements ITypeConverter<String> {
        @Override public String convert(String v) {
            if (v.isEmpty() || v.indexOf('\0') >= 0) throw new TypeConversionException("invalid directory \"" + shorten(v) + "\"");
            try {
                return Path.of(v).toAbsolutePath().normalize().toString();
            } catch (InvalidPathException e) {
                throw new TypeConversionException("invalid directory \"" + shorten(v) + "\": " + e.getReason());
            }
        }
    }

    /** An absolute container path such as {@code /workspace}. */
    static final class ContainerPath implements ITypeConverter<String> {
        @Override public String convert(String v) {
            if (!v.startsWith("/") || v.indexOf('\0') >= 0)
                throw new TypeConversionException("invalid container path \"" + shorten(v) + "\": must be absolute");
            return Path.of(v).normalize().toString();
        }
    }

    /** A positive duration: 90s, 30m, 1h, 2d, 1h30m, or ISO-8601 (PT1H). */
    static final class Lifetime implements ITypeConverter<Duration> {
        @Override public Duration convert(String v) {
            Duration d = duration(v);
            if (d == null || d.isZero() || d.isNegative())
                throw new TypeConversionException("invalid duration \"" + shorten(v)
                        + "\": use a positive duration such as 90s, 30m, 1h, 2d, 1h30m or PT1H");
            return d;
        }
    }

    /** A point in time: ISO-8601 ({@code 2026-01-31T12:00:00Z}) or an age before now ({@code 30m}, {@code 2d}). */
    static final class PointInTime implements ITypeConverter<Instant> {
        @Override public Instant convert(String v) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                Duration ago = duration(v);
                if (ago == null || ago.isNegative())
                    throw new TypeConversionException("invalid time \"" + shorten(v)
                            + "\": use ISO-8601 such as 2026-01-31T12:00:00Z, or an age such as 30m, 12h, 7d");
                return Instant.now().minus(ago);
            }
        }
    }

    static Duration duration(String v) { return org.lobstertrap.puzzlepod.client.HumanDuration.parse(v); }

    /** At most 80 characters of a value, for messages. */
    static String shorten(String v) {
        return v.length() <= 80 ? v : v.substring(0, 77) + "...";
    }
}
