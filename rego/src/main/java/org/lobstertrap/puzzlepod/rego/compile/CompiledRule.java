package org.lobstertrap.puzzlepod.rego.compile;

import java.util.List;
import org.lobstertrap.puzzlepod.rego.ast.Expr;
import org.lobstertrap.puzzlepod.rego.ast.Location;
import org.lobstertrap.puzzlepod.rego.ast.Term;

/**
 * One compiled rule definition, body ordered for safety. {@code dynPath} holds the head keys after the
 * node the rule is attached to (object-producing rules), {@code key} the element of a set rule,
 * {@code value} the value (never null), {@code args} the parameters of a function.
 */
public record CompiledRule(Kind kind, List<Term> dynPath, Term key, Term value, List<Term> args,
                           List<Expr> body, CompiledRule elseRule, boolean isDefault, Location loc) {
    /** What a rule contributes to its node. */
    public enum Kind { COMPLETE, SET, OBJECT, FUNCTION }
}
