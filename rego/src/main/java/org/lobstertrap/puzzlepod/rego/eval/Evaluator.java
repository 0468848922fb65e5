package org.lobstertrap.puzzlepod.rego.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.EvalOptions;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.ast.*;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinContext;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinSpec;
import org.lobstertrap.puzzlepod.rego.compile.CompiledRule;
import org.lobstertrap.puzzlepod.rego.compile.Plan;
import org.lobstertrap.puzzlepod.rego.compile.RuleNode;
import org.lobstertrap.puzzlepod.rego.value.*;

/**
 * Top-down evaluation with unification and backtracking, in continuation-passing style: iterating
 * a collection calls the continuation once per element, so the Java stack grows with the number of
 * literals and nesting, not with the number of solutions. One evaluator per query; not thread-safe.
 */
public final class Evaluator implements BuiltinContext {
    /** Continuation: the rest of the body. */
    @FunctionalInterface interface K { void run() throws RegoException; }
    /** Continuation receiving a value. */
    @FunctionalInterface interface VK { void accept(Value v) throws RegoException; }

    /** Variable bindings of one rule body (comprehension bodies share their rule's frame). */
    static final class Frame { final HashMap<String, Value> vars = new HashMap<>(); }

    /** Cache marker for "computed, undefined" (compared by identity). */
    private static final Value UNDEFINED = StringValue.of("\u0000undefined");

    private final Plan plan;
    private final EvalOptions options;
    private final long deadlineNanos;
    private final long nowNs;
    private final Random random = new Random(0x5eed);
    private final Map<Object, Object> queryCache = new HashMap<>();
    private long steps;

    public Evaluator(Plan plan, EvalOptions options) {
        this.plan = plan;
        this.options = options;
        this.deadlineNanos = options.deadline() == null ? 0 : System.nanoTime() + options.deadline().toNanos();
        this.nowNs = options.fixedTime().map(t -> t.getEpochSecond() * 1_000_000_000L + t.getNano())
                .orElseGet(() -> { var i = java.time.Instant.now(); return i.getEpochSecond() * 1_000_000_000L + i.getNano(); });
    }

    // ---- BuiltinContext ----
    @Override public long timeNowNs() { return nowNs; }
    @Override public Random random() { return random; }
    @Override public Map<Object, Object> queryCache() { return queryCache; }
    @Override public boolean strict() { return options.strict(); }
    @Override public void checkBudget() throws RegoException {
        if (options.stepBudget() > 0 && steps > options.stepBudget())
            throw new RegoException(RegoException.CANCEL, "step budget of " + options.stepBudget() + " exhausted");
        if (deadlineNanos != 0 && System.nanoTime() - deadlineNanos > 0)
            throw new RegoException(RegoException.CANCEL, "deadline of " + options.deadline() + " exceeded");
    }

    private void step() throws RegoException {
        if ((++steps & 255) == 0) checkBudget();
        else if (options.stepBudget() > 0 && steps > options.stepBudget()) checkBudget();
    }

    // ---- entry points ----

    /** Evaluates a compiled query; each solution's bindings of the named variables. */
    public List<Map<String, Value>> query(Body query, Value input, Value data) throws RegoException {
        Env env = new Env(input, data == null ? ObjectValue.EMPTY : data, List.of(), Map.of());
        Frame f = new Frame();
        Set<String> names = new LinkedHashSet<>();
        collectQueryVars(query, names);
        List<Map<String, Value>> rows = new ArrayList<>();
        evalBody(f, query.exprs(), 0, env, () -> {
            Map<String, Value> row = new LinkedHashMap<>();
            for (String n : names) { Value v = f.vars.get(n); if (v != null) row.put(n, v); }
            rows.add(row);
        });
        return rows;
    }

    private static void collectQueryVars(Body b, Set<String> names) {
        for (Expr e : b.exprs()) collectVarsLit(e.literal(), names);
    }

    private static void collectVarsLit(Literal l, Set<String> out) {
        switch (l) {
            case Literal.TermLit t -> collectVars(t.term(), out);
            case Literal.Unify u -> { collectVars(u.left(), out); collectVars(u.right(), out); }
            case Literal.Assign a -> { collectVars(a.left(), out); collectVars(a.right(), out); }
            case Literal.SomeDecl d -> {}
            case Literal.SomeIn s -> { if (s.key() != null) collectVars(s.key(), out); collectVars(s.value(), out); collectVars(s.collection(), out); }
            case Literal.Every e -> collectVars(e.collection(), out);
        }
    }

