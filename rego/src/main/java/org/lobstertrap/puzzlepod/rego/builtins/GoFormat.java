package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code fmt.Sprintf} for the three kinds of operand a Rego policy can hand it: integers
 * ({@code int}, or {@code *big.Int} beyond 64 bits), {@code float64} and strings. Verbs, flags
 * ({@code # 0 + - space}), width, precision, {@code *} and {@code [n]} argument indexes, and the
 * error forms ({@code %!d(string=x)}, {@code %!v(MISSING)}, {@code %!(EXTRA …)}, {@code %!(NOVERB)})
 * follow Go's output byte for byte; floats round exactly (half to even on the binary value), as Go does.
 */
final class GoFormat {
    private GoFormat() {}

    /** A Go operand. */
    sealed interface Arg permits Int, Float, Str {}
    /** An integer; {@code big} selects Go's {@code *big.Int} formatting (and type name). */
    record Int(BigInteger value, boolean big) implements Arg {}
    record Float(double value) implements Arg {}
    record Str(String value) implements Arg {}

    private static final int TOO_LARGE = 1_000_000;

    /** The formatting state of one directive. */
    private static final class Spec {
        boolean sharp, zero, plus, minus, space, sharpV;
        int wid, prec;
        boolean widPresent, precPresent;
    }

    static String sprintf(String format, Arg[] args) {
        StringBuilder out = new StringBuilder(format.length() + 16);
        int end = format.length();
        int argNum = 0;
        boolean reordered = false;
        int i = 0;
        while (i < end) {
            int lasti = i;
            while (i < end && format.charAt(i) != '%') i++;
            if (i > lasti) out.append(format, lasti, i);
            if (i >= end) break;
            i++; // skip %
            Spec f = new Spec();
            flags:
            for (; i < end; i++) {
                switch (format.charAt(i)) {
                    case '#' -> f.sharp = true;
                    case '0' -> f.zero = !f.minus;
                    case '+' -> f.plus = true;
                    case '-' -> { f.minus = true; f.zero = false; }
                    case ' ' -> f.space = true;
                    default -> { break flags; }
                }
            }
            boolean goodArgNum = true;
            // explicit argument index
            int[] idx = argNumber(argNum, format, i, args.length);
            if (idx[3] == 1) reordered = true;
            argNum = idx[0]; i = idx[1]; boolean afterIndex = idx[2] == 1;
            if (idx[4] == 0) goodArgNum = false;
            // width
            if (i < end && format.charAt(i) == '*') {
                i++;
                Integer w = intFromArg(args, argNum);
                if (argNum < args.length) argNum++;
                if (w == null) out.append("%!(BADWIDTH)");
                else {
                    f.wid = w; f.widPresent = true;
                    if (f.wid < 0) { f.wid = -f.wid; f.minus = true; f.zero = false; }
                }
                afterIndex = false;
            } else {
                int[] n = parseNum(format, i, end);
                f.wid = n[0]; f.widPresent = n[1] == 1; i = n[2];
                if (afterIndex && f.widPresent) goodArgNum = false;
            }
            // precision
            if (i + 1 < end && format.charAt(i) == '.') {
                i++;
                if (afterIndex) goodArgNum = false;
                idx = argNumber(argNum, format, i, args.length);
                if (idx[3] == 1) reordered = true;
                argNum = idx[0]; i = idx[1]; afterIndex = idx[2] == 1;
                if (idx[4] == 0) goodArgNum = false;
                if (i < end && format.charAt(i) == '*') {
                    i++;
                    Integer p = intFromArg(args, argNum);
                    if (argNum < args.length) argNum++;
                    if (p != null && p >= 0) { f.prec = p; f.precPresent = true; }
                    else if (p == null) out.append("%!(BADPREC)");
                    afterIndex = false;
                } else {
                    int[] n = parseNum(format, i, end);
                    f.prec = n[0]; f.precPresent = true; i = n[2];
                }
            }
            if (!afterIndex) {
                idx = argNumber(argNum, format, i, args.length);
                if (idx[3] == 1) reordered = true;
                argNum = idx[0]; i = idx[1];
                if (idx[4] == 0) goodArgNum = false;
            }
            if (i >= end) { out.append("%!(NOVERB)"); break; }
            int verb = format.codePointAt(i);
            i += Character.charCount(verb);
            if (verb == '%') { out.append('%'); continue; }
            if (!goodArgNum) { out.append("%!").appendCodePoint(verb).append("(BADINDEX)"); continue; }
            if (argNum >= args.length) { out.append("%!").appendCodePoint(verb).append("(MISSING)"); continue; }
            if (verb == 'v') { f.sharpV = f.sharp; f.sharp = false; }
            printArg(out, args[argNum++], verb, f);
        }
        if (!reordered && argNum < args.length) {
            out.append("%!(EXTRA ");
            for (int k = argNum; k < args.length; k++) {
                if (k > argNum) out.append(", ");
                out.append(typeName(args[k])).append('=');
                printArg(out, args[k], 'v', new Spec());
            }
            out.append(')');
        }
        return out.toString();
    }

    /** Returns {argNum, i, afterIndex, reordered, ok}. */
    private static int[] argNumber(int argNum, String format, int i, int numArgs) {
        if (i >= format.length() || format.charAt(i) != '[') return new int[] {argNum, i, 0, 0, 1};
        for (int j = i + 1; j < format.length(); j++) {
            if (format.charAt(j) == ']') {
                int[] n = parseNum(format, i + 1, j);
                if (n[1] == 0 || n[2] != j) return new int[] {argNum, j + 1, 0, 1, 0};
                int index = n[0] - 1;
                if (index < 0 || index >= numArgs) return new int[] {argNum, j + 1, 1, 1, 0};
                return new int[] {index, j + 1, 1, 1, 1};
            }
        }
        return new int[] {argNum, i + 1, 0, 1, 0}; // no closing bracket
    }

    /** Returns {number, present, newIndex}. */
    private static int[] parseNum(String s, int start, int end) {
        if (start >= end) return new int[] {0, 0, start};
        int num = 0, i = start;
        boolean present = false;
        while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            if (num > TOO_LARGE) return new int[] {0, 0, end};
            num = num * 10 + (s.charAt(i) - '0');
            present = true;
            i++;
        }
        return new int[] {num, present ? 1 : 0, i};
    }

    private static Integer intFromArg(Arg[] args, int argNum) {
        if (argNum >= args.length) return null;
        if (args[argNum] instanceof Int(BigInteger v, boolean big) && !big && v.bitLength() < 64) {
            long n = v.longValue();
            if (n > TOO_LARGE || n < -TOO_LARGE) return null;
            return (int) n;
        }
        return null;
    }

    static String typeName(Arg a) {
        return switch (a) {
            case Int i -> i.big() ? "*big.Int" : "int";
            case Float f -> "float64";
            case Str s -> "string";
        };
    }

    private static void printArg(StringBuilder out, Arg arg, int verb, Spec f) {
        if (verb == 'T') { pad(out, typeName(arg), f); return; }
        switch (arg) {
            case Int i -> { if (i.big()) formatBig(out, i.value(), verb, f); else formatInt(out, i.value().longValue(), verb, f); }
            case Float fl -> formatFloat(out, fl.value(), verb, f);
            case Str s -> formatString(out, s.value(), verb, f);
        }
    }

    private static void badVerb(StringBuilder out, Arg arg, int verb, Spec f) {
        out.append("%!").appendCodePoint(verb).append('(').append(typeName(arg)).append('=');
        printArg(out, arg, 'v', f);
        out.append(')');
    }

    // --- padding ----------------------------------------------------------------------------------

    private static void pad(StringBuilder out, String s, Spec f) {
        if (!f.widPresent || f.wid == 0) { out.append(s); return; }
        int width = f.wid - s.codePointCount(0, s.length());
        if (width <= 0) { out.append(s); return; }
        if (f.minus) { out.append(s).append(" ".repeat(width)); return; }
        out.append((f.zero ? "0" : " ").repeat(width)).append(s);
    }

    // --- integers ---------------------------------------------------------------------------------

    private static void formatInt(StringBuilder out, long v, int verb, Spec f) {
        switch (verb) {
            case 'v', 'd' -> intDigits(out, v, 10, verb, f, false);
            case 'b' -> intDigits(out, v, 2, verb, f, false);
            case 'o', 'O' -> intDigits(out, v, 8, verb, f, false);
            case 'x' -> intDigits(out, v, 16, verb, f, false);
            case 'X' -> intDigits(out, v, 16, verb, f, true);
            case 'c' -> pad(out, new String(Character.toChars(validRune(v))), f);
            case 'q' -> pad(out, GoQuote.quoteRune(validRune(v), f.plus), f);
            case 'U' -> formatUnicode(out, v, f);
            default -> badVerb(out, new Int(BigInteger.valueOf(v), false), verb, f);
        }
    }

    private static int validRune(long v) {
        if (v < 0 || v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) return 0xFFFD;
        return (int) v;
    }

    private static void intDigits(StringBuilder out, long v, int base, int verb, Spec f, boolean upper) {
        boolean negative = v < 0;
        String digits = negative ? BigInteger.valueOf(v).negate().toString(base) : Long.toString(v, base);
        if (upper) digits = digits.toUpperCase();
        int prec = 0;
        if (f.precPresent) {
            prec = f.prec;
            if (prec == 0 && v == 0) {
                boolean oldZero = f.zero;
                f.zero = false;
                pad(out, "", f);
                f.zero = oldZero;
                return;
            }
        } else if (f.zero && !f.minus && f.widPresent) {
            prec = f.wid;
            if (negative || f.plus || f.space) prec--;
        }
        StringBuilder sb = new StringBuilder();
        if (digits.length() < prec) sb.append("0".repeat(prec - digits.length()));
        sb.append(digits);
        if (f.sharp) {
            switch (base) {
                case 2 -> sb.insert(0, "0b");
                case 8 -> { if (sb.charAt(0) != '0') sb.insert(0, '0'); }
                case 16 -> sb.insert(0, upper ? "0X" : "0x");
                default -> {}
            }
        }
        if (verb == 'O') sb.insert(0, "0o");
        if (negative) sb.insert(0, '-');
        else if (f.plus) sb.insert(0, '+');
        else if (f.space) sb.insert(0, ' ');
        boolean oldZero = f.zero;
        f.zero = false;
        pad(out, sb.toString(), f);
        f.zero = oldZero;
    }

    private static void formatUnicode(StringBuilder out, long v, Spec f) {
        String hex = Long.toHexString(v).toUpperCase();
        if (v < 0) hex = BigInteger.valueOf(v).add(BigInteger.ONE.shiftLeft(64)).toString(16).toUpperCase();
        int prec = f.precPresent && f.prec > 4 ? f.prec : 4;
        StringBuilder sb = new StringBuilder("U+");
        if (hex.length() < prec) sb.append("0".repeat(prec - hex.length()));
        sb.append(hex);
        if (f.sharp && v >= 0 && v <= Character.MAX_CODE_POINT && GoQuote.isPrint((int) v))
            sb.append(" '").appendCodePoint((int) v).append('\'');
        boolean oldZero = f.zero;
        f.zero = false;
        pad(out, sb.toString(), f);
        f.zero = oldZero;
    }

    /** {@code *big.Int}'s own Format method (which pads differently from fmt's int path). */
    private static void formatBig(StringBuilder out, BigInteger x, int verb, Spec f) {
        int base;
        switch (verb) {
            case 'b' -> base = 2;
            case 'o', 'O' -> base = 8;
            case 'd', 's', 'v' -> base = 10;
            case 'x', 'X' -> base = 16;
            default -> { out.append("%!").appendCodePoint(verb).append("(big.Int=").append(x).append(')'); return; }
        }
        String sign = x.signum() < 0 ? "-" : f.plus ? "+" : f.space ? " " : "";
        boolean sharp = f.sharp || f.sharpV;
        String prefix = "";
        if (sharp) {
            prefix = switch (verb) {
                case 'b' -> "0b";
                case 'o' -> "0";
                case 'x' -> "0x";
                case 'X' -> "0X";
                default -> "";
            };
        }
        if (verb == 'O') prefix = "0o";
        String digits = x.abs().toString(base);
        if (verb == 'X') digits = digits.toUpperCase();
        int zeros = 0, left = 0, right = 0;
        if (f.precPresent) {
            if (digits.length() < f.prec) zeros = f.prec - digits.length();
            else if (digits.equals("0") && f.prec == 0) return;
        }
        int length = sign.length() + prefix.length() + zeros + digits.length();
        if (f.widPresent && length < f.wid) {
            int d = f.wid - length;
            if (f.minus) right = d;
            else if (f.zero && !f.precPresent) zeros = d;
            else left = d;
        }
        out.append(" ".repeat(left)).append(sign).append(prefix).append("0".repeat(zeros)).append(digits).append(" ".repeat(right));
    }

    // --- floats -----------------------------------------------------------------------------------

    private static void formatFloat(StringBuilder out, double v, int verb, Spec f) {
        String num;
        switch (verb) {
            case 'v' -> num = formatDecimal(v, 'g', f.precPresent ? f.prec : -1);
            case 'g', 'G', 'e', 'E', 'f', 'F' -> {
                int prec = f.precPresent ? f.prec : (verb == 'g' || verb == 'G' ? -1 : 6);
                num = formatDecimal(v, verb, prec);
            }
            case 'x', 'X' -> num = hexFloat(v, verb == 'X');
            case 'b' -> num = binaryFloat(v);
            default -> { badVerb(out, new Float(v), verb, f); return; }
        }
        if (!num.startsWith("-")) num = "+" + num;
        if (f.space && num.charAt(0) == '+' && !f.plus) num = " " + num.substring(1);
        if (f.plus || num.charAt(0) != '+') {
            if (f.zero && !f.minus && f.widPresent && f.wid > num.length()) {
                out.append(num.charAt(0)).append("0".repeat(f.wid - num.length())).append(num, 1, num.length());
                return;
            }
            pad(out, num, f);
            return;
        }
        pad(out, num.substring(1), f);
    }

    /** Decimal digits d (no leading or trailing zeros; empty for zero) with value 0.d × 10^dp. */
    private record Digits(String d, int dp) {
        static Digits of(BigDecimal abs) {
            if (abs.signum() == 0) return new Digits("", 0);
            BigDecimal s = abs.stripTrailingZeros();
            String u = s.unscaledValue().toString();
            return new Digits(u, u.length() - s.scale());
        }
    }

    /** strconv.FormatFloat(v, verb, prec, 64) for e, E, f, F, g, G. */
    static String formatDecimal(double v, int verb, int prec) {
        boolean neg = v < 0 || (v == 0 && 1 / v < 0);
        double abs = Math.abs(v);
        boolean shortest = prec < 0;
        Digits digs;
        if (shortest) {
            digs = Digits.of(abs == 0 ? BigDecimal.ZERO : new BigDecimal(Double.toString(abs)));
            switch (verb) {
                case 'e', 'E' -> prec = Math.max(digs.d().length() - 1, 0);
                case 'f', 'F' -> prec = Math.max(digs.d().length() - digs.dp(), 0);
                default -> prec = digs.d().length();
            }
        } else {
            BigDecimal exact = new BigDecimal(abs);
            switch (verb) {
                case 'e', 'E' -> digs = Digits.of(abs == 0 ? BigDecimal.ZERO : exact.round(new MathContext(prec + 1, RoundingMode.HALF_EVEN)));
                case 'f', 'F' -> digs = Digits.of(exact.setScale(prec, RoundingMode.HALF_EVEN));
                default -> {
                    if (prec == 0) prec = 1;
                    digs = Digits.of(abs == 0 ? BigDecimal.ZERO : exact.round(new MathContext(prec, RoundingMode.HALF_EVEN)));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        if (neg) sb.append('-');
        switch (verb) {
            case 'e', 'E' -> fmtE(sb, digs, prec, (char) verb);
            case 'f', 'F' -> fmtF(sb, digs, prec);
            default -> {
                int eprec = prec;
                int nd = digs.d().length();
                if (eprec > nd && nd >= digs.dp()) eprec = nd;
                if (shortest) eprec = 6;
                int exp = digs.dp() - 1;
                if (exp < -4 || exp >= eprec) {
                    if (prec > nd) prec = nd;
                    fmtE(sb, digs, prec - 1, verb == 'G' ? 'E' : 'e');
                } else {
                    if (prec > digs.dp()) prec = nd;
                    fmtF(sb, digs, Math.max(prec - digs.dp(), 0));
                }
            }
        }
        return sb.toString();
    }

    private static void fmtE(StringBuilder sb, Digits digs, int prec, char e) {
        String d = digs.d();
        int nd = d.length();
        sb.append(nd == 0 ? '0' : d.charAt(0));
        if (prec > 0) {
            sb.append('.');
            int i = 1;
            int m = Math.min(nd, prec + 1);
            if (i < m) { sb.append(d, i, m); i = m; }
            for (; i <= prec; i++) sb.append('0');
        }
        sb.append(e);
        int exp = nd == 0 ? 0 : digs.dp() - 1;
        sb.append(exp < 0 ? '-' : '+');
        exp = Math.abs(exp);
        if (exp < 10) sb.append('0');
        sb.append(exp);
    }

    private static void fmtF(StringBuilder sb, Digits digs, int prec) {
        String d = digs.d();
        int nd = d.length(), dp = digs.dp();
        if (dp > 0) {
            int m = Math.min(nd, dp);
            sb.append(d, 0, m);
            for (; m < dp; m++) sb.append('0');
        } else {
            sb.append('0');
        }
        if (prec > 0) {
            sb.append('.');
            for (int i = 1; i <= prec; i++) {
                int j = dp + i - 1;
                sb.append(j >= 0 && j < nd ? d.charAt(j) : '0');
            }
        }
    }

    /** %x of a float64: Go's hexadecimal mantissa and binary exponent ("0x1.8p+01"). */
    private static String hexFloat(double v, boolean upper) {
        String sign = v < 0 ? "-" : "";
        double abs = Math.abs(v);
        String s;
        if (abs == 0) s = "0x0p+00";
        else {
            int exp = Math.getExponent(abs);
            long mant = Double.doubleToRawLongBits(abs) & 0x000FFFFFFFFFFFFFL;
            if (exp < Double.MIN_EXPONENT) { // subnormal: normalise
                int shift = Long.numberOfLeadingZeros(mant) - 11;
                mant = (mant << shift) & 0x000FFFFFFFFFFFFFL;
                exp = Double.MIN_EXPONENT - shift;
            }
            String frac = String.format("%013x", mant).replaceAll("0+$", "");
            String es = (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
            s = "0x1" + (frac.isEmpty() ? "" : "." + frac) + "p" + es;
        }
        return sign + (upper ? s.toUpperCase() : s);
    }

    /** %b of a float64: decimal mantissa and binary exponent ("4503599627370496p-52"). */
    private static String binaryFloat(double v) {
        long bits = Double.doubleToRawLongBits(v);
        long mant = bits & 0x000FFFFFFFFFFFFFL;
        int exp = (int) ((bits >>> 52) & 0x7FF);
        if (exp == 0) exp = 1; else mant |= 1L << 52;
        exp -= 1023 + 52;
        return (v < 0 ? "-" : "") + mant + "p" + (exp >= 0 ? "+" : "") + exp;
    }

    // --- strings ----------------------------------------------------------------------------------

    private static void formatString(StringBuilder out, String s, int verb, Spec f) {
        switch (verb) {
            case 'v' -> {
                if (f.sharpV) pad(out, GoQuote.quote(s), f);
                else pad(out, truncate(s, f), f);
            }
            case 's' -> pad(out, truncate(s, f), f);
            case 'q' -> {
                String t = truncate(s, f);
                if (f.sharp && GoQuote.canBackquote(t)) pad(out, "`" + t + "`", f);
                else {
                    StringBuilder q = new StringBuilder();
                    GoQuote.quote(t, f.plus, q);
                    pad(out, q.toString(), f);
                }
            }
            case 'x', 'X' -> pad(out, hexBytes(s, f, verb == 'X'), f);
            default -> badVerb(out, new Str(s), verb, f);
        }
    }

    private static String truncate(String s, Spec f) {
        if (f.precPresent && s.codePointCount(0, s.length()) > f.prec) return s.substring(0, s.offsetByCodePoints(0, f.prec));
        return s;
    }

    private static String hexBytes(String s, Spec f, boolean upper) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int length = b.length;
        if (f.precPresent && f.prec < length) length = f.prec;
        String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        StringBuilder sb = new StringBuilder();
        if (length <= 0) return "";
        if (f.sharp && !f.space) sb.append(upper ? "0X" : "0x");
        for (int i = 0; i < length; i++) {
            if (f.space && i > 0) sb.append(' ');
            if (f.space && f.sharp) sb.append(upper ? "0X" : "0x");
            sb.append(digits.charAt((b[i] >> 4) & 0xF)).append(digits.charAt(b[i] & 0xF));
        }
        return sb.toString();
    }
}
