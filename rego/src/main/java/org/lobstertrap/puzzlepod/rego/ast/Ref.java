package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/** A reference {@code head.a[b]…}: the head term and the path of key terms. */
public record Ref(Term head, List<Term> path, Location loc) implements Term {}