    private static void collectVars(Term t, Set<String> out) {
        switch (t) {
            case Var v -> { if (!v.name().startsWith("$") && !v.name().equals("data") && !v.name().equals("input")) out.add(v.name()); }
            case Ref r -> { collectVars(r.head(), out); for (Term p : r.path()) collectVars(p, out); }
            case ArrayTerm a -> { for (Term x : a.items()) collectVars(x, out); }
            case SetTerm a -> { for (Term x : a.items()) collectVars(x, out); }
            case ObjectTerm o -> { for (Term x : o.keys()) collectVars(x, out); for (Term x : o.values()) collectVars(x, out); }
            case Call c -> { for (Term x : c.args()) collectVars(x, out); }
            default -> {}
        }
    }

    // ---- bodies and literals ----

    void evalBody(Frame f, List<Expr> body, int i, Env env, K k) throws RegoException {
        if (i == body.size()) { k.run(); return; }
        step();
        Expr e = body.get(i);
        evalExpr(f, e, env, () -> evalBody(f, body, i + 1, env, k));
    }

    private void evalExpr(Frame f, Expr e, Env env, K k) throws RegoException {
        if (!e.withs().isEmpty()) {
            applyWiths(f, e.withs(), 0, env, inner -> evalExprNoWith(f, e, inner, k));
            return;
        }
        evalExprNoWith(f, e, env, k);
    }

    @FunctionalInterface interface EK { void accept(Env e) throws RegoException; }

    private void evalExprNoWith(Frame f, Expr e, Env env, K k) throws RegoException {
        if (e.negated()) {
            if (!exists(() -> evalLiteral(f, e.literal(), env, HALT_K))) k.run();
        } else evalLiteral(f, e.literal(), env, k);
    }

    private static final K HALT_K = () -> { throw Halt.INSTANCE; };

    private boolean exists(K body) throws RegoException {
        try { body.run(); } catch (Halt h) { return true; }
        return false;
    }

    private void evalLiteral(Frame f, Literal lit, Env env, K k) throws RegoException {
        switch (lit) {
            case Literal.TermLit t -> evalTerm(f, t.term(), env, v -> { if (!BooleanValue.FALSE.equals(v)) k.run(); });
            case Literal.Unify u -> unify(f, u.left(), u.right(), env, k);
            case Literal.Assign a -> unify(f, a.left(), a.right(), env, k);
            case Literal.SomeDecl d -> k.run();
            case Literal.SomeIn s -> evalTerm(f, s.collection(), env, coll -> iterate(coll, (key, val) -> {
                if (s.key() == null) unifyValue(f, s.value(), val, env, k);
                else unifyValue(f, s.key(), key, env, () -> unifyValue(f, s.value(), val, env, k));
            }));
            case Literal.Every ev -> evalTerm(f, ev.collection(), env, coll -> {
                if (!(coll instanceof ArrayValue || coll instanceof ObjectValue || coll instanceof SetValue)) return;
                boolean[] ok = {true};
                iterate(coll, (key, val) -> {
                    if (!ok[0]) return;
                    boolean found = exists(() -> {
                        K inner = () -> evalBody(f, ev.body().exprs(), 0, env, HALT_K);
                        if (ev.key() == null) unifyValue(f, ev.value(), val, env, inner);
                        else unifyValue(f, ev.key(), key, env, () -> unifyValue(f, ev.value(), val, env, inner));
                    });
                    if (!found) ok[0] = false;
                });
                if (ok[0]) k.run();
            });
        }
    }

    @FunctionalInterface interface KV { void accept(Value key, Value value) throws RegoException; }

    private void iterate(Value coll, KV kv) throws RegoException {
        switch (coll) {
            case ArrayValue a -> { for (int i = 0; i < a.size(); i++) { step(); kv.accept(NumberValue.of(i), a.get(i)); } }
            case ObjectValue o -> { for (Value key : o.sortedKeys()) { step(); kv.accept(key, o.get(key)); } }
            case SetValue s -> { for (Value e : s.sortedElements()) { step(); kv.accept(e, e); } }
            default -> {}
        }
    }

    // ---- with ----

    private void applyWiths(Frame f, List<With> ws, int i, Env env, EK k) throws RegoException {
        if (i == ws.size()) { k.accept(env); return; }
        With w = ws.get(i);
        if (w.target() instanceof FuncRef target) {
            if (w.value() instanceof FuncRef fn) {
                applyWiths(f, ws, i + 1, env.withMock(target.name(), new Env.Mock(fn.name(), null)), k);
            } else {
                evalTerm(f, w.value(), env, v -> applyWiths(f, ws, i + 1, env.withMock(target.name(), new Env.Mock(null, v)), k));
            }
            return;
        }
        Ref r = (Ref) w.target();
        String root = ((Var) r.head()).name();
        evalTerm(f, w.value(), env, v -> groundPath(f, r.path(), 0, new ArrayList<>(), env, path -> {
            if (root.equals("input")) {
                Value in = path.isEmpty() ? v : upsert(env.input == null ? ObjectValue.EMPTY : env.input, path, 0, v);
                applyWiths(f, ws, i + 1, env.withInput(in), k);
            } else {
                applyWiths(f, ws, i + 1, env.withOverride(path, v), k);
            }
        }));
    }

