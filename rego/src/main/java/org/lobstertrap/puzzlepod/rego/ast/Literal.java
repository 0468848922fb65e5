package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** The kinds of body literal. */
public sealed interface Literal {
    /** A term that must be defined and not false. */
    record TermLit(Term term) implements Literal {}
    /** {@code a = b}. */
    record Unify(Term left, Term right) implements Literal {}
    /** {@code a := b} (declares the variables of {@code left}). */
    record Assign(Term left, Term right) implements Literal {}
    /** {@code some x, y}. */
    record SomeDecl(List<Var> vars) implements Literal {}
    /** {@code some [key,] value in collection}; key may be null. */
    record SomeIn(Term key, Term value, Term collection) implements Literal {}
    /** {@code every [key,] value in collection { body }}; key may be null. */
    record Every(Term key, Term value, Term collection, Body body) implements Literal {}
}
