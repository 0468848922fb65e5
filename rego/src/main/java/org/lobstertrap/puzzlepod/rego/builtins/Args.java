package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Operand checks with OPA's wording: {@code "<name>: operand 1 must be string but got number"}
 * ({@code eval_type_error}). Operands are numbered from 1.
 */
public final class Args {
    private Args() {}

    public static String string(String fn, Value[] args, int i) throws RegoException {
        if (args[i] instanceof StringValue s) return s.value();
        throw mismatch(fn, i, "string", args[i]);
    }

    public static NumberValue number(String fn, Value[] args, int i) throws RegoException {
        if (args[i] instanceof NumberValue n) return n;
        throw mismatch(fn, i, "number", args[i]);
    }

    public static ArrayValue array(String fn, Value[] args, int i) throws RegoException {
        if (args[i] instanceof ArrayValue a) return a;
        throw mismatch(fn, i, "array", args[i]);
    }

    public static SetValue set(String fn, Value[] args, int i) throws RegoException {
        if (args[i] instanceof SetValue s) return s;
        throw mismatch(fn, i, "set", args[i]);
    }

    public static ObjectValue object(String fn, Value[] args, int i) throws RegoException {
        if (args[i] instanceof ObjectValue o) return o;
        throw mismatch(fn, i, "object", args[i]);
    }

    public static boolean bool(String fn, Value[] args, int i) throws RegoException {
        if (args[i] instanceof org.lobstertrap.puzzlepod.rego.value.BooleanValue b) return b.value();
        throw mismatch(fn, i, "boolean", args[i]);
    }

    /** "operand N must be WANT but got TYPE" as an eval_type_error. {@code want} may be "one of {a, b}". */
    public static RegoException mismatch(String fn, int i, String want, Value got) {
        return RegoException.typeError(fn, "operand " + (i + 1) + " must be " + want + " but got " + got.typeName());
    }
}
