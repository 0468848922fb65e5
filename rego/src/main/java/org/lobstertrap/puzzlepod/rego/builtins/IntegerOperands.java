package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Integer operand checks with OPA's wording ({@code "operand 2 must be integer number but got
 * floating-point number"}, an {@code eval_type_error}).
 */
final class IntegerOperands {
    private IntegerOperands() {}

    /** An integer operand of any size. */
    static BigInteger big(String fn, Value[] args, int i) throws RegoException {
        NumberValue n = Args.number(fn, args, i);
        BigInteger b = n.bigIntegerOrNull();
        if (b == null) throw notInteger(fn, i);
        return b;
    }

    /** An integer operand that must fit in an int (Go's {@code int} on the operands OPA reads as int). */
    static int small(String fn, Value[] args, int i) throws RegoException {
        BigInteger b = big(fn, args, i);
        if (b.bitLength() > 31) throw RegoException.typeError(fn, "operand " + (i + 1) + " must be integer number but got out-of-range number");
        return b.intValue();
    }

    /** An integer operand that must fit in a long. */
    static long longValue(String fn, Value[] args, int i) throws RegoException {
        BigInteger b = big(fn, args, i);
        if (b.bitLength() > 63) throw RegoException.typeError(fn, "operand " + (i + 1) + " must be integer number but got out-of-range number");
        return b.longValue();
    }

    static RegoException notInteger(String fn, int i) {
        return RegoException.typeError(fn, "operand " + (i + 1) + " must be integer number but got floating-point number");
    }
}
