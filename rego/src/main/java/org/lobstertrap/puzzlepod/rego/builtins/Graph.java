package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code graph.reachable} and {@code graph.reachable_paths} over an adjacency object
 * ({@code node → set or array of neighbours}). ({@code walk} is part of the evaluator.)
 */
final class Graph {
    private Graph() {}

    static void register(BuiltinRegistry r) {
        r.register("graph.reachable", 2, (ctx, a) -> {
            ObjectValue graph = Args.object("graph.reachable", a, 0);
            ArrayDeque<Value> queue = new ArrayDeque<>(nodes("graph.reachable", a[1]));
            SetValue.Builder reached = SetValue.builder();
            while (!queue.isEmpty()) {
                ctx.checkBudget();
                Value node = queue.poll();
                Value edges = graph.get(node);
                // Only nodes that are keys of the graph count as reached.
                if (edges == null || reached.contains(node)) continue;
                reached.add(node);
                for (Value n : neighbours(edges)) if (!reached.contains(n)) queue.add(n);
            }
            return reached.build();
        });
        r.register("graph.reachable_paths", 2, (ctx, a) -> {
            ObjectValue graph = Args.object("graph.reachable_paths", a, 0);
            SetValue.Builder paths = SetValue.builder();
            Set<Value> expanded = new HashSet<>();
            for (Value start : nodes("graph.reachable_paths", a[1])) {
                List<Value> path = new ArrayList<>();
                path.add(start);
                paths(ctx, graph, start, path, paths, expanded);
            }
            return paths.build();
        });
    }

    private static List<Value> nodes(String fn, Value v) throws RegoException {
        return switch (v) {
            case SetValue s -> List.of(s.sortedElements());
            case ArrayValue arr -> arr.asList();
            default -> throw Args.mismatch(fn, 1, "one of {set, array}", v);
        };
    }

    private static List<Value> neighbours(Value edges) {
        return switch (edges) {
            case SetValue s -> List.of(s.sortedElements());
            case ArrayValue arr -> arr.asList();
            default -> List.of(); // null or a scalar: no edges
        };
    }

    /**
     * Depth-first enumeration of maximal paths, matching OPA's results: a node stops the walk once it
     * has been expanded towards a neighbour that is itself in the graph (so cycles end, and a shared
     * sub-path is reported once); a neighbour missing from the graph ends the path before it.
     */
    private static void paths(BuiltinContext ctx, ObjectValue graph, Value node, List<Value> path,
                              SetValue.Builder out, Set<Value> expanded) throws RegoException {
        ctx.checkBudget();
        Value edges = graph.get(node);
        if (edges == null) {
            if (path.size() > 1) out.add(ArrayValue.of(path.subList(0, path.size() - 1)));
            return;
        }
        List<Value> next = neighbours(edges);
        if (next.isEmpty()) {
            out.add(ArrayValue.of(path));
            return;
        }
        for (Value n : next) {
            if (expanded.contains(n)) {
                out.add(ArrayValue.of(path));
                continue;
            }
            if (graph.get(n) != null) expanded.add(node);
            path.add(n);
            paths(ctx, graph, n, path, out, expanded);
            path.remove(path.size() - 1);
        }
    }
}
