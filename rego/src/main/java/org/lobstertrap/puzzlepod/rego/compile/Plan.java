package org.lobstertrap.puzzlepod.rego.compile;

import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinRegistry;

/**
 * The compiled policy: the rule tree under {@code data}, functions by full path, and the builtin table.
 * Immutable after compilation; shared by concurrent evaluations.
 */
public record Plan(RuleNode root, Map<String, List<CompiledRule>> functions, Map<String, CompiledRule> defaultFunctions,
                   BuiltinRegistry builtins) {
    /** The arity of a user function or builtin, or -1 when unknown. */
    public int arity(String name) {
        List<CompiledRule> f = functions.get(name);
        if (f != null && !f.isEmpty()) return f.get(0).args().size();
        CompiledRule d = defaultFunctions.get(name);
        if (d != null) return d.args().size();
        var b = builtins.lookup(name);
        return b != null ? b.arity() : -1;
    }
}
