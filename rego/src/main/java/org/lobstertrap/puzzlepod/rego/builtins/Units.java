package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code units.parse} ("500m" is 0.5, "1.1Ki" is 1126.4) and {@code units.parse_bytes} ("1.1KiB" is
 * 1126, truncated). SI suffixes are powers of 1000, IEC ("Ki", "KiB") powers of 1024. Arithmetic is
 * exact decimal; {@code units.parse} keeps ten fractional digits for non-integers, as OPA does.
 */
final class Units {
    private Units() {}

    static void register(BuiltinRegistry r) {
        r.register("units.parse", 1, Units::parse);
        r.register("units.parse_bytes", 1, Units::parseBytes);
    }

    private static Value parse(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "units.parse";
        String s = Args.string(fn, a, 0).replace("\"", "");
        if (s.contains(" ")) throw RegoException.builtin(fn, "spaces not allowed in resource strings");
        String[] parts = splitNumberAndUnit(s);
        if (parts[0].isEmpty()) throw RegoException.builtin(fn, "no amount provided");
        String unit = parts[1];
        // Only the letters after the first are case-insensitive, so "m" (milli) and "M" (mega) differ.
        if (unit.length() > 1) unit = unit.charAt(0) + unit.substring(1).toLowerCase(Locale.ROOT);
        BigDecimal factor = switch (unit) {
            case "m" -> new BigDecimal("0.001");
            case "" -> BigDecimal.ONE;
            case "k", "K" -> pow(1000, 1);
            case "ki", "Ki" -> pow(1024, 1);
            case "M" -> pow(1000, 2);
            case "mi", "Mi" -> pow(1024, 2);
            case "g", "G" -> pow(1000, 3);
            case "gi", "Gi" -> pow(1024, 3);
            case "t", "T" -> pow(1000, 4);
            case "ti", "Ti" -> pow(1024, 4);
            case "p", "P" -> pow(1000, 5);
            case "pi", "Pi" -> pow(1024, 5);
            case "e", "E" -> pow(1000, 6);
            case "ei", "Ei" -> pow(1024, 6);
            default -> throw RegoException.builtin(fn, "unit " + unit + " not recognized");
        };
        BigDecimal number = parseAmount(fn, parts[0], "could not parse amount to a number");
        BigDecimal result = number.multiply(factor);
        if (result.signum() == 0 || result.stripTrailingZeros().scale() <= 0) return NumberValue.of(result);
        return NumberValue.of(result.setScale(10, RoundingMode.HALF_UP));
    }

    private static Value parseBytes(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "units.parse_bytes";
        String s = Args.string(fn, a, 0).replace("\"", "").toLowerCase(Locale.ROOT);
        if (s.contains(" ")) throw RegoException.builtin(fn, "spaces not allowed in resource strings");
        String[] parts = splitNumberAndUnit(s);
        if (parts[0].isEmpty()) throw RegoException.builtin(fn, "no byte amount provided");
        BigDecimal factor = switch (parts[1]) {
            case "" -> BigDecimal.ONE;
            case "kb", "k" -> pow(1000, 1);
            case "kib", "ki" -> pow(1024, 1);
            case "mb", "m" -> pow(1000, 2);
            case "mib", "mi" -> pow(1024, 2);
            case "gb", "g" -> pow(1000, 3);
            case "gib", "gi" -> pow(1024, 3);
            case "tb", "t" -> pow(1000, 4);
            case "tib", "ti" -> pow(1024, 4);
            case "pb", "p" -> pow(1000, 5);
            case "pib", "pi" -> pow(1024, 5);
            case "eb", "e" -> pow(1000, 6);
            case "eib", "ei" -> pow(1024, 6);
            default -> throw RegoException.builtin(fn, "byte unit " + parts[1] + " not recognized");
        };
        BigDecimal number = parseAmount(fn, parts[0], "could not parse byte amount to a number");
        BigInteger total = number.multiply(factor).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        return NumberValue.of(total);
    }

    private static BigDecimal pow(int base, int exp) { return BigDecimal.valueOf(base).pow(exp); }

    private static BigDecimal parseAmount(String fn, String text, String error) throws RegoException {
        if (!text.matches("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?")) throw RegoException.builtin(fn, error);
        try {
            BigDecimal d = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
            if (Math.abs((long) d.scale()) > 10_000) throw RegoException.builtin(fn, error);
            return d;
        } catch (NumberFormatException e) {
            throw RegoException.builtin(fn, error);
        }
    }

    /**
     * Splits "4.5e1GiB" into {"4.5e1", "GiB"}: the number runs over digits, '.', signs and an exponent
     * marker that is followed by a digit or sign; a lone trailing 'e' is the exa suffix.
     */
    static String[] splitNumberAndUnit(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-') continue;
            if (c == 'e' || c == 'E') {
                boolean exponent = i + 1 < s.length()
                        && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-');
                if (!exponent) return new String[] {s.substring(0, i), s.substring(i)};
                if (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-') i++;
                continue;
            }
            return new String[] {s.substring(0, i), s.substring(i)};
        }
        return new String[] {s, ""};
    }
}