    @FunctionalInterface interface PK { void accept(List<Value> path) throws RegoException; }

    private void groundPath(Frame f, List<Term> terms, int i, List<Value> acc, Env env, PK k) throws RegoException {
        if (i == terms.size()) { k.accept(acc); return; }
        evalTerm(f, terms.get(i), env, v -> {
            acc.add(v);
            try { groundPath(f, terms, i + 1, acc, env, k); } finally { acc.removeLast(); }
        });
    }

    /** v with the value at path set (creating objects on the way; non-objects are replaced). */
    static Value upsert(Value v, List<Value> path, int i, Value leaf) {
        if (i == path.size()) return leaf;
        ObjectValue o = v instanceof ObjectValue ov ? ov : ObjectValue.EMPTY;
        ObjectValue.Builder b = ObjectValue.builder();
        for (Value key : o.sortedKeys()) b.put(key, o.get(key));
        Value child = o.get(path.get(i));
        b.put(path.get(i), upsert(child == null ? ObjectValue.EMPTY : child, path, i + 1, leaf));
        return b.build();
    }

    // ---- unification ----

    private void unify(Frame f, Term a, Term b, Env env, K k) throws RegoException {
        Value va = direct(f, a), vb = direct(f, b);
        if (va != null && vb != null) { if (va.equals(vb)) k.run(); return; }
        if (va != null) { unifyValue(f, b, va, env, k); return; }
        if (vb != null) { unifyValue(f, a, vb, env, k); return; }
        boolean pa = isPattern(f, a), pb = isPattern(f, b);
        if (!pa) { evalTerm(f, a, env, v -> unifyValue(f, b, v, env, k)); return; }
        if (!pb) { evalTerm(f, b, env, v -> unifyValue(f, a, v, env, k)); return; }
        if (a instanceof ArrayTerm x && b instanceof ArrayTerm y) {
            if (x.items().size() == y.items().size()) unifyPairs(f, x.items(), y.items(), new boolean[x.items().size()], env, k);
            return;
        }
        if (a instanceof ObjectTerm x && b instanceof ObjectTerm y && x.keys().size() == y.keys().size()) {
            List<Term> la = new ArrayList<>(), lb = new ArrayList<>();
            for (int i = 0; i < x.keys().size(); i++) {
                Value kx = direct(f, x.keys().get(i));
                if (kx == null) return;
                int j = -1;
                for (int m = 0; m < y.keys().size(); m++) if (kx.equals(direct(f, y.keys().get(m)))) j = m;
                if (j < 0) return;
                la.add(x.values().get(i));
                lb.add(y.values().get(j));
            }
            unifyPairs(f, la, lb, new boolean[la.size()], env, k);
            return;
        }
        if (a instanceof Var va2 && b instanceof Var vb2) throw new RegoException(RegoException.UNSAFE_VAR,
                "var " + va2.name() + " and " + vb2.name() + " are unsafe", a.loc().file(), a.loc().row(), a.loc().col());
    }

    private void unifyPairs(Frame f, List<Term> a, List<Term> b, boolean[] done, Env env, K k) throws RegoException {
        int pick = -1;
        for (int i = 0; i < done.length; i++) {
            if (done[i]) continue;
            if (!isPattern(f, a.get(i)) || !isPattern(f, b.get(i)) || (a.get(i) instanceof ArrayTerm && b.get(i) instanceof ArrayTerm)
                    || (a.get(i) instanceof ObjectTerm && b.get(i) instanceof ObjectTerm)) { pick = i; break; }
        }
        if (pick < 0) {
            for (boolean d : done) if (!d) return;
            k.run();
            return;
        }
        int p = pick;
        done[p] = true;
        try { unify(f, a.get(p), b.get(p), env, () -> unifyPairs(f, a, b, done, env, k)); }
        finally { done[p] = false; }
    }

    private void unifyValue(Frame f, Term t, Value v, Env env, K k) throws RegoException {
        switch (t) {
            case Var var when !var.name().equals("data") && !var.name().equals("input") -> {
                Value cur = f.vars.get(var.name());
                if (cur != null) { if (cur.equals(v)) k.run(); return; }
                f.vars.put(var.name(), v);
                try { k.run(); } finally { f.vars.remove(var.name()); }
            }
            case ArrayTerm a -> {
                if (v instanceof ArrayValue av && av.size() == a.items().size()) unifyItems(f, a.items(), av, 0, env, k);
            }
            case ObjectTerm o -> {
                if (!(v instanceof ObjectValue ov) || ov.size() != o.keys().size()) return;
                unifyObject(f, o, ov, 0, env, k);
            }
            default -> evalTerm(f, t, env, tv -> { if (tv.equals(v)) k.run(); });
        }
    }

