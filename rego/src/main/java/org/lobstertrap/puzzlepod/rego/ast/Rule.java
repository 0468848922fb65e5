package org.lobstertrap.puzzlepod.rego.ast;

import java.util.List;

/**
 * One rule definition. {@code head} is the rule's reference ({@code p}, {@code p.a[x]}) relative to the
 * package; {@code args} is non-null for functions; {@code key} is the element of a {@code contains}
 * rule; {@code value} the value term (null means {@code true}); {@code elseRule} the next else branch.
 */
public record Rule(Ref head, List<Term> args, Term key, Term value, Body body, Rule elseRule,
                   boolean isDefault, boolean assign, Location loc) {
    public boolean isFunction() { return args != null; }
    public boolean isSetRule() { return key != null; }
}
