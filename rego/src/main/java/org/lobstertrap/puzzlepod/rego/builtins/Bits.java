package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.util.function.BinaryOperator;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Bitwise builtins on integers of any size, with two's-complement semantics for negatives (like Go's
 * {@code big.Int}): {@code bits.lsh(9223372036854775807, 1)} is 18446744073709551614.
 */
final class Bits {
    private Bits() {}

    /** Results wider than this many bits are refused instead of exhausting memory. */
    static final int MAX_BITS = 1 << 20;

    static void register(BuiltinRegistry r) {
        binary(r, "bits.and", BigInteger::and);
        binary(r, "bits.or", BigInteger::or);
        binary(r, "bits.xor", BigInteger::xor);
        r.register("bits.negate", 1, (c, a) -> NumberValue.of(IntegerOperands.big("bits.negate", a, 0).not()));
        r.register("bits.lsh", 2, (c, a) -> {
            BigInteger x = IntegerOperands.big("bits.lsh", a, 0);
            int n = shiftAmount("bits.lsh", a);
            if ((long) x.bitLength() + n > MAX_BITS && x.signum() != 0)
                throw RegoException.builtin("bits.lsh", "result exceeds " + MAX_BITS + " bits");
            return NumberValue.of(x.shiftLeft(n));
        });
        r.register("bits.rsh", 2, (c, a) -> {
            BigInteger x = IntegerOperands.big("bits.rsh", a, 0);
            int n = shiftAmount("bits.rsh", a);
            return NumberValue.of(x.shiftRight(n));
        });
    }

    private static void binary(BuiltinRegistry r, String name, BinaryOperator<BigInteger> op) {
        r.register(name, 2, (c, a) -> NumberValue.of(op.apply(IntegerOperands.big(name, a, 0), IntegerOperands.big(name, a, 1))));
    }

    private static int shiftAmount(String fn, Value[] a) throws RegoException {
        BigInteger n = IntegerOperands.big(fn, a, 1);
        if (n.signum() < 0)
            throw RegoException.typeError(fn, "operand 2 must be an unsigned integer number but got a negative integer");
        // Shifting right by more than any operand's width gives 0 or -1; clamp to keep int arithmetic.
        return n.bitLength() > 30 ? Integer.MAX_VALUE : n.intValue();
    }
}