    private void unifyItems(Frame f, List<Term> items, ArrayValue av, int i, Env env, K k) throws RegoException {
        if (i == items.size()) { k.run(); return; }
        unifyValue(f, items.get(i), av.get(i), env, () -> unifyItems(f, items, av, i + 1, env, k));
    }

    private void unifyObject(Frame f, ObjectTerm o, ObjectValue ov, int i, Env env, K k) throws RegoException {
        if (i == o.keys().size()) { k.run(); return; }
        evalTerm(f, o.keys().get(i), env, key -> {
            Value val = ov.get(key);
            if (val != null) unifyValue(f, o.values().get(i), val, env, () -> unifyObject(f, o, ov, i + 1, env, k));
        });
    }

    private boolean isPattern(Frame f, Term t) {
        return switch (t) {
            case Var v -> !v.name().equals("data") && !v.name().equals("input") && !f.vars.containsKey(v.name());
            case ArrayTerm a -> { for (Term x : a.items()) if (isPattern(f, x)) yield true; yield false; }
            case ObjectTerm o -> { for (Term x : o.values()) if (isPattern(f, x)) yield true; yield false; }
            default -> false;
        };
    }

    /**
     * The value of a term that needs no iteration or calls (constants, bound variables, literals of them,
     * defined references into bound variables); else null, and the caller takes the general path.
     */
    private Value direct(Frame f, Term t) {
        return switch (t) {
            case Scalar s -> s.value();
            case Var v -> f.vars.get(v.name());
            case Ref r when r.head() instanceof Var hv -> {
                Value cur = f.vars.get(hv.name());
                for (int i = 0; cur != null && i < r.path().size(); i++) {
                    Value key = direct(f, r.path().get(i));
                    cur = key == null ? null : index(cur, key);
                }
                yield cur;
            }
            case ArrayTerm a -> {
                int n = a.items().size();
                Value[] out = new Value[n];
                for (int i = 0; i < n; i++) { Value x = direct(f, a.items().get(i)); if (x == null) yield null; out[i] = x; }
                yield ArrayValue.wrap(out);
            }
            case SetTerm s -> {
                SetValue.Builder b = SetValue.builder();
                for (Term x : s.items()) { Value v = direct(f, x); if (v == null) yield null; b.add(v); }
                yield b.build();
            }
            case ObjectTerm o -> {
                ObjectValue.Builder b = ObjectValue.builder();
                for (int i = 0; i < o.keys().size(); i++) {
                    Value kk = direct(f, o.keys().get(i)), vv = direct(f, o.values().get(i));
                    if (kk == null || vv == null) yield null;
                    b.put(kk, vv);
                }
                yield b.build();
            }
            default -> null;
        };
    }

    // ---- terms ----

    void evalTerm(Frame f, Term t, Env env, VK k) throws RegoException {
        Value d = direct(f, t);
        if (d != null) { k.accept(d); return; }
        switch (t) {
            case Scalar s -> k.accept(s.value());
            case Var v -> {
                if (v.name().equals("input")) { if (env.input != null) k.accept(env.input); }
                else if (v.name().equals("data")) evalData(f, plan.root(), env.data, new ArrayList<>(), List.of(), 0, env, k);
                else throw new RegoException(RegoException.UNSAFE_VAR, "var " + v.name() + " is unsafe", v.loc().file(), v.loc().row(), v.loc().col());
            }
            case Ref r -> evalRef(f, r, env, k);
            case ArrayTerm a -> evalItems(f, a.items(), 0, new Value[a.items().size()], env, vals -> k.accept(ArrayValue.of(vals)));
            case SetTerm s -> evalItems(f, s.items(), 0, new Value[s.items().size()], env, vals -> k.accept(SetValue.of(vals)));
            case ObjectTerm o -> {
                List<Term> all = new ArrayList<>(o.keys());
                all.addAll(o.values());
                int n = o.keys().size();
                evalItems(f, all, 0, new Value[all.size()], env, vals -> {
                    ObjectValue.Builder b = ObjectValue.builder();
                    for (int i = 0; i < n; i++) b.put(vals[i], vals[n + i]);
                    k.accept(b.build());
                });
            }
            case Call c -> evalCallArgs(f, c, c.args().size(), env, k);
            case ArrayCompr a -> {
                List<Value> out = new ArrayList<>();
                evalBody(f, a.body().exprs(), 0, env, () -> evalTerm(f, a.head(), env, out::add));
                k.accept(ArrayValue.of(out));
            }
            case SetCompr s -> {
                SetValue.Builder b = SetValue.builder();
                evalBody(f, s.body().exprs(), 0, env, () -> evalTerm(f, s.head(), env, b::add));
                k.accept(b.build());
            }
            case ObjectCompr o -> {
                ObjectValue.Builder b = ObjectValue.builder();
                evalBody(f, o.body().exprs(), 0, env, () -> evalTerm(f, o.key(), env, key -> evalTerm(f, o.value(), env, val -> {
                    Value prev = b.get(key);
                    if (prev != null && !prev.equals(val))
                        throw new RegoException(RegoException.CONFLICT, "object keys must be unique", o.loc().file(), o.loc().row(), o.loc().col());
                    b.put(key, val);
                })));
                k.accept(b.build());
            }
            case FuncRef fr -> throw new RegoException(RegoException.COMPILE, "function " + fr.name() + " used as a value");
        }
    }

