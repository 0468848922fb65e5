package org.lobstertrap.puzzlepod.rego.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.compile.RuleNode;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * What a part of a query evaluates against: input, base data, {@code with} replacements of data paths
 * and functions, and the per-environment cache of rule values. A {@code with} creates a child
 * environment (fresh cache), so memoised values never leak across replacements.
 */
final class Env {
    /** A data path replaced by {@code with data.… as v}. */
    record Override(List<Value> path, Value value) {}

    /** A function or builtin replaced by {@code with f as g} (fn set) or {@code with f as value}. */
    record Mock(String fn, Value value) {}

    final Value input;
    final Value data;
    final List<Override> overrides;
    final Map<String, Mock> mocks;
    final Map<RuleNode, Value> cache = new HashMap<>();
    final Set<RuleNode> inProgress = new HashSet<>();

    Env(Value input, Value data, List<Override> overrides, Map<String, Mock> mocks) {
        this.input = input;
        this.data = data;
        this.overrides = overrides;
        this.mocks = mocks;
    }

    Env withInput(Value in) { return new Env(in, data, overrides, mocks); }

    Env withOverride(List<Value> path, Value v) {
        List<Override> o = new ArrayList<>();
        for (Override x : overrides) if (!startsWith(x.path(), path)) o.add(x);
        o.add(new Override(List.copyOf(path), v));
        return new Env(input, data, o, mocks);
    }

    Env withMock(String name, Mock m) {
        Map<String, Mock> mm = new HashMap<>(mocks);
        mm.put(name, m);
        return new Env(input, data, overrides, mm);
    }

    Env withoutMocks() { return mocks.isEmpty() ? this : new Env(input, data, overrides, Map.of()); }

    Override exact(List<Value> path) {
        for (int i = overrides.size() - 1; i >= 0; i--) if (overrides.get(i).path().equals(path)) return overrides.get(i);
        return null;
    }

    boolean anyBelow(List<Value> path) {
        for (Override o : overrides) if (o.path().size() > path.size() && startsWith(o.path(), path)) return true;
        return false;
    }

    static boolean startsWith(List<Value> path, List<Value> prefix) {
        if (path.size() < prefix.size()) return false;
        for (int i = 0; i < prefix.size(); i++) if (!path.get(i).equals(prefix.get(i))) return false;
        return true;
    }
}
