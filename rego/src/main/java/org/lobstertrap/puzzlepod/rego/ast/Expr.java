package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** One literal of a body: an expression, optionally negated, with {@code with} modifiers. */
public record Expr(Literal literal, boolean negated, List<With> withs, Location loc) {
    public Expr withLiteral(Literal l) { return new Expr(l, negated, withs, loc); }
}
