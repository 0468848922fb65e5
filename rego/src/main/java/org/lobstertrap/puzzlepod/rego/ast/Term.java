package org.lobstertrap.puzzlepod.rego.ast;

/** A Rego term: a value-producing piece of an expression. */
public sealed interface Term permits Var, Scalar, Ref, ArrayTerm, ObjectTerm, SetTerm, Call, ArrayCompr, SetCompr, ObjectCompr, FuncRef {
    Location loc();
}