    @FunctionalInterface interface AK { void accept(Value[] vals) throws RegoException; }

    private void evalItems(Frame f, List<Term> items, int i, Value[] out, Env env, AK k) throws RegoException {
        if (i == items.size()) { k.accept(out.clone()); return; }
        Value d = direct(f, items.get(i));
        if (d != null) { out[i] = d; evalItems(f, items, i + 1, out, env, k); return; }
        if (isPattern(f, items.get(i))) {
            // an unbound variable here may be bound by a later item (`x == a[x]`): evaluate that first
            for (int j = i + 1; j < items.size(); j++) {
                if (!isPattern(f, items.get(j)) && direct(f, items.get(j)) == null) {
                    int jj = j;
                    evalTerm(f, items.get(j), env, v -> {
                        List<Term> rest = new ArrayList<>(items);
                        rest.set(jj, new Scalar(v, items.get(jj).loc()));
                        evalItems(f, rest, i, out, env, k);
                    });
                    return;
                }
            }
        }
        evalTerm(f, items.get(i), env, v -> { out[i] = v; evalItems(f, items, i + 1, out, env, k); });
    }

    // ---- references ----

    private void evalRef(Frame f, Ref r, Env env, VK k) throws RegoException {
        Term head = r.head();
        if (head instanceof Var v) {
            switch (v.name()) {
                case "data" -> { evalData(f, plan.root(), env.data, new ArrayList<>(), r.path(), 0, env, k); return; }
                case "input" -> { if (env.input != null) walk(f, env.input, r.path(), 0, env, k); return; }
                default -> {
                    Value bound = f.vars.get(v.name());
                    if (bound == null) throw new RegoException(RegoException.UNSAFE_VAR, "var " + v.name() + " is unsafe",
                            v.loc().file(), v.loc().row(), v.loc().col());
                    walk(f, bound, r.path(), 0, env, k);
                    return;
                }
            }
        }
        evalTerm(f, head, env, hv -> walk(f, hv, r.path(), 0, env, k));
    }

    private void walk(Frame f, Value v, List<Term> path, int i, Env env, VK k) throws RegoException {
        walk(f, v, path, i, env, false, k);
    }

    /** Follows path from v; under {@code data} (dataKeys) a number key also finds the string key of its text. */
    private void walk(Frame f, Value v, List<Term> path, int i, Env env, boolean dataKeys, VK k) throws RegoException {
        if (i == path.size()) { k.accept(v); return; }
        Term p = path.get(i);
        Value key = direct(f, p);
        if (key != null) {
            Value c = dataKeys ? dataIndex(v, key) : index(v, key);
            if (c != null) walk(f, c, path, i + 1, env, dataKeys, k);
            return;
        }
        if (isPattern(f, p)) {
            iterate(v, (kk, c) -> unifyValue(f, p, kk, env, () -> walk(f, c, path, i + 1, env, dataKeys, k)));
            return;
        }
        evalTerm(f, p, env, kk -> { Value c = dataKeys ? dataIndex(v, kk) : index(v, kk); if (c != null) walk(f, c, path, i + 1, env, dataKeys, k); });
    }

    static Value dataIndex(Value v, Value key) {
        Value c = index(v, key);
        if (c == null && v instanceof ObjectValue o && key instanceof NumberValue n) c = o.get(StringValue.of(n.toString()));
        return c;
    }

    static Value index(Value v, Value key) {
        switch (v) {
            case ObjectValue o -> { return o.get(key); }
            case ArrayValue a -> {
                if (key instanceof NumberValue n && n.isLong()) {
                    long idx = n.longValue();
                    return idx >= 0 && idx < a.size() ? a.get((int) idx) : null;
                }
                return null;
            }
            case SetValue s -> { return s.contains(key) ? key : null; }
            default -> { return null; }
        }
    }

