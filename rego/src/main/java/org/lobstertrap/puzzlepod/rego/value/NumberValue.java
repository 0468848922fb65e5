package org.lobstertrap.puzzlepod.rego.value;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact number. Integers that fit in a long are kept as a long (the fast path); everything else as
 * a normalised {@link BigDecimal} (trailing zeros stripped), so equal numbers are equal objects.
 */
public final class NumberValue implements Value {
    private static final NumberValue[] SMALL = new NumberValue[1024 + 128];
    static { for (int i = 0; i < SMALL.length; i++) SMALL[i] = new NumberValue(i - 128, null); }
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final long small;
    private final BigDecimal big; // null when the value is the long `small`

    private NumberValue(long small, BigDecimal big) { this.small = small; this.big = big; }

    public static NumberValue of(long v) {
        return v >= -128 && v < SMALL.length - 128 ? SMALL[(int) v + 128] : new NumberValue(v, null);
    }

    public static NumberValue of(BigInteger v) {
        // normalised like of(BigDecimal): 10^19 must equal the parsed literal 10000000000000000000
        return v.bitLength() < 64 ? of(v.longValue()) : new NumberValue(0, new BigDecimal(v).stripTrailingZeros());
    }

    public static NumberValue of(BigDecimal v) {
        if (v.signum() == 0) return of(0);
        BigDecimal s = v.stripTrailingZeros();
        if (s.scale() <= 0 && s.compareTo(LONG_MIN) >= 0 && s.compareTo(LONG_MAX) <= 0) return of(s.longValueExact());
        return new NumberValue(0, s);
    }

    /**
     * A number from a double, through its shortest decimal text (so 0.1 stays 0.1). NaN and infinities
     * have no Rego number: the caller must reject them first.
     */
    public static NumberValue of(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new ArithmeticException("not a finite number: " + d);
        if (d == Math.rint(d) && Math.abs(d) < 9.0e15) return of((long) d);
        return of(new BigDecimal(Double.toString(d)));
    }

    /** Parses a JSON/Rego number literal exactly ("12", "-3.5e10"); throws NumberFormatException. */
    public static NumberValue parse(String literal) {
        boolean plainInt = !literal.isEmpty() && literal.length() < 19;
        for (int i = 0; i < literal.length() && plainInt; i++) {
            char c = literal.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-' && literal.length() > 1)) plainInt = false;
        }
        return plainInt ? of(Long.parseLong(literal)) : of(new BigDecimal(literal));
    }

    /** True when the value is an integer (of any size). */
    public boolean isInteger() { return big == null || big.scale() <= 0; }

    /** True when the value is an integer that fits in a long. */
    public boolean isLong() { return big == null; }

    /** The long value; only valid when {@link #isLong()}. */
    public long longValue() {
        if (big != null) throw new ArithmeticException("not a long: " + big);
        return small;
    }

    /** The integer value, or null when the number is not an integer. */
    public BigInteger bigIntegerOrNull() {
        if (big == null) return BigInteger.valueOf(small);
        return big.scale() <= 0 ? big.toBigIntegerExact() : null;
    }

    public BigDecimal bigDecimal() { return big != null ? big : BigDecimal.valueOf(small); }

    /** Nearest double (may lose precision; for builtins that are defined on floats). */
    public double doubleValue() { return big != null ? big.doubleValue() : (double) small; }

    public int signum() { return big != null ? big.signum() : Long.signum(small); }

    @Override public int typeOrder() { return 2; }
    @Override public String typeName() { return "number"; }

    @Override public int compareSameType(Value other) {
        NumberValue o = (NumberValue) other;
        if (big == null && o.big == null) return Long.compare(small, o.small);
        return bigDecimal().compareTo(o.bigDecimal());
    }

    @Override public boolean equals(Object o) {
        if (!(o instanceof NumberValue n)) return false;
        if (big == null && n.big == null) return small == n.small;
        if (big == null || n.big == null) return false; // normalised: a long-sized integer is never big
        return big.equals(n.big);
    }

    @Override public int hashCode() { return big == null ? Long.hashCode(small) : big.hashCode(); }

    /** Plain decimal text, no exponent ("1", "-2.5", "100000000000000000000"). */
    @Override public String toString() { return big == null ? Long.toString(small) : big.toPlainString(); }
}
