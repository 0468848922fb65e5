package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A built-in function. Returns the result, or null for "undefined". Throws {@link RegoException}
 * ({@link RegoException#builtin} / {@link RegoException#typeError}) on bad input: the evaluator turns
 * that into undefined unless strict builtin errors are on.
 */
@FunctionalInterface
public interface Builtin {
    Value call(BuiltinContext ctx, Value[] args) throws RegoException;
}
