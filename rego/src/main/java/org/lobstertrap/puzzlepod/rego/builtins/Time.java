package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Time builtins over nanoseconds since the Unix epoch (int64, as in Go: 1677-09-21 to 2262-04-11).
 * A time operand is {@code ns} or {@code [ns, "Zone/Name"]} (and for {@code time.format} also a third
 * element, a Go layout or layout name). Calendar arithmetic follows Go's normalising rules
 * ({@code add_date} of Jan 31 plus one month is Mar 3, not Feb 28).
 */
final class Time {
    private Time() {}

    private static final BigInteger NS = BigInteger.valueOf(1_000_000_000L);
    private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();
    private static final Set<String> KNOWN_ZONES = ZoneId.getAvailableZoneIds();
    private static final String OUT_OF_RANGE = "time outside of valid range";

    static void register(BuiltinRegistry r) {
        r.register("time.now_ns", 0, (c, a) -> NumberValue.of(c.timeNowNs()), true);
        r.register("time.parse_ns", 2, (c, a) -> parse("time.parse_ns",
                GoTimeLayout.resolve(Args.string("time.parse_ns", a, 0)), Args.string("time.parse_ns", a, 1)));
        r.register("time.parse_rfc3339_ns", 1, (c, a) -> parse("time.parse_rfc3339_ns",
                GoTimeLayout.RFC3339, Args.string("time.parse_rfc3339_ns", a, 0)));
        r.register("time.parse_duration_ns", 1, (c, a) -> NumberValue.of(
                parseDuration("time.parse_duration_ns", Args.string("time.parse_duration_ns", a, 0))));
        r.register("time.date", 1, (c, a) -> {
            ZonedDateTime t = tzTime("time.date", a[0]).time();
            return ArrayValue.of(NumberValue.of(t.getYear()), NumberValue.of(t.getMonthValue()), NumberValue.of(t.getDayOfMonth()));
        });
        r.register("time.clock", 1, (c, a) -> {
            ZonedDateTime t = tzTime("time.clock", a[0]).time();
            return ArrayValue.of(NumberValue.of(t.getHour()), NumberValue.of(t.getMinute()), NumberValue.of(t.getSecond()));
        });
        r.register("time.weekday", 1, (c, a) -> StringValue.of(GoTimeLayout.weekday(tzTime("time.weekday", a[0]).time())));
        r.register("time.format", 1, (c, a) -> {
            TzTime t = tzTime("time.format", a[0]);
            return StringValue.of(GoTimeLayout.format(t.time(), t.layout()));
        });
        r.register("time.add_date", 4, Time::addDate);
        r.register("time.diff", 2, Time::diff);
    }

    /** A time operand resolved: the instant in its zone, and the layout given with it. */
    record TzTime(ZonedDateTime time, String layout) {}

    static TzTime tzTime(String fn, Value v) throws RegoException {
        Value ns;
        ZoneId zone = ZoneOffset.UTC;
        String layout = GoTimeLayout.RFC3339_NANO;
        String want = "either number (ns) or [number (ns), string (tz)]";
        if (v instanceof ArrayValue arr) {
            if (arr.size() == 0) throw Args.mismatch(fn, 0, want, v);
            ns = arr.get(0);
            if (!(ns instanceof NumberValue)) throw Args.mismatch(fn, 0, "number", ns);
            if (arr.size() > 1) {
                if (!(arr.get(1) instanceof StringValue tz)) throw Args.mismatch(fn, 0, "string", arr.get(1));
                zone = zone(fn, tz.value());
            }
            if (arr.size() > 2) {
                if (!(arr.get(2) instanceof StringValue l)) throw Args.mismatch(fn, 0, "string", arr.get(2));
                layout = GoTimeLayout.resolve(l.value());
            }
        } else if (v instanceof NumberValue) {
            ns = v;
        } else {
            throw Args.mismatch(fn, 0, want, v);
        }
        BigInteger i = ((NumberValue) ns).bigIntegerOrNull();
        if (i == null || i.bitLength() > 63) throw RegoException.builtin(fn, "timestamp too big");
        return new TzTime(ofNanos(i.longValue()).atZone(zone), layout);
    }

    static ZoneId zone(String fn, String name) throws RegoException {
        if (name.isEmpty() || name.equals("UTC")) return ZoneOffset.UTC;
        if (name.equals("Local")) return ZoneId.systemDefault();
        ZoneId z = ZONES.get(name);
        if (z != null) return z;
        if (!KNOWN_ZONES.contains(name)) throw RegoException.builtin(fn, "unknown time zone " + name);
        z = ZoneId.of(name);
        ZONES.put(name, z);
        return z;
    }

