package org.lobstertrap.puzzlepod.rego.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.ast.*;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Rejects recursive rules and functions ({@code rego_recursion_error}): builds the graph "rule or
 * function → rules and functions it refers to" and looks for a cycle.
 */
final class RecursionCheck {
    private final Plan plan;
    private final Map<Object, Set<Object>> deps = new HashMap<>();
    private final Map<Object, Location> where = new HashMap<>();

    private RecursionCheck(Plan plan) { this.plan = plan; }

    static void check(Plan plan) throws RegoException { new RecursionCheck(plan).run(); }

    private void run() throws RegoException {
        addNodes(plan.root());
        for (var e : plan.functions().entrySet()) {
            Set<Object> d = deps.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>());
            for (CompiledRule r : e.getValue()) addRule(r, d, e.getKey());
            CompiledRule def = plan.defaultFunctions().get(e.getKey());
            if (def != null) addRule(def, d, e.getKey());
        }
        Map<Object, Integer> state = new HashMap<>();
        for (Object n : deps.keySet()) {
            List<Object> stack = new ArrayList<>();
            Object cyc = dfs(n, state, stack);
            if (cyc != null) {
                int from = stack.indexOf(cyc);
                StringBuilder sb = new StringBuilder();
                for (int i = from; i < stack.size(); i++) sb.append(name(stack.get(i))).append(" -> ");
                sb.append(name(cyc));
                Location l = where.getOrDefault(cyc, Location.NONE);
                throw new RegoException(RegoException.RECURSION, "rule " + name(cyc) + " is recursive: " + sb, l.file(), l.row(), l.col());
            }
        }
    }

    private Object dfs(Object n, Map<Object, Integer> state, List<Object> stack) {
        Integer s = state.get(n);
        if (s != null && s == 2) return null;
        if (s != null && s == 1) return n;
        state.put(n, 1);
        stack.add(n);
        for (Object d : deps.getOrDefault(n, Set.of())) {
            Object c = dfs(d, state, stack);
            if (c != null) return c;
        }
        stack.removeLast();
        state.put(n, 2);
        return null;
    }

    private static String name(Object n) {
        if (n instanceof String s) return s;
        StringBuilder sb = new StringBuilder("data");
        for (Value v : ((RuleNode) n).path()) sb.append('.').append(v instanceof StringValue s ? s.value() : v.toJson());
        return sb.toString();
    }

    private void addNodes(RuleNode node) {
        if (node.hasRules()) {
            Set<Object> d = deps.computeIfAbsent(node, k -> new LinkedHashSet<>());
            for (CompiledRule r : node.rules()) addRule(r, d, node);
            if (node.defaultRule() != null) addRule(node.defaultRule(), d, node);
        }
        for (RuleNode c : node.children().values()) addNodes(c);
    }

    private void addRule(CompiledRule r, Set<Object> d, Object owner) {
        where.putIfAbsent(owner, r.loc());
        for (CompiledRule x = r; x != null; x = x.elseRule()) {
            for (Expr e : x.body()) expr(e, d);
            for (Term t : x.dynPath()) term(t, d);
            if (x.key() != null) term(x.key(), d);
            term(x.value(), d);
            if (x.args() != null) for (Term t : x.args()) term(t, d);
        }
    }

    private void expr(Expr e, Set<Object> d) {
        switch (e.literal()) {
            case Literal.TermLit t -> term(t.term(), d);
            case Literal.Unify u -> { term(u.left(), d); term(u.right(), d); }
            case Literal.Assign a -> { term(a.left(), d); term(a.right(), d); }
            case Literal.SomeDecl s -> {}
            case Literal.SomeIn s -> { if (s.key() != null) term(s.key(), d); term(s.value(), d); term(s.collection(), d); }
            case Literal.Every ev -> { term(ev.collection(), d); for (Expr x : ev.body().exprs()) expr(x, d); }
        }
        for (With w : e.withs()) { term(w.value(), d); }
    }

    private void term(Term t, Set<Object> d) {
        switch (t) {
            case Ref r -> {
                if (!(r.head() instanceof Var)) term(r.head(), d);
                for (Term p : r.path()) term(p, d);
                if (r.head() instanceof Var v && v.name().equals("data")) dataRef(r.path(), d);
            }
            case Var v -> { if (v.name().equals("data")) dataRef(List.of(), d); }
            case ArrayTerm a -> { for (Term x : a.items()) term(x, d); }
            case SetTerm a -> { for (Term x : a.items()) term(x, d); }
            case ObjectTerm o -> { for (Term x : o.keys()) term(x, d); for (Term x : o.values()) term(x, d); }
            case Call c -> {
                if (plan.functions().containsKey(c.name())) d.add(c.name());
                for (Term x : c.args()) term(x, d);
            }
            case FuncRef f -> { if (plan.functions().containsKey(f.name())) d.add(f.name()); }
            case ArrayCompr a -> { term(a.head(), d); for (Expr x : a.body().exprs()) expr(x, d); }
            case SetCompr a -> { term(a.head(), d); for (Expr x : a.body().exprs()) expr(x, d); }
            case ObjectCompr a -> { term(a.key(), d); term(a.value(), d); for (Expr x : a.body().exprs()) expr(x, d); }
            case Scalar s -> {}
        }
    }

    private void dataRef(List<Term> path, Set<Object> d) {
        RuleNode n = plan.root();
        for (Term p : path) {
            if (n.hasRules()) { d.add(n); return; }
            if (!(p instanceof Scalar s)) { subtree(n, d); return; }
            RuleNode c = n.children().get(s.value());
            if (c == null) return;
            n = c;
        }
        subtree(n, d);
    }

    private void subtree(RuleNode n, Set<Object> d) {
        if (n.hasRules()) d.add(n);
        for (RuleNode c : n.children().values()) subtree(c, d);
    }
}