    private void evalData(Frame f, RuleNode node, Value base, List<Value> cur, List<Term> path, int i, Env env, VK k) throws RegoException {
        Env.Override ov = env.overrides.isEmpty() ? null : env.exact(cur);
        if (ov != null) { walk(f, applyBelow(ov.value(), cur, env), path, i, env, k); return; }
        if (node == null) {
            Value v = base;
            if (env.anyBelow(cur)) v = applyBelow(v == null ? ObjectValue.EMPTY : v, cur, env);
            if (v != null) walk(f, v, path, i, env, true, k);
            return;
        }
        if (node.hasRules() || i == path.size()) {
            Value v = nodeValue(node, base, env);
            if (v != null) walk(f, v, path, i, env, k);
            return;
        }
        Term p = path.get(i);
        Value key = direct(f, p);
        if (key != null) { descend(f, node, base, cur, key, path, i, env, k); return; }
        if (isPattern(f, p)) {
            Set<Value> keys = new LinkedHashSet<>(node.children().keySet());
            if (base instanceof ObjectValue bo) for (Value x : bo.sortedKeys()) keys.add(x);
            for (Env.Override o : env.overrides) if (o.path().size() > cur.size() && Env.startsWith(o.path(), cur)) keys.add(o.path().get(cur.size()));
            for (Value kk : keys) unifyValue(f, p, kk, env, () -> descend(f, node, base, cur, kk, path, i, env, k));
            return;
        }
        evalTerm(f, p, env, kk -> descend(f, node, base, cur, kk, path, i, env, k));
    }

    private void descend(Frame f, RuleNode node, Value base, List<Value> cur, Value key, List<Term> path, int i, Env env, VK k) throws RegoException {
        RuleNode child = node.children().get(key);
        Value childBase = base instanceof ObjectValue ? dataIndex(base, key) : null;
        cur.add(key);
        try { evalData(f, child, childBase, cur, path, i + 1, env, k); }
        finally { cur.removeLast(); }
    }

    private Value applyBelow(Value v, List<Value> cur, Env env) {
        for (Env.Override o : env.overrides) {
            if (o.path().size() > cur.size() && Env.startsWith(o.path(), cur)) v = upsert(v, o.path(), cur.size(), o.value());
        }
        return v;
    }

    // ---- rule values ----

    /** The value of a node of the rule tree merged with base data (null when undefined). Memoised per environment. */
    private Value nodeValue(RuleNode node, Value base, Env env) throws RegoException {
        Value cached = env.cache.get(node);
        if (cached != null) return cached == UNDEFINED ? null : cached;
        if (!env.inProgress.add(node))
            throw new RegoException(RegoException.RECURSION, "rule " + pathText(node.path()) + " is recursive");
        Value v;
        try { v = computeNode(node, base, env); }
        finally { env.inProgress.remove(node); }
        if (v != null && env.anyBelow(node.path())) v = applyBelow(v, node.path(), env);
        env.cache.put(node, v == null ? UNDEFINED : v);
        return v;
    }

    private static String pathText(List<Value> path) {
        StringBuilder sb = new StringBuilder("data");
        for (Value v : path) sb.append('.').append(v instanceof StringValue s ? s.value() : v.toJson());
        return sb.toString();
    }

    private Value computeNode(RuleNode node, Value base, Env env) throws RegoException {
        List<CompiledRule> rules = node.rules();
        boolean hasSet = false, hasComplete = node.defaultRule() != null, hasObject = false;
        for (CompiledRule r : rules) {
            switch (r.kind()) { case SET -> hasSet = true; case COMPLETE -> hasComplete = true; case OBJECT -> hasObject = true; default -> {} }
        }
        if (hasSet) {
            SetValue.Builder b = SetValue.builder();
            for (CompiledRule r : rules) {
                if (r.kind() != CompiledRule.Kind.SET) continue;
                Frame fr = new Frame();
                evalBody(fr, r.body(), 0, env, () -> evalTerm(fr, r.key(), env, b::add));
            }
            return b.build();
        }
        if (hasComplete) {
            Value result = null;
            Location where = null;
            for (CompiledRule r : rules) {
                if (r.kind() != CompiledRule.Kind.COMPLETE) continue;
                List<Value> vals = new ArrayList<>();
                completeValues(r, env, vals);
                for (Value x : vals) {
                    if (result == null) { result = x; where = r.loc(); }
                    else if (!result.equals(x)) throw new RegoException(RegoException.CONFLICT,
                            "complete rules must not produce multiple outputs", r.loc().file(), r.loc().row(), r.loc().col());
                }
            }
            if (result == null && node.defaultRule() != null) {
                Frame fr = new Frame();
                Value[] out = new Value[1];
                evalTerm(fr, node.defaultRule().value(), env, x -> out[0] = x);
                result = out[0];
            }
            if (result == null && !node.children().isEmpty()) return objectNode(node, base, env, false);
            return result;
        }
        return objectNode(node, base, env, hasObject);
    }

    private void completeValues(CompiledRule r, Env env, List<Value> vals) throws RegoException {
        Frame fr = new Frame();
        if (r.value() instanceof Scalar s) {
            // a constant value: the first solution decides, the rest cannot conflict
            if (exists(() -> evalBody(fr, r.body(), 0, env, HALT_K))) { if (!vals.contains(s.value())) vals.add(s.value()); }
            else if (r.elseRule() != null) completeValues(r.elseRule(), env, vals);
            return;
        }
        boolean[] any = {false};
        evalBody(fr, r.body(), 0, env, () -> { any[0] = true; evalTerm(fr, r.value(), env, x -> { if (!vals.contains(x)) vals.add(x); }); });
        if (!any[0] && r.elseRule() != null) completeValues(r.elseRule(), env, vals);
    }

