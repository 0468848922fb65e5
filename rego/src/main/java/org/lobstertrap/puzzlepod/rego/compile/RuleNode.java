package org.lobstertrap.puzzlepod.rego.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A node of the virtual document tree under {@code data}: the rules attached at this path and the child
 * nodes. Mutable only while the compiler builds it; read-only afterwards.
 */
public final class RuleNode {
    private final List<Value> path;
    final Map<Value, RuleNode> children = new LinkedHashMap<>();
    final List<CompiledRule> rules = new ArrayList<>();
    CompiledRule defaultRule;

    RuleNode(List<Value> path) { this.path = path; }

    public List<Value> path() { return path; }
    public Map<Value, RuleNode> children() { return children; }
    public List<CompiledRule> rules() { return rules; }
    public CompiledRule defaultRule() { return defaultRule; }
    public boolean hasRules() { return !rules.isEmpty() || defaultRule != null; }

    RuleNode child(Value key) {
        return children.computeIfAbsent(key, k -> {
            List<Value> p = new ArrayList<>(path);
            p.add(k);
            return new RuleNode(List.copyOf(p));
        });
    }
}
