package org.lobstertrap.puzzlepod.rego.builtins;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;

/**
 * Go's reference-time layouts ({@code "2006-01-02T15:04:05Z07:00"}, {@code "Mon Jan _2 15:04:05 2006"},
 * …) for formatting and parsing, element for element as Go's {@code time} package reads them, plus the
 * named layouts OPA accepts ({@code "RFC3339"}, {@code "RFC1123Z"}, …). Parse errors use Go's text.
 */
final class GoTimeLayout {
    private GoTimeLayout() {}

    static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    static final String RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00";

    static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("ANSIC", "Mon Jan _2 15:04:05 2006"),
            Map.entry("UnixDate", "Mon Jan _2 15:04:05 MST 2006"),
            Map.entry("RubyDate", "Mon Jan 02 15:04:05 -0700 2006"),
            Map.entry("RFC822", "02 Jan 06 15:04 MST"),
            Map.entry("RFC822Z", "02 Jan 06 15:04 -0700"),
            Map.entry("RFC850", "Monday, 02-Jan-06 15:04:05 MST"),
            Map.entry("RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"),
            Map.entry("RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"),
            Map.entry("RFC3339", RFC3339),
            Map.entry("RFC3339Nano", RFC3339_NANO),
            Map.entry("Kitchen", "3:04PM"),
            Map.entry("Stamp", "Jan _2 15:04:05"),
            Map.entry("StampMilli", "Jan _2 15:04:05.000"),
            Map.entry("StampMicro", "Jan _2 15:04:05.000000"),
            Map.entry("StampNano", "Jan _2 15:04:05.000000000"),
            Map.entry("DateTime", "2006-01-02 15:04:05"),
            Map.entry("DateOnly", "2006-01-02"),
            Map.entry("TimeOnly", "15:04:05"));

    /** A layout name resolved to its layout; other text is a layout already. */
    static String resolve(String layout) { return NAMED.getOrDefault(layout, layout); }

    private static final String[] LONG_MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};
    private static final String[] LONG_DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

    /** Layout elements. */
    enum Std {
        NONE, LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY, UNDER_DAY, ZERO_DAY,
        UNDER_YEAR_DAY, ZERO_YEAR_DAY, HOUR, HOUR12, ZERO_HOUR12, MINUTE, ZERO_MINUTE, SECOND, ZERO_SECOND,
        LONG_YEAR, YEAR, PM, PM_LOWER, TZ, ISO_SECONDS_TZ, ISO_TZ, ISO_COLON_SECONDS_TZ, ISO_COLON_TZ,
        ISO_SHORT_TZ, NUM_SECONDS_TZ, NUM_TZ, NUM_COLON_SECONDS_TZ, NUM_COLON_TZ, NUM_SHORT_TZ, FRAC0, FRAC9
    }

    /** One step of a layout: literal prefix, element (with its text), and the rest of the layout. */
    private record Chunk(String prefix, Std std, String stdText, int fracDigits, String suffix) {}

    private static Chunk chunk(String prefix, Std std, String layout, int start, int end) {
        return new Chunk(prefix, std, layout.substring(start, end), 0, layout.substring(end));
    }

    /** Go's nextStdChunk. */
    private static Chunk next(String l) {
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            String p = l.substring(0, i);
            switch (c) {
                case 'J' -> {
                    if (l.startsWith("Jan", i)) {
                        if (l.startsWith("January", i)) return chunk(p, Std.LONG_MONTH, l, i, i + 7);
                        if (!startsWithLower(l, i + 3)) return chunk(p, Std.MONTH, l, i, i + 3);
                    }
                }
                case 'M' -> {
                    if (l.startsWith("Mon", i)) {
                        if (l.startsWith("Monday", i)) return chunk(p, Std.LONG_WEEKDAY, l, i, i + 6);
                        if (!startsWithLower(l, i + 3)) return chunk(p, Std.WEEKDAY, l, i, i + 3);
                    }
                    if (l.startsWith("MST", i)) return chunk(p, Std.TZ, l, i, i + 3);
                }
                case '0' -> {
                    if (i + 1 < l.length() && l.charAt(i + 1) >= '1' && l.charAt(i + 1) <= '6') {
                        Std s = switch (l.charAt(i + 1)) {
                            case '1' -> Std.ZERO_MONTH;
                            case '2' -> Std.ZERO_DAY;
                            case '3' -> Std.ZERO_HOUR12;
                            case '4' -> Std.ZERO_MINUTE;
                            case '5' -> Std.ZERO_SECOND;
                            default -> Std.YEAR;
                        };
                        return chunk(p, s, l, i, i + 2);
                    }
                    if (l.startsWith("002", i)) return chunk(p, Std.ZERO_YEAR_DAY, l, i, i + 3);
                }
                case '1' -> {
                    if (l.startsWith("15", i)) return chunk(p, Std.HOUR, l, i, i + 2);
                    return chunk(p, Std.NUM_MONTH, l, i, i + 1);
                }
                case '2' -> {
                    if (l.startsWith("2006", i)) return chunk(p, Std.LONG_YEAR, l, i, i + 4);
                    return chunk(p, Std.DAY, l, i, i + 1);
                }
                case '_' -> {
                    if (l.startsWith("_2", i)) {
                        if (l.startsWith("_2006", i)) return chunk(l.substring(0, i + 1), Std.LONG_YEAR, l, i + 1, i + 5);
                        return chunk(p, Std.UNDER_DAY, l, i, i + 2);
                    }
                    if (l.startsWith("__2", i)) return chunk(p, Std.UNDER_YEAR_DAY, l, i, i + 3);
                }
                case '3' -> { return chunk(p, Std.HOUR12, l, i, i + 1); }
                case '4' -> { return chunk(p, Std.MINUTE, l, i, i + 1); }
                case '5' -> { return chunk(p, Std.SECOND, l, i, i + 1); }
                case 'P' -> { if (l.startsWith("PM", i)) return chunk(p, Std.PM, l, i, i + 2); }
                case 'p' -> { if (l.startsWith("pm", i)) return chunk(p, Std.PM_LOWER, l, i, i + 2); }
                case '-' -> {
                    if (l.startsWith("-070000", i)) return chunk(p, Std.NUM_SECONDS_TZ, l, i, i + 7);
                    if (l.startsWith("-07:00:00", i)) return chunk(p, Std.NUM_COLON_SECONDS_TZ, l, i, i + 9);
                    if (l.startsWith("-0700", i)) return chunk(p, Std.NUM_TZ, l, i, i + 5);
                    if (l.startsWith("-07:00", i)) return chunk(p, Std.NUM_COLON_TZ, l, i, i + 6);
                    if (l.startsWith("-07", i)) return chunk(p, Std.NUM_SHORT_TZ, l, i, i + 3);
                }
                case 'Z' -> {
                    if (l.startsWith("Z070000", i)) return chunk(p, Std.ISO_SECONDS_TZ, l, i, i + 7);
                    if (l.startsWith("Z07:00:00", i)) return chunk(p, Std.ISO_COLON_SECONDS_TZ, l, i, i + 9);
                    if (l.startsWith("Z0700", i)) return chunk(p, Std.ISO_TZ, l, i, i + 5);
                    if (l.startsWith("Z07:00", i)) return chunk(p, Std.ISO_COLON_TZ, l, i, i + 6);
                    if (l.startsWith("Z07", i)) return chunk(p, Std.ISO_SHORT_TZ, l, i, i + 3);
                }
                case '.', ',' -> {
                    if (i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
                        char ch = l.charAt(i + 1);
                        int j = i + 1;
                        while (j < l.length() && l.charAt(j) == ch) j++;
                        if (!(j < l.length() && Character.isDigit(l.charAt(j)))) {
                            return new Chunk(p, ch == '0' ? Std.FRAC0 : Std.FRAC9, l.substring(i, j), j - (i + 1), l.substring(j));
                        }
                    }
                }
                default -> {}
            }
        }
        return new Chunk(l, Std.NONE, "", 0, "");
    }

    private static boolean startsWithLower(String s, int i) {
        return i < s.length() && s.charAt(i) >= 'a' && s.charAt(i) <= 'z';
    }

    // --- formatting -------------------------------------------------------------------------------

    static String format(ZonedDateTime t, String layout) {
        StringBuilder b = new StringBuilder();
        String l = layout;
        while (!l.isEmpty()) {
            Chunk c = next(l);
            b.append(c.prefix());
            if (c.std() == Std.NONE) break;
            l = c.suffix();
            int year = t.getYear();
            int offset = t.getOffset().getTotalSeconds();
            switch (c.std()) {
                case YEAR -> pad(b, Math.floorMod(year, 100), 2);
                case LONG_YEAR -> pad(b, year, 4);
                case MONTH -> b.append(LONG_MONTHS[t.getMonthValue() - 1], 0, 3);
                case LONG_MONTH -> b.append(LONG_MONTHS[t.getMonthValue() - 1]);
                case NUM_MONTH -> b.append(t.getMonthValue());
                case ZERO_MONTH -> pad(b, t.getMonthValue(), 2);
                case WEEKDAY -> b.append(LONG_DAYS[t.getDayOfWeek().getValue() % 7], 0, 3);
                case LONG_WEEKDAY -> b.append(LONG_DAYS[t.getDayOfWeek().getValue() % 7]);
                case DAY -> b.append(t.getDayOfMonth());
                case UNDER_DAY -> { if (t.getDayOfMonth() < 10) b.append(' '); b.append(t.getDayOfMonth()); }
                case ZERO_DAY -> pad(b, t.getDayOfMonth(), 2);
                case UNDER_YEAR_DAY -> {
                    int yd = t.getDayOfYear();
                    if (yd < 100) b.append(' ');
                    if (yd < 10) b.append(' ');
                    b.append(yd);
                }
                case ZERO_YEAR_DAY -> pad(b, t.getDayOfYear(), 3);
                case HOUR -> pad(b, t.getHour(), 2);
                case HOUR12 -> b.append(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
                case ZERO_HOUR12 -> pad(b, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2);
                case MINUTE -> b.append(t.getMinute());
                case ZERO_MINUTE -> pad(b, t.getMinute(), 2);
                case SECOND -> b.append(t.getSecond());
                case ZERO_SECOND -> pad(b, t.getSecond(), 2);
                case PM -> b.append(t.getHour() >= 12 ? "PM" : "AM");
                case PM_LOWER -> b.append(t.getHour() >= 12 ? "pm" : "am");
                case ISO_SECONDS_TZ, ISO_TZ, ISO_COLON_SECONDS_TZ, ISO_COLON_TZ, ISO_SHORT_TZ,
                     NUM_SECONDS_TZ, NUM_TZ, NUM_COLON_SECONDS_TZ, NUM_COLON_TZ, NUM_SHORT_TZ -> {
                    boolean iso = c.std().name().startsWith("ISO");
                    if (iso && offset == 0) { b.append('Z'); break; }
                    int zone = offset / 60;
                    int abs = Math.abs(offset);
                    b.append(zone < 0 ? '-' : '+');
                    pad(b, Math.abs(zone) / 60, 2);
                    boolean colon = c.std().name().contains("COLON");
                    if (c.std() != Std.ISO_SHORT_TZ && c.std() != Std.NUM_SHORT_TZ) {
                        if (colon) b.append(':');
                        pad(b, Math.abs(zone) % 60, 2);
                    }
                    if (c.std().name().contains("SECONDS")) {
                        if (colon) b.append(':');
                        pad(b, abs % 60, 2);
                    }
                }
                case TZ -> b.append(zoneName(t));
                case FRAC0 -> {
                    b.append(c.stdText().charAt(0));
                    String ns = String.format("%09d", t.getNano());
                    b.append(ns, 0, c.fracDigits());
                }
                case FRAC9 -> {
                    String ns = String.format("%09d", t.getNano()).substring(0, c.fracDigits());
                    int end = ns.length();
                    while (end > 0 && ns.charAt(end - 1) == '0') end--;
                    if (end > 0) b.append(c.stdText().charAt(0)).append(ns, 0, end);
                }
                default -> {}
            }
        }
        return b.toString();
    }

    private static void pad(StringBuilder b, int v, int width) {
        if (v < 0) { b.append('-'); v = -v; }
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) b.append('0');
        b.append(s);
    }

    /** The zone abbreviation ("UTC", "EST", "IST"), or the numeric offset when the zone has no name. */
    private static String zoneName(ZonedDateTime t) {
        ZoneId z = t.getZone();
        if (z.equals(ZoneOffset.UTC) || z.getId().equals("UTC") || z.getId().equals("Z")) return "UTC";
        if (z instanceof ZoneOffset off) {
            int zone = off.getTotalSeconds() / 60;
            StringBuilder b = new StringBuilder(zone < 0 ? "-" : "+");
            pad(b, Math.abs(zone) / 60, 2);
            pad(b, Math.abs(zone) % 60, 2);
            return b.toString();
        }
        return DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t);
    }

    // --- parsing ----------------------------------------------------------------------------------

    /** A failed parse with Go's message. */
    static final class ParseError extends Exception {
        ParseError(String message) { super(message); }
    }

    /** A parsed instant: epoch second, nanosecond of second. */
    record Parsed(long epochSecond, int nano) {}

    /** Go's time.Parse (no zone information in the value means UTC). */
    static Parsed parse(String layout, String value) throws ParseError {
        final String alayout = layout, avalue = value;
        int year = 0, month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
        boolean pmSet = false, amSet = false, utc = false;
        Integer zoneOffset = null;
        String zoneName = null;
        String l = layout;
        while (true) {
            Chunk c = next(l);
            String prefix = c.prefix();
            String rest = skip(value, prefix);
            if (rest == null) throw cannotParse(alayout, avalue, value, prefix);
            value = rest;
            if (c.std() == Std.NONE) {
                if (!value.isEmpty()) throw new ParseError("parsing time " + GoQuote.quote(avalue) + ": extra text: " + GoQuote.quote(value));
                break;
            }
            l = c.suffix();
            String hold = value;
            String range = null;
            boolean bad = false;
            switch (c.std()) {
                case YEAR -> {
                    if (value.length() < 2 || !digits(value, 0, 2)) { bad = true; break; }
                    year = Integer.parseInt(value.substring(0, 2));
                    value = value.substring(2);
                    year += year >= 69 ? 1900 : 2000;
                }
                case LONG_YEAR -> {
                    if (value.length() < 4 || !digits(value, 0, 4)) { bad = true; break; }
                    year = Integer.parseInt(value.substring(0, 4));
                    value = value.substring(4);
                }
                case MONTH, LONG_MONTH -> {
                    int m = lookup(value, c.std() == Std.MONTH ? 3 : 0, LONG_MONTHS);
                    if (m < 0) { bad = true; break; }
                    month = m + 1;
                    value = value.substring(c.std() == Std.MONTH ? 3 : LONG_MONTHS[m].length());
                }
                case NUM_MONTH, ZERO_MONTH -> {
                    int[] n = getNum(value, c.std() == Std.ZERO_MONTH);
                    if (n == null) { bad = true; break; }
                    month = n[0];
                    value = value.substring(n[1]);
                    if (month <= 0 || month > 12) range = "month";
                }
                case WEEKDAY, LONG_WEEKDAY -> {
                    int d = lookup(value, c.std() == Std.WEEKDAY ? 3 : 0, LONG_DAYS);
                    if (d < 0) { bad = true; break; }
                    value = value.substring(c.std() == Std.WEEKDAY ? 3 : LONG_DAYS[d].length());
                }
                case DAY, UNDER_DAY, ZERO_DAY -> {
                    if (c.std() == Std.UNDER_DAY && !value.isEmpty() && value.charAt(0) == ' ') value = value.substring(1);
                    int[] n = getNum(value, c.std() == Std.ZERO_DAY);
                    if (n == null) { bad = true; break; }
                    day = n[0];
                    value = value.substring(n[1]);
                }
                case UNDER_YEAR_DAY, ZERO_YEAR_DAY -> {
                    for (int i = 0; i < 2; i++) {
                        if (c.std() == Std.UNDER_YEAR_DAY && !value.isEmpty() && value.charAt(0) == ' ') value = value.substring(1);
                    }
                    int[] n = getNum3(value, c.std() == Std.ZERO_YEAR_DAY);
                    if (n == null) { bad = true; break; }
                    yday = n[0];
                    value = value.substring(n[1]);
                    if (yday < 1 || yday > 366) range = "day-of-year";
                }
                case HOUR -> {
                    int[] n = getNum(value, false);
                    if (n == null) { bad = true; break; }
                    hour = n[0];
                    value = value.substring(n[1]);
                    if (hour < 0 || hour >= 24) range = "hour";
                }
                case HOUR12, ZERO_HOUR12 -> {
                    int[] n = getNum(value, c.std() == Std.ZERO_HOUR12);
                    if (n == null) { bad = true; break; }
                    hour = n[0];
                    value = value.substring(n[1]);
                    if (hour < 0 || hour > 12) range = "hour";
                }
                case MINUTE, ZERO_MINUTE -> {
                    int[] n = getNum(value, c.std() == Std.ZERO_MINUTE);
                    if (n == null) { bad = true; break; }
                    min = n[0];
                    value = value.substring(n[1]);
                    if (min < 0 || min >= 60) range = "minute";
                }
                case SECOND, ZERO_SECOND -> {
                    int[] n = getNum(value, c.std() == Std.ZERO_SECOND);
                    if (n == null) { bad = true; break; }
                    sec = n[0];
                    value = value.substring(n[1]);
                    if (sec < 0 || sec >= 60) { range = "second"; break; }
                    // A fractional second in the value that the layout does not mention is still accepted.
                    if (value.length() >= 2 && (value.charAt(0) == '.' || value.charAt(0) == ',') && Character.isDigit(value.charAt(1))) {
                        Std following = next(l).std();
                        if (following == Std.FRAC0 || following == Std.FRAC9) break;
                        int n2 = 2;
                        while (n2 < value.length() && Character.isDigit(value.charAt(n2))) n2++;
                        nsec = nanos(value, n2);
                        value = value.substring(n2);
                    }
                }
                case PM, PM_LOWER -> {
                    if (value.length() < 2) { bad = true; break; }
                    String p = value.substring(0, 2);
                    String pm = c.std() == Std.PM ? "PM" : "pm", am = c.std() == Std.PM ? "AM" : "am";
                    if (p.equals(pm)) pmSet = true;
                    else if (p.equals(am)) amSet = true;
                    else { bad = true; break; }
                    value = value.substring(2);
                }
                case ISO_SECONDS_TZ, ISO_TZ, ISO_COLON_SECONDS_TZ, ISO_COLON_TZ, ISO_SHORT_TZ,
                     NUM_SECONDS_TZ, NUM_TZ, NUM_COLON_SECONDS_TZ, NUM_COLON_TZ, NUM_SHORT_TZ -> {
                    if (c.std().name().startsWith("ISO") && !value.isEmpty() && value.charAt(0) == 'Z') {
                        value = value.substring(1);
                        utc = true;
                        break;
                    }
                    String sign, hh, mm, ss;
                    Std s = c.std();
                    if (s == Std.ISO_COLON_TZ || s == Std.NUM_COLON_TZ) {
                        if (value.length() < 6 || value.charAt(3) != ':') { bad = true; break; }
                        sign = value.substring(0, 1); hh = value.substring(1, 3); mm = value.substring(4, 6); ss = "00";
                        value = value.substring(6);
                    } else if (s == Std.NUM_SHORT_TZ || s == Std.ISO_SHORT_TZ) {
                        if (value.length() < 3) { bad = true; break; }
                        sign = value.substring(0, 1); hh = value.substring(1, 3); mm = "00"; ss = "00";
                        value = value.substring(3);
                    } else if (s == Std.ISO_COLON_SECONDS_TZ || s == Std.NUM_COLON_SECONDS_TZ) {
                        if (value.length() < 9 || value.charAt(3) != ':' || value.charAt(6) != ':') { bad = true; break; }
                        sign = value.substring(0, 1); hh = value.substring(1, 3); mm = value.substring(4, 6); ss = value.substring(7, 9);
                        value = value.substring(9);
                    } else if (s == Std.ISO_SECONDS_TZ || s == Std.NUM_SECONDS_TZ) {
                        if (value.length() < 7) { bad = true; break; }
                        sign = value.substring(0, 1); hh = value.substring(1, 3); mm = value.substring(3, 5); ss = value.substring(5, 7);
                        value = value.substring(7);
                    } else {
                        if (value.length() < 5) { bad = true; break; }
                        sign = value.substring(0, 1); hh = value.substring(1, 3); mm = value.substring(3, 5); ss = "00";
                        value = value.substring(5);
                    }
                    if (!digits(hh, 0, 2) || !digits(mm, 0, 2) || !digits(ss, 0, 2)) { bad = true; break; }
                    int hr = Integer.parseInt(hh), mn = Integer.parseInt(mm), sc = Integer.parseInt(ss);
                    if (hr > 24 || mn > 60 || sc > 60) { range = "time zone offset hour"; break; }
                    int off = (hr * 60 + mn) * 60 + sc;
                    if (sign.equals("-")) off = -off;
                    else if (!sign.equals("+")) { bad = true; break; }
                    zoneOffset = off;
                }
                case TZ -> {
                    if (value.length() >= 3 && value.startsWith("UTC")) {
                        value = value.substring(3);
                        utc = true;
                        break;
                    }
                    int n = timeZoneLength(value);
                    if (n <= 0) { bad = true; break; }
                    zoneName = value.substring(0, n);
                    value = value.substring(n);
                }
                case FRAC0 -> {
                    int ndigit = 1 + c.fracDigits();
                    if (value.length() < ndigit || (value.charAt(0) != '.' && value.charAt(0) != ',') || !digits(value, 1, ndigit)) { bad = true; break; }
                    nsec = nanos(value, ndigit);
                    value = value.substring(ndigit);
                }
                case FRAC9 -> {
                    if (value.length() < 2 || (value.charAt(0) != '.' && value.charAt(0) != ',') || !Character.isDigit(value.charAt(1))) break;
                    int i = 0;
                    while (i + 1 < value.length() && Character.isDigit(value.charAt(i + 1))) i++;
                    nsec = nanos(value, 1 + i);
                    value = value.substring(1 + i);
                }
                default -> {}
            }
            if (range != null) throw new ParseError("parsing time " + GoQuote.quote(avalue) + ": " + range + " out of range");
            if (bad) throw cannotParse(alayout, avalue, hold, c.stdText());
        }
        if (pmSet && hour < 12) hour += 12;
        else if (amSet && hour == 12) hour = 0;
        if (yday >= 0) {
            int m, d;
            if (isLeap(year)) {
                if (yday == 31 + 29) { m = 2; d = 29; }
                else {
                    LocalDate ld = LocalDate.ofYearDay(year, 1).plusDays(yday - 1);
                    m = ld.getMonthValue(); d = ld.getDayOfMonth();
                }
            } else {
                if (yday > 365) throw new ParseError("parsing time " + GoQuote.quote(avalue) + ": day-of-year out of range");
                LocalDate ld = LocalDate.ofYearDay(year, yday);
                m = ld.getMonthValue(); d = ld.getDayOfMonth();
            }
            if (month >= 0 && month != m) throw new ParseError("parsing time " + GoQuote.quote(avalue) + ": day-of-year does not match month");
            month = m;
            if (day >= 0 && day != d) throw new ParseError("parsing time " + GoQuote.quote(avalue) + ": day-of-year does not match day");
            day = d;
        } else {
            if (month < 0) month = 1;
            if (day < 0) day = 1;
        }
        if (day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth())
            throw new ParseError("parsing time " + GoQuote.quote(avalue) + ": day out of range");
        LocalDateTime local;
        try {
            local = LocalDateTime.of(year, month, day, hour, min, sec, nsec);
        } catch (DateTimeException e) {
            throw new ParseError("parsing time " + GoQuote.quote(avalue) + ": " + e.getMessage());
        }
        long epoch = local.toEpochSecond(ZoneOffset.UTC);
        if (!utc && zoneOffset != null) epoch -= zoneOffset;
        else if (!utc && zoneName != null && zoneName.length() > 3 && zoneName.startsWith("GMT")) {
            epoch -= Long.parseLong(zoneName.substring(3).replace("+", "")) * 3600;
        }
        return new Parsed(epoch, nsec);
    }

    private static ParseError cannotParse(String layout, String value, String valueElem, String layoutElem) {
        return new ParseError("parsing time " + GoQuote.quote(value) + " as " + GoQuote.quote(layout) + ": cannot parse "
                + GoQuote.quote(valueElem) + " as " + GoQuote.quote(layoutElem));
    }

    /** Go's skip: the literal prefix must match; a space matches any run of spaces. Null when it does not. */
    private static String skip(String value, String prefix) {
        int v = 0, p = 0;
        while (p < prefix.length()) {
            if (prefix.charAt(p) == ' ') {
                if (v < value.length() && value.charAt(v) != ' ') return null;
                while (p < prefix.length() && prefix.charAt(p) == ' ') p++;
                while (v < value.length() && value.charAt(v) == ' ') v++;
                continue;
            }
            if (v >= value.length() || value.charAt(v) != prefix.charAt(p)) return null;
            p++;
            v++;
        }
        return value.substring(v);
    }

    private static boolean digits(String s, int from, int to) {
        if (s.length() < to) return false;
        for (int i = from; i < to; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** Go's getnum: one or two digits (exactly two when fixed). Returns {value, consumed} or null. */
    private static int[] getNum(String s, boolean fixed) {
        if (s.isEmpty() || !Character.isDigit(s.charAt(0)) || s.charAt(0) > '9') return null;
        if (s.length() < 2 || s.charAt(1) < '0' || s.charAt(1) > '9') {
            if (fixed) return null;
            return new int[] {s.charAt(0) - '0', 1};
        }
        return new int[] {(s.charAt(0) - '0') * 10 + (s.charAt(1) - '0'), 2};
    }

    private static int[] getNum3(String s, boolean fixed) {
        int n = 0, i = 0;
        for (; i < 3 && i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) n = n * 10 + (s.charAt(i) - '0');
        if (i == 0 || (fixed && i != 3)) return null;
        return new int[] {n, i};
    }

    /** Case-insensitive prefix lookup of a name (or its first {@code len} letters). */
    private static int lookup(String value, int len, String[] names) {
        for (int i = 0; i < names.length; i++) {
            String n = len > 0 ? names[i].substring(0, len) : names[i];
            if (value.length() >= n.length() && value.substring(0, n.length()).equalsIgnoreCase(n)) return i;
        }
        return -1;
    }

    /** Nanoseconds from ".123" style text of n characters (separator included); extra digits are dropped. */
    private static int nanos(String value, int n) {
        String digits = value.substring(1, Math.min(n, 10));
        int ns = Integer.parseInt(digits);
        for (int i = digits.length(); i < 9; i++) ns *= 10;
        return ns;
    }

    /** Go's parseTimeZone: how many characters of value form a zone abbreviation (0 if none). */
    private static int timeZoneLength(String value) {
        if (value.length() < 3) return 0;
        if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
        if (value.startsWith("GMT")) {
            int i = 3;
            if (i < value.length() && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
                int j = i + 1;
                while (j < value.length() && Character.isDigit(value.charAt(j))) j++;
                if (j > i + 1) return j;
            }
            return 3;
        }
        if (value.charAt(0) == '+' || value.charAt(0) == '-') {
            int j = 1;
            while (j < value.length() && Character.isDigit(value.charAt(j))) j++;
            return j == 3 || j == 5 ? j : 0;
        }
        int n = 0;
        while (n < value.length() && n < 6 && value.charAt(n) >= 'A' && value.charAt(n) <= 'Z') n++;
        return switch (n) {
            case 3 -> 3;
            case 4 -> value.charAt(3) == 'T' || value.startsWith("WITA") ? 4 : 0;
            case 5 -> value.charAt(4) == 'T' ? 5 : 0;
            default -> 0;
        };
    }

    private static boolean isLeap(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

    /** The weekday name ("Monday"). */
    static String weekday(ZonedDateTime t) { return t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH); }
}