    static Instant ofNanos(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    /** Nanoseconds since the epoch, or the range error when they do not fit in an int64. */
    static long toNanos(String fn, long epochSecond, int nano) throws RegoException {
        BigInteger ns = BigInteger.valueOf(epochSecond).multiply(NS).add(BigInteger.valueOf(nano));
        if (ns.bitLength() > 63) throw RegoException.builtin(fn, OUT_OF_RANGE);
        return ns.longValue();
    }

    private static Value parse(String fn, String layout, String value) throws RegoException {
        try {
            GoTimeLayout.Parsed p = GoTimeLayout.parse(layout, value);
            return NumberValue.of(toNanos(fn, p.epochSecond(), p.nano()));
        } catch (GoTimeLayout.ParseError e) {
            throw RegoException.builtin(fn, e.getMessage());
        }
    }

    private static Value addDate(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "time.add_date";
        ZonedDateTime t = tzTime(fn, a[0]).time();
        long years = IntegerOperands.longValue(fn, a, 1);
        long months = IntegerOperands.longValue(fn, a, 2);
        long days = IntegerOperands.longValue(fn, a, 3);
        try {
            // Go's time.Date normalisation: months roll into years, days roll across months.
            long m0 = t.getMonthValue() - 1L + months;
            long year = t.getYear() + years + Math.floorDiv(m0, 12);
            int month = (int) Math.floorMod(m0, 12) + 1;
            if (Math.abs(year) > 1_000_000) throw RegoException.builtin(fn, OUT_OF_RANGE);
            LocalDate date = LocalDate.of((int) year, month, 1).plusDays(t.getDayOfMonth() - 1L + days);
            ZonedDateTime result = LocalDateTime.of(date, t.toLocalTime()).atZone(t.getZone());
            return NumberValue.of(toNanos(fn, result.toEpochSecond(), result.getNano()));
        } catch (DateTimeException | ArithmeticException e) {
            throw RegoException.builtin(fn, OUT_OF_RANGE);
        }
    }

    private static Value diff(BuiltinContext ctx, Value[] a) throws RegoException {
        ZonedDateTime t1 = tzTime("time.diff", a[0]).time();
        ZonedDateTime t2 = tzTime("time.diff", a[1]).time();
        if (!t1.getZone().equals(t2.getZone())) t2 = t2.withZoneSameInstant(t1.getZone());
        if (t1.isAfter(t2)) { ZonedDateTime x = t1; t1 = t2; t2 = x; }
        long year = t2.getYear() - t1.getYear();
        long month = t2.getMonthValue() - t1.getMonthValue();
        long day = t2.getDayOfMonth() - t1.getDayOfMonth();
        long hour = t2.getHour() - t1.getHour();
        long min = t2.getMinute() - t1.getMinute();
        long sec = t2.getSecond() - t1.getSecond();
        if (sec < 0) { sec += 60; min--; }
        if (min < 0) { min += 60; hour--; }
        if (hour < 0) { hour += 24; day--; }
        if (day < 0) { day += LocalDate.of(t1.getYear(), t1.getMonthValue(), 1).lengthOfMonth(); month--; }
        if (month < 0) { month += 12; year--; }
        return ArrayValue.of(NumberValue.of(year), NumberValue.of(month), NumberValue.of(day),
                NumberValue.of(hour), NumberValue.of(min), NumberValue.of(sec));
    }

    // --- Go's time.ParseDuration ------------------------------------------------------------------

    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    private static final BigInteger MAX_MAGNITUDE = BigInteger.ONE.shiftLeft(63);

    static long parseDuration(String fn, String orig) throws RegoException {
        String s = orig;
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) { neg = s.charAt(0) == '-'; s = s.substring(1); }
        if (s.equals("0")) return 0;
        RegoException invalid = RegoException.builtin(fn, "time: invalid duration " + GoQuote.quote(orig));
        if (s.isEmpty()) throw invalid;
        BigInteger total = BigInteger.ZERO;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) throw invalid;
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) <= '9') i++;
            String whole = s.substring(start, i);
            String frac = "";
            if (i < s.length() && s.charAt(i) == '.') {
                int fs = ++i;
                while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
                frac = s.substring(fs, i);
            }
            if (whole.isEmpty() && frac.isEmpty()) throw invalid;
            int us = i;
            while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) i++;
            if (i == us) throw RegoException.builtin(fn, "time: missing unit in duration " + GoQuote.quote(orig));
            String unitText = s.substring(us, i);
            Long unit = UNITS.get(unitText);
            if (unit == null)
                throw RegoException.builtin(fn, "time: unknown unit " + GoQuote.quote(unitText) + " in duration " + GoQuote.quote(orig));
            BigDecimal amount = new BigDecimal((whole.isEmpty() ? "0" : whole) + (frac.isEmpty() ? "" : "." + frac));
            BigInteger v = amount.multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
            total = total.add(v);
            if (total.compareTo(MAX_MAGNITUDE) > 0) throw invalid;
        }
        if (neg) return total.negate().longValue();
        if (total.bitLength() > 63) throw invalid;
        return total.longValue();
    }
}