    /** An object node: base data, child nodes, and entries produced by object rules (ref heads). */
    private Value objectNode(RuleNode node, Value base, Env env, boolean hasObject) throws RegoException {
        Map<Value, Object> tree = new LinkedHashMap<>();
        if (base instanceof ObjectValue bo) for (Value key : bo.sortedKeys()) tree.put(key, bo.get(key));
        else if (base != null && node.children().isEmpty() && !hasObject) return base;
        for (var e : node.children().entrySet()) {
            Value childBase = base instanceof ObjectValue bo ? bo.get(e.getKey()) : null;
            List<Value> childPath = e.getValue().path();
            Env.Override ov = env.overrides.isEmpty() ? null : env.exact(childPath);
            Value cv = ov != null ? ov.value() : nodeValue(e.getValue(), childBase, env);
            if (cv == null) continue;
            Object prev = tree.get(e.getKey());
            // base documents win over rules that define the same key
            tree.put(e.getKey(), prev instanceof Value pv ? mergeBaseFirst(pv, cv) : cv);
        }
        if (hasObject) {
            for (CompiledRule r : node.rules()) {
                if (r.kind() != CompiledRule.Kind.OBJECT) continue;
                Frame fr = new Frame();
                Term leaf = r.key() != null ? r.key() : r.value();
                evalBody(fr, r.body(), 0, env, () -> evalItems(fr, r.dynPath(), 0, new Value[r.dynPath().size()], env,
                        keys -> evalTerm(fr, leaf, env, val -> insert(tree, keys, 0, val, r))));
            }
        }
        return build(tree);
    }

    private static Value mergeBaseFirst(Value base, Value virtual) {
        if (!(base instanceof ObjectValue bo) || !(virtual instanceof ObjectValue vo)) return base;
        ObjectValue.Builder b = ObjectValue.builder();
        for (Value k : vo.sortedKeys()) b.put(k, vo.get(k));
        for (Value k : bo.sortedKeys()) { Value x = vo.get(k); b.put(k, x == null ? bo.get(k) : mergeBaseFirst(bo.get(k), x)); }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private void insert(Map<Value, Object> tree, Value[] keys, int i, Value val, CompiledRule r) throws RegoException {
        Value key = keys[i];
        Object cur = tree.get(key);
        if (i == keys.length - 1) {
            if (r.key() != null) {
                // a `contains` rule with a ref head: the leaf is a set
                java.util.LinkedHashSet<Value> set;
                if (cur == null) { set = new java.util.LinkedHashSet<>(); tree.put(key, set); }
                else if (cur instanceof java.util.LinkedHashSet<?> s) set = (java.util.LinkedHashSet<Value>) s;
                else if (cur instanceof SetValue sv) { set = new java.util.LinkedHashSet<>(sv.asSet()); tree.put(key, set); }
                else throw conflict(r, false);
                set.add(val);
                return;
            }
            if (cur == null) { tree.put(key, val); return; }
            if (!(cur instanceof Value curV)) throw conflict(r, false);
            if (!curV.equals(val)) throw conflict(r, keys.length == 1 && r.dynPath().size() == 1);
            return;
        }
        Map<Value, Object> sub;
        if (cur == null) { sub = new LinkedHashMap<>(); tree.put(key, sub); }
        else if (cur instanceof Map<?, ?> m) sub = (Map<Value, Object>) m;
        else if (cur instanceof ObjectValue ov) {
            sub = new LinkedHashMap<>();
            for (Value x : ov.sortedKeys()) sub.put(x, ov.get(x));
            tree.put(key, sub);
        } else throw conflict(r, false);
        insert(sub, keys, i + 1, val, r);
    }

    private static RegoException conflict(CompiledRule r, boolean objectKeys) {
        return new RegoException(RegoException.CONFLICT, objectKeys ? "object keys must be unique" : "complete rules must not produce multiple outputs",
                r.loc().file(), r.loc().row(), r.loc().col());
    }

    @SuppressWarnings("unchecked")
    private static Value build(Map<Value, Object> tree) {
        ObjectValue.Builder b = ObjectValue.builder();
        for (var e : tree.entrySet()) {
            Object x = e.getValue();
            b.put(e.getKey(), x instanceof Map<?, ?> m ? build((Map<Value, Object>) m)
                    : x instanceof java.util.Set<?> s ? SetValue.of((java.util.Set<Value>) s) : (Value) x);
        }
        return b.build();
    }

    // ---- calls ----

    /** Evaluates the first n arguments of a call, then calls (possibly several results for relations). */
    private void evalCallArgs(Frame f, Call c, int n, Env env, VK k) throws RegoException {
        String name = c.name();
        switch (name) {
            case "print", "internal.print", "trace" -> { k.accept(BooleanValue.TRUE); return; } // output is not kept
            default -> {}
        }
        evalItems(f, c.args().subList(0, n), 0, new Value[n], env, args -> call(name, args, c, env, k, 0));
    }

    private void call(String name, Value[] args, Call c, Env env, VK k, int mockDepth) throws RegoException {
        Env.Mock mock = env.mocks.get(name);
        if (mock != null && mockDepth == 0) {
            if (mock.value() != null) { k.accept(mock.value()); return; }
            // the replacement runs without mocks: it may call the original, and never another mock
            call(mock.fn(), args, c, env.withoutMocks(), k, mockDepth + 1);
            return;
        }
        if (name.equals("walk")) { walkBuiltin(args[0], new ArrayList<>(), k); return; }
        List<CompiledRule> fns = plan.functions().get(name);
        if (fns != null) {
            Value v = callFunction(name, fns, args, env);
            if (v != null) k.accept(v);
            return;
        }
        BuiltinSpec spec = plan.builtins().lookup(name);
        if (spec == null) throw new RegoException(RegoException.COMPILE, "undefined function " + name, c.loc().file(), c.loc().row(), c.loc().col());
        step();
        Value v;
        try {
            v = spec.fn().call(this, args);
        } catch (RegoException e) {
            if (RegoException.BUILTIN.equals(e.code()) || RegoException.EVAL_TYPE.equals(e.code())) {
                if (options.strict()) throw e.at(c.loc().file(), c.loc().row(), c.loc().col());
                return;
            }
            throw e.at(c.loc().file(), c.loc().row(), c.loc().col());
        } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException | ClassCastException | NullPointerException e) {
            if (options.strict()) throw new RegoException(RegoException.BUILTIN, name + ": " + e.getMessage(), c.loc().file(), c.loc().row(), c.loc().col());
            return;
        }
        if (v != null) k.accept(v);
    }

