package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** A conjunction of expressions (a query, a rule body, a comprehension body). */
public record Body(List<Expr> exprs) {}
