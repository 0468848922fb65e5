package org.lobstertrap.puzzlepod.client;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them on the product's command lines: whole numbers with units s, m, h, d, possibly
 * combined ({@code 90s}, {@code 1h30m}, {@code 2d}), or ISO-8601 ({@code PT1H}). One parser for every CLI.
 */
public final class HumanDuration {
    private static final Pattern PART = Pattern.compile("(\\d{1,9})([smhd])");

    private HumanDuration() {}

    /** The duration, or null when the text is not one (callers phrase the error for their option). */
    public static Duration parse(String text) {
        if (text == null) return null;
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) return null;
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        return at == 0 ? null : total;
    }
}