    private void walkBuiltin(Value v, List<Value> path, VK k) throws RegoException {
        k.accept(ArrayValue.of(ArrayValue.of(path), v));
        switch (v) {
            case ArrayValue a -> { for (int i = 0; i < a.size(); i++) { path.add(NumberValue.of(i)); walkBuiltin(a.get(i), path, k); path.removeLast(); } }
            case ObjectValue o -> { for (Value key : o.sortedKeys()) { path.add(key); walkBuiltin(o.get(key), path, k); path.removeLast(); } }
            case SetValue s -> { for (Value e : s.sortedElements()) { path.add(e); walkBuiltin(e, path, k); path.removeLast(); } }
            default -> {}
        }
    }

    private Value callFunction(String name, List<CompiledRule> fns, Value[] args, Env env) throws RegoException {
        List<Value> results = new ArrayList<>();
        CompiledRule first = null;
        for (CompiledRule r : fns) {
            functionValues(r, args, env, results);
            if (first == null && !results.isEmpty()) first = r;
            if (results.size() > 1) throw new RegoException(RegoException.CONFLICT,
                    "functions must not produce multiple outputs for same inputs", r.loc().file(), r.loc().row(), r.loc().col());
        }
        if (results.isEmpty()) {
            CompiledRule d = plan.defaultFunctions().get(name);
            if (d == null) return null;
            Frame fr = new Frame();
            Value[] out = new Value[1];
            evalTerm(fr, d.value(), env, x -> out[0] = x);
            return out[0];
        }
        return results.getFirst();
    }

    private void functionValues(CompiledRule r, Value[] args, Env env, List<Value> results) throws RegoException {
        Frame fr = new Frame();
        if (r.value() instanceof Scalar s) {
            if (exists(() -> unifyArgs(fr, r.args(), args, 0, env, () -> evalBody(fr, r.body(), 0, env, HALT_K)))) {
                if (!results.contains(s.value())) results.add(s.value());
            } else if (r.elseRule() != null) functionValues(r.elseRule(), args, env, results);
            return;
        }
        boolean[] any = {false};
        unifyArgs(fr, r.args(), args, 0, env, () -> evalBody(fr, r.body(), 0, env, () -> {
            any[0] = true;
            evalTerm(fr, r.value(), env, x -> { if (!results.contains(x)) results.add(x); });
        }));
        if (!any[0] && r.elseRule() != null) functionValues(r.elseRule(), args, env, results);
    }

    private void unifyArgs(Frame f, List<Term> params, Value[] args, int i, Env env, K k) throws RegoException {
        if (i == params.size()) { k.run(); return; }
        unifyValue(f, params.get(i), args[i], env, () -> unifyArgs(f, params, args, i + 1, env, k));
    }
}
