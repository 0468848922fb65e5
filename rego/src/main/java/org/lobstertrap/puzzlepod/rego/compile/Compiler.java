package org.lobstertrap.puzzlepod.rego.compile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.ast.*;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinRegistry;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Compiles parsed modules into a {@link Plan}: resolves rule names and imports to {@code data} paths,
 * gives wildcards and variables declared in nested scopes unique names, checks function names and
 * arities, orders every body for safety (as OPA does) and builds the rule tree.
 */
public final class Compiler {
    private final BuiltinRegistry builtins;
    private final Map<String, Integer> functionArity = new HashMap<>();
    private int fresh;
    // rego.metadata.rule() / chain() of the rule being compiled: constants, replaced at compile time
    private Value metaRule, metaChain;

    private Compiler(BuiltinRegistry builtins) { this.builtins = builtins; }

    /** Compiles the modules (any number, merged by package). */
    public static Plan compile(List<ParsedModule> modules, BuiltinRegistry builtins) throws RegoException {
        return new Compiler(builtins).run(modules);
    }

    /** Compiles a query against a plan (no package context: names resolve only under data/input). */
    public static Body compileQuery(Body query, Plan plan) throws RegoException {
        Compiler c = new Compiler(plan.builtins());
        for (var e : plan.functions().entrySet()) if (!e.getValue().isEmpty()) c.functionArity.put(e.getKey(), e.getValue().get(0).args().size());
        for (var e : plan.defaultFunctions().entrySet()) c.functionArity.put(e.getKey(), e.getValue().args().size());
        Ctx ctx = new Ctx(List.of(), Set.of(), Map.of());
        Body b = c.resolveBody(query, ctx, c.new Scope(null, false));
        return new Body(c.order(b, new HashSet<>(), new HashSet<>()));
    }

    // ---- resolution context ----

    private record Ctx(List<String> pkg, Set<String> ruleNames, Map<String, Ref> aliases) {}

    private final class Scope {
        final Scope parent;
        final boolean nested;
        final Map<String, String> names = new HashMap<>();
        Scope(Scope parent, boolean nested) { this.parent = parent; this.nested = nested; }
        void declare(String name) {
            if (name.equals("_") || names.containsKey(name)) return;
            names.put(name, nested ? "$" + (fresh++) + "_" + name : name);
        }
        void declareAsIs(String name) { if (!name.equals("_")) names.put(name, name); }
        String lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) { String n = s.names.get(name); if (n != null) return n; }
            return null;
        }
    }

    private Plan run(List<ParsedModule> modules) throws RegoException {
        Map<List<String>, Set<String>> rulesByPkg = new HashMap<>();
        for (ParsedModule m : modules) {
            Set<String> names = rulesByPkg.computeIfAbsent(m.packagePath(), k -> new HashSet<>());
            for (Rule r : m.rules()) names.add(((Var) r.head().head()).name());
        }
        // function arities first: calls are checked against them
        for (ParsedModule m : modules) {
            for (Rule r : m.rules()) {
                if (!r.isFunction()) continue;
                String name = "data." + String.join(".", m.packagePath()) + "." + headName(r.head(), m.file());
                Integer prev = functionArity.put(name, r.args().size());
                if (prev != null && prev != r.args().size())
                    throw new RegoException(RegoException.TYPE, "function " + name.substring(5) + " has arity " + prev + ", got argument(s) " + r.args().size(),
                            m.file(), r.loc().row(), r.loc().col());
            }
        }
        // METADATA: package annotations (any module of the package) and document-scoped rule annotations
        Map<List<String>, Value> pkgAnnotations = new HashMap<>();
        Map<List<String>, Value> docAnnotations = new HashMap<>();
        for (ParsedModule m : modules) {
            if (m.packageAnnotations() != null) pkgAnnotations.putIfAbsent(m.packagePath(), withScope(m.packageAnnotations(), "package"));
            for (int i = 0; i < m.rules().size(); i++) {
                Value a = m.ruleAnnotations().get(i);
                if (a != null && "document".equals(scopeOf(a))) docAnnotations.putIfAbsent(rulePath(m, m.rules().get(i)), a);
            }
        }
        RuleNode root = new RuleNode(List.of());
        Map<String, List<CompiledRule>> functions = new HashMap<>();
        Map<String, CompiledRule> defaultFunctions = new HashMap<>();
        for (ParsedModule m : modules) {
            Map<String, Ref> aliases = new HashMap<>();
            for (Import imp : m.imports()) {
                String root0 = ((Var) imp.path().head()).name();
                if (root0.equals("future") || root0.equals("rego")) continue;
                String alias = imp.alias();
                if (alias == null) {
                    if (imp.path().path().isEmpty()) alias = root0;
                    else if (imp.path().path().getLast() instanceof Scalar s && s.value() instanceof StringValue sv) alias = sv.value();
                    else throw new RegoException(RegoException.COMPILE, "import path must end with a name", m.file(), imp.loc().row(), imp.loc().col());
                }
                aliases.put(alias, imp.path());
            }
            Ctx ctx = new Ctx(m.packagePath(), rulesByPkg.get(m.packagePath()), aliases);
            RuleNode pkgNode = root;
            for (String s : m.packagePath()) pkgNode = pkgNode.child(StringValue.of(s));
            for (int ri = 0; ri < m.rules().size(); ri++) {
                Rule r = m.rules().get(ri);
                setMetadata(m, r, m.ruleAnnotations().get(ri), pkgAnnotations, docAnnotations);
                CompiledRule cr = compileRule(r, ctx);
                if (cr.kind() == CompiledRule.Kind.FUNCTION) {
                    String name = "data." + String.join(".", m.packagePath()) + "." + headName(r.head(), m.file());
                    // `foo.bar(x)` makes data.pkg.foo an (empty) document
                    if (!r.head().path().isEmpty()) {
                        RuleNode n = pkgNode.child(StringValue.of(((Var) r.head().head()).name()));
                        for (int j = 0; j < r.head().path().size() - 1; j++) n = n.child(((Scalar) r.head().path().get(j)).value());
                    }
                    if (cr.isDefault()) defaultFunctions.put(name, cr);
                    else functions.computeIfAbsent(name, k -> new ArrayList<>()).add(cr);
                    continue;
                }
                RuleNode node = pkgNode.child(StringValue.of(((Var) r.head().head()).name()));
                List<Term> path = r.head().path();
                int i = 0;
                for (; i < path.size(); i++) {
                    if (!(path.get(i) instanceof Scalar s)) break;
                    node = node.child(s.value());
                }
                if (cr.isDefault()) {
                    if (node.defaultRule != null)
                        throw new RegoException(RegoException.TYPE, "multiple default rules " + pathText(node.path()) + " found",
                                m.file(), r.loc().row(), r.loc().col());
                    node.defaultRule = cr;
                } else node.rules.add(cr);
            }
        }
        for (var e : defaultFunctions.entrySet()) functions.putIfAbsent(e.getKey(), new ArrayList<>());
        checkKinds(root, functions.keySet());
        Map<String, List<CompiledRule>> fns = new HashMap<>();
        for (var e : functions.entrySet()) fns.put(e.getKey(), List.copyOf(e.getValue()));
        Plan plan = new Plan(root, Map.copyOf(fns), Map.copyOf(defaultFunctions), builtins);
        RecursionCheck.check(plan);
        return plan;
    }

    private static String scopeOf(Value annotations) {
        return ((ObjectValue) annotations).get("scope") instanceof StringValue s ? s.value() : null;
    }

    private static Value withScope(Value annotations, String defaultScope) {
        ObjectValue o = (ObjectValue) annotations;
        if (o.get("scope") != null) return o;
        ObjectValue.Builder b = ObjectValue.builder();
        for (Value k : o.sortedKeys()) b.put(k, o.get(k));
        b.put("scope", StringValue.of(defaultScope));
        return b.build();
    }

    private static List<String> rulePath(ParsedModule m, Rule r) {
        List<String> p = new ArrayList<>(m.packagePath());
        p.add(((Var) r.head().head()).name());
        for (Term t : r.head().path()) {
            if (t instanceof Scalar s && s.value() instanceof StringValue sv) p.add(sv.value());
            else break;
        }
        return p;
    }

    private static Value pathValue(List<String> p) {
        List<Value> l = new ArrayList<>();
        for (String s : p) l.add(StringValue.of(s));
        return ArrayValue.of(l);
    }

    private static Value entry(List<String> path, Value annotations) {
        ObjectValue.Builder b = ObjectValue.builder().put("path", pathValue(path));
        if (annotations != null) b.put("annotations", annotations);
        return b.build();
    }

    private void setMetadata(ParsedModule m, Rule r, Value own, Map<List<String>, Value> pkg, Map<List<String>, Value> doc) {
        List<String> path = rulePath(m, r);
        Value ownScoped = own == null ? null : withScope(own, "rule");
        boolean ownIsRule = ownScoped != null && "rule".equals(scopeOf(ownScoped));
        metaRule = ownScoped == null ? ObjectValue.EMPTY : ownScoped;
        List<Value> chain = new ArrayList<>();
        chain.add(entry(path, ownIsRule ? ownScoped : null));
        if (doc.containsKey(path)) chain.add(entry(path, doc.get(path)));
        if (pkg.containsKey(m.packagePath())) chain.add(entry(m.packagePath(), pkg.get(m.packagePath())));
        for (int n = m.packagePath().size() - 1; n >= 1; n--) {
            Value a = pkg.get(m.packagePath().subList(0, n));
            if (a != null && "subpackages".equals(scopeOf(a))) chain.add(entry(m.packagePath().subList(0, n), a));
        }
        metaChain = ArrayValue.of(chain);
    }

    /** A document is defined by one kind of rule: a set, a single value, or object entries. */
    private static void checkKinds(RuleNode node, Set<String> functionNames) throws RegoException {
        boolean set = false, single = node.defaultRule != null, object = false;
        for (CompiledRule r : node.rules) {
            switch (r.kind()) { case SET -> set = true; case COMPLETE -> single = true; case OBJECT -> object = true; default -> {} }
        }
        String name = pathText(node.path());
        if ((set ? 1 : 0) + (single ? 1 : 0) + (object ? 1 : 0) > 1 || (node.hasRules() && functionNames.contains(name))) {
            Location l = node.rules.isEmpty() ? node.defaultRule.loc() : node.rules.getFirst().loc();
            throw new RegoException(RegoException.TYPE, "conflicting rules " + name + " found", l.file(), l.row(), l.col());
        }
        for (RuleNode c : node.children.values()) checkKinds(c, functionNames);
    }

    private static String pathText(List<Value> path) {
        StringBuilder sb = new StringBuilder("data");
        for (Value v : path) sb.append('.').append(v instanceof StringValue s ? s.value() : v.toJson());
        return sb.toString();
    }

    private String headName(Ref head, String file) throws RegoException {
        StringBuilder sb = new StringBuilder(((Var) head.head()).name());
        for (Term t : head.path()) {
            if (t instanceof Scalar s && s.value() instanceof StringValue sv) sb.append('.').append(sv.value());
            else throw new RegoException(RegoException.PARSE, "function name must be a simple path", file, head.loc().row(), head.loc().col());
        }
        return sb.toString();
    }

    private CompiledRule compileRule(Rule r, Ctx ctx) throws RegoException {
        Scope scope = new Scope(null, true);
        // function arguments are the rule's own variables
        List<Term> args = null;
        if (r.args() != null) {
            for (Term a : r.args()) for (String v : patternVarNames(a)) scope.declareAsIs(v);
        }
        Body body = resolveBody(r.body(), ctx, scope);
        if (r.args() != null) {
            args = new ArrayList<>();
            for (Term a : r.args()) args.add(resolveTerm(a, ctx, scope));
        }
        Term key = r.key() != null ? resolveTerm(r.key(), ctx, scope) : null;
        Term value = r.value() != null ? resolveTerm(r.value(), ctx, scope) : new Scalar(BooleanValue.TRUE, r.loc());
        CompiledRule.Kind kind;
        List<Term> dyn = List.of();
        if (args != null) kind = CompiledRule.Kind.FUNCTION;
        else if (key != null && r.head().path().stream().allMatch(x -> x instanceof Scalar)) kind = CompiledRule.Kind.SET;
        else {
            List<Term> path = r.head().path();
            int i = 0;
            while (i < path.size() && path.get(i) instanceof Scalar) i++;
            if (i == path.size()) kind = CompiledRule.Kind.COMPLETE;
            else {
                kind = CompiledRule.Kind.OBJECT;
                List<Term> d = new ArrayList<>();
                for (int j = i; j < path.size(); j++) d.add(resolveTerm(path.get(j), ctx, scope));
                dyn = List.copyOf(d);
            }
        }
        // order the body: arguments are bound on entry; head terms must end up bound
        Set<String> bound = new HashSet<>();
        if (args != null) for (Term a : args) bound.addAll(Vars.all(a));
        Set<String> available = new HashSet<>(bound);
        for (Term t : dyn) available.addAll(Vars.all(t));
        if (key != null) available.addAll(Vars.all(key));
        available.addAll(Vars.all(value));
        List<Expr> ordered = order(body, bound, available);
        // comprehensions in the head see the body's variables
        Set<String> headVisible = new HashSet<>(available);
        for (Expr e : body.exprs()) headVisible.addAll(Vars.exprVarsNoClosures(e));
        value = closures(value, headVisible);
        if (key != null) key = closures(key, headVisible);
        Set<String> after = new HashSet<>(bound);
        for (Expr e : ordered) after.addAll(Vars.bindsOf(e, this::arityOf));
        List<Term> headTerms = new ArrayList<>(dyn);
        if (key != null) headTerms.add(key);
        headTerms.add(value);
        for (Term t : headTerms) {
            for (String v : Vars.needed(t, this::arityOf)) {
                if (!after.contains(v)) throw unsafe(v, t.loc());
            }
            for (String v : Vars.patternVars(t)) {
                if (!after.contains(v)) throw unsafe(v, t.loc());
            }
        }
        CompiledRule elseRule = null;
        if (r.elseRule() != null) {
            Rule e = r.elseRule();
            Rule withArgs = new Rule(r.head(), r.args(), null, e.value(), e.body(), e.elseRule(), false, e.assign(), e.loc());
            elseRule = compileRule(withArgs, ctx);
        }
        return new CompiledRule(kind, dyn, key, value, args, ordered, elseRule, r.isDefault(), r.loc());
    }

    private RegoException unsafe(String var, Location loc) {
        return new RegoException(RegoException.UNSAFE_VAR, "var " + Vars.display(var) + " is unsafe", loc.file(), loc.row(), loc.col());
    }

    private int arityOf(String name) {
        Integer a = functionArity.get(name);
        if (a != null) return a;
        var b = builtins.lookup(name);
        return b != null ? b.arity() : -1;
    }

    // ---- name resolution and renaming ----

    private static List<String> patternVarNames(Term t) {
        List<String> out = new ArrayList<>();
        collectPatternNames(t, out);
        return out;
    }

    private static void collectPatternNames(Term t, List<String> out) {
        switch (t) {
            case Var v -> out.add(v.name());
            case ArrayTerm a -> { for (Term i : a.items()) collectPatternNames(i, out); }
            case ObjectTerm o -> { for (Term i : o.values()) collectPatternNames(i, out); }
            default -> {}
        }
    }

    private Body resolveBody(Body b, Ctx ctx, Scope scope) throws RegoException {
        // declarations take effect from their literal on (a comprehension before `x := …` has its own x)
        List<Expr> out = new ArrayList<>();
        for (Expr e : b.exprs()) {
            Literal lit = switch (e.literal()) {
                case Literal.TermLit t -> {
                    Term rt = resolveTerm(t.term(), ctx, scope);
                    // `count(x, n)`: the extra argument is an output, evaluated as `n = count(x)`
                    if (rt instanceof Call c && c.args().size() == arityOf(c.name()) + 1 && arityOf(c.name()) >= 0) {
                        yield new Literal.Unify(c.args().getLast(), new Call(c.name(), c.args().subList(0, c.args().size() - 1), c.loc()));
                    }
                    yield new Literal.TermLit(rt);
                }
                case Literal.Unify u -> new Literal.Unify(resolveTerm(u.left(), ctx, scope), resolveTerm(u.right(), ctx, scope));
                case Literal.Assign a -> {
                    checkAssignable(a.left());
                    Term right = resolveTerm(a.right(), ctx, scope);
                    for (String n : patternVarNames(a.left())) scope.declare(n);
                    yield new Literal.Unify(resolveTerm(a.left(), ctx, scope), right);
                }
                case Literal.SomeDecl sd -> {
                    List<Var> vs = new ArrayList<>();
                    for (Var v : sd.vars()) { scope.declare(v.name()); vs.add(new Var(scope.lookup(v.name()), v.loc())); }
                    yield new Literal.SomeDecl(vs);
                }
                case Literal.SomeIn si -> {
                    Term coll = resolveTerm(si.collection(), ctx, scope);
                    if (si.key() != null) for (String n : patternVarNames(si.key())) scope.declare(n);
                    for (String n : patternVarNames(si.value())) scope.declare(n);
                    yield new Literal.SomeIn(si.key() == null ? null : resolveTerm(si.key(), ctx, scope),
                            resolveTerm(si.value(), ctx, scope), coll);
                }
                case Literal.Every ev -> {
                    Scope inner = new Scope(scope, true);
                    if (ev.key() != null) for (String n : patternVarNames(ev.key())) inner.declare(n);
                    for (String n : patternVarNames(ev.value())) inner.declare(n);
                    Term coll = resolveTerm(ev.collection(), ctx, scope);
                    Term k = ev.key() == null ? null : resolveTerm(ev.key(), ctx, inner);
                    Term v = resolveTerm(ev.value(), ctx, inner);
                    Body body = resolveBody(ev.body(), ctx, inner);
                    yield new Literal.Every(k, v, coll, body);
                }
            };
            List<With> ws = new ArrayList<>();
            for (With w : e.withs()) ws.add(resolveWith(w, ctx, scope));
            out.add(new Expr(lit, e.negated(), ws, e.loc()));
        }
        return new Body(out);
    }

    private void checkAssignable(Term left) throws RegoException {
        switch (left) {
            case Var v -> {}
            case ArrayTerm a -> { for (Term t : a.items()) checkAssignable(t); }
            case ObjectTerm o -> { for (Term t : o.values()) checkAssignable(t); }
            case Scalar s -> {}
            default -> throw new RegoException(RegoException.COMPILE, "cannot assign to " + kindName(left),
                    left.loc().file(), left.loc().row(), left.loc().col());
        }
    }

    private static String kindName(Term t) {
        return switch (t) {
            case Ref r -> "ref"; case Call c -> "call"; case ArrayCompr a -> "arraycomprehension";
            case SetCompr s -> "setcomprehension"; case ObjectCompr o -> "objectcomprehension"; default -> "term";
        };
    }

    private With resolveWith(With w, Ctx ctx, Scope scope) throws RegoException {
        Term target = w.target();
        String name = target instanceof Var v ? v.name() : null;
        if (target instanceof Ref r && r.head() instanceof Var hv) {
            StringBuilder sb = new StringBuilder(hv.name());
            boolean simple = true;
            for (Term p : r.path()) {
                if (p instanceof Scalar s && s.value() instanceof StringValue sv) sb.append('.').append(sv.value());
                else simple = false;
            }
            if (simple) name = sb.toString();
        }
        Term newTarget;
        if (name != null && !name.equals("input") && !name.equals("data") && !name.startsWith("input.") && !name.startsWith("data.")
                && !scopeHas(scope, name)) {
            String fn = resolveFunctionName(name, ctx);
            if (fn == null && ctx.aliases().containsKey(name.split("\\.")[0])) {
                newTarget = resolveTerm(target, ctx, scope);
            } else if (fn == null) {
                throw new RegoException(RegoException.COMPILE, "with keyword target must reference existing input, data, or a function",
                        w.loc().file(), w.loc().row(), w.loc().col());
            } else newTarget = new FuncRef(fn, target.loc());
        } else if (name != null && name.startsWith("data.") && functionArity.containsKey(name)) {
            newTarget = new FuncRef(name, target.loc());
        } else {
            newTarget = resolveTerm(target, ctx, scope);
            if (newTarget instanceof Var v2 && (v2.name().equals("input") || v2.name().equals("data")))
                newTarget = new Ref(v2, List.of(), v2.loc());
            if (!(newTarget instanceof Ref nr && nr.head() instanceof Var hv2 && (hv2.name().equals("input") || hv2.name().equals("data"))))
                throw new RegoException(RegoException.COMPILE, "with keyword target must reference existing input, data, or a function",
                        w.loc().file(), w.loc().row(), w.loc().col());
            String full = refName((Ref) newTarget);
            if (full != null && functionArity.containsKey(full)) newTarget = new FuncRef(full, target.loc());
        }
        Term value = w.value();
        Term newValue = null;
        if (newTarget instanceof FuncRef) {
            String vn = value instanceof Var v ? v.name() : (value instanceof Ref r ? refName(r) : null);
            if (vn != null && !scopeHas(scope, vn)) {
                String fn = resolveFunctionName(vn, ctx);
                if (fn != null) newValue = new FuncRef(fn, value.loc());
            }
        }
        if (newValue == null) newValue = resolveTerm(value, ctx, scope);
        return new With(newTarget, newValue, w.loc());
    }

    private static boolean scopeHas(Scope s, String name) { return s.lookup(name.split("\\.")[0]) != null; }

    private static String refName(Ref r) {
        if (!(r.head() instanceof Var hv)) return null;
        StringBuilder sb = new StringBuilder(hv.name());
        for (Term p : r.path()) {
            if (p instanceof Scalar s && s.value() instanceof StringValue sv) sb.append('.').append(sv.value());
            else return null;
        }
        return sb.toString();
    }

    /** The full name of a callable: a user function path or a builtin name; null when neither. */
    private String resolveFunctionName(String name, Ctx ctx) {
        int dot = name.indexOf('.');
        String first = dot < 0 ? name : name.substring(0, dot);
        String rest = dot < 0 ? "" : name.substring(dot);
        if (ctx.aliases().containsKey(first)) {
            String base = refName(ctx.aliases().get(first));
            if (base != null) { String full = base + rest; if (functionArity.containsKey(full)) return full; }
        }
        if (ctx.ruleNames().contains(first)) {
            String full = "data." + String.join(".", ctx.pkg()) + "." + name;
            if (functionArity.containsKey(full)) return full;
        }
        if (name.startsWith("data.") && functionArity.containsKey(name)) return name;
        if (builtins.lookup(name) != null) return name;
        return null;
    }

    private Term resolveTerm(Term t, Ctx ctx, Scope scope) throws RegoException {
        return switch (t) {
            case Scalar s -> s;
            case FuncRef f -> f;
            case Var v -> resolveVar(v, ctx, scope);
            case Ref r -> {
                Term head = resolveTerm(r.head(), ctx, scope);
                List<Term> path = new ArrayList<>();
                if (head instanceof Ref hr) { path.addAll(hr.path()); head = hr.head(); }
                for (Term p : r.path()) path.add(resolveTerm(p, ctx, scope));
                yield new Ref(head, List.copyOf(path), r.loc());
            }
            case ArrayTerm a -> new ArrayTerm(resolveAll(a.items(), ctx, scope), a.loc());
            case SetTerm s -> new SetTerm(resolveAll(s.items(), ctx, scope), s.loc());
            case ObjectTerm o -> new ObjectTerm(resolveAll(o.keys(), ctx, scope), resolveAll(o.values(), ctx, scope), o.loc());
            case Call c when c.args().isEmpty() && metaRule != null && c.name().equals("rego.metadata.rule") -> new Scalar(metaRule, c.loc());
            case Call c when c.args().isEmpty() && metaChain != null && c.name().equals("rego.metadata.chain") -> new Scalar(metaChain, c.loc());
            case Call c -> {
                String fn = resolveFunctionName(c.name(), ctx);
                if (fn == null) {
                    throw new RegoException(RegoException.TYPE, "undefined function " + c.name(), c.loc().file(), c.loc().row(), c.loc().col());
                }
                int arity = arityOf(fn);
                if (c.args().size() != arity && c.args().size() != arity + 1) {
                    throw new RegoException(RegoException.TYPE, (fn.startsWith("data.") ? fn.substring(5) : fn) + ": arity mismatch", c.loc().file(), c.loc().row(), c.loc().col());
                }
                yield new Call(fn, resolveAll(c.args(), ctx, scope), c.loc());
            }
            case ArrayCompr a -> {
                Scope inner = new Scope(scope, true);
                Body b = resolveBody(a.body(), ctx, inner);
                yield new ArrayCompr(resolveTerm(a.head(), ctx, inner), b, a.loc());
            }
            case SetCompr s -> {
                Scope inner = new Scope(scope, true);
                Body b = resolveBody(s.body(), ctx, inner);
                yield new SetCompr(resolveTerm(s.head(), ctx, inner), b, s.loc());
            }
            case ObjectCompr o -> {
                Scope inner = new Scope(scope, true);
                Body b = resolveBody(o.body(), ctx, inner);
                yield new ObjectCompr(resolveTerm(o.key(), ctx, inner), resolveTerm(o.value(), ctx, inner), b, o.loc());
            }
        };
    }

    private List<Term> resolveAll(List<Term> ts, Ctx ctx, Scope scope) throws RegoException {
        List<Term> out = new ArrayList<>(ts.size());
        for (Term t : ts) out.add(resolveTerm(t, ctx, scope));
        return out;
    }

    private Term resolveVar(Var v, Ctx ctx, Scope scope) {
        String n = v.name();
        if (n.equals("_")) return new Var("$_" + (fresh++), v.loc());
        String local = scope.lookup(n);
        if (local != null) return local.equals(n) ? v : new Var(local, v.loc());
        if (n.equals("data") || n.equals("input")) return v;
        Ref alias = ctx.aliases().get(n);
        if (alias != null) return new Ref(alias.head(), alias.path(), v.loc());
        if (ctx.ruleNames().contains(n)) {
            List<Term> path = new ArrayList<>();
            for (String s : ctx.pkg()) path.add(new Scalar(StringValue.of(s), v.loc()));
            path.add(new Scalar(StringValue.of(n), v.loc()));
            return new Ref(new Var("data", v.loc()), List.copyOf(path), v.loc());
        }
        return v;
    }

    // ---- safety: order each body so every variable is bound before it is needed ----

    /**
     * Orders the literals of {@code body} (recursively for closures). {@code bound} are the variables
     * bound on entry; {@code available} the variables of the enclosing scopes that closures may capture.
     */
    List<Expr> order(Body body, Set<String> bound, Set<String> available) throws RegoException {
        List<Expr> exprs = body.exprs();
        Set<String> visible = new HashSet<>(available);
        for (Expr e : exprs) visible.addAll(Vars.exprVarsNoClosures(e));
        // recursively order closures first
        List<Expr> rewritten = new ArrayList<>();
        for (Expr e : exprs) rewritten.add(orderClosures(e, visible));
        List<Expr> out = new ArrayList<>();
        Set<String> b = new HashSet<>(bound);
        boolean[] done = new boolean[rewritten.size()];
        int placed = 0;
        while (placed < rewritten.size()) {
            boolean progress = false;
            for (int i = 0; i < rewritten.size(); i++) {
                if (done[i]) continue;
                Expr e = rewritten.get(i);
                Set<String> others = new HashSet<>(available);
                for (int j = 0; j < rewritten.size(); j++) if (j != i) others.addAll(Vars.exprVarsNoClosures(rewritten.get(j)));
                if (Vars.isSafe(e, b, others, visible, this::arityOf)) {
                    done[i] = true;
                    placed++;
                    out.add(e);
                    if (!e.negated()) b.addAll(Vars.bindsOf(e, this::arityOf));
                    progress = true;
                }
            }
            if (!progress) {
                for (int i = 0; i < rewritten.size(); i++) {
                    if (done[i]) continue;
                    Expr e = rewritten.get(i);
                    Set<String> others = new HashSet<>(available);
                    for (int j = 0; j < rewritten.size(); j++) if (j != i) others.addAll(Vars.exprVarsNoClosures(rewritten.get(j)));
                    Set<String> missing = new LinkedHashSet<>(Vars.unsafeVars(e, b, others, visible, this::arityOf));
                    String v = missing.isEmpty() ? "?" : missing.iterator().next();
                    throw unsafe(v, e.loc());
                }
            }
        }
        return out;
    }

    private Expr orderClosures(Expr e, Set<String> visible) throws RegoException {
        Literal lit = switch (e.literal()) {
            case Literal.TermLit t -> new Literal.TermLit(closures(t.term(), visible));
            case Literal.Unify u -> new Literal.Unify(closures(u.left(), visible), closures(u.right(), visible));
            case Literal.Assign a -> new Literal.Assign(closures(a.left(), visible), closures(a.right(), visible));
            case Literal.SomeDecl s -> s;
            case Literal.SomeIn s -> new Literal.SomeIn(s.key() == null ? null : closures(s.key(), visible),
                    closures(s.value(), visible), closures(s.collection(), visible));
            case Literal.Every ev -> {
                Set<String> captured = new HashSet<>(Vars.bodyVars(ev.body()));
                captured.retainAll(visible);
                Set<String> bound = new HashSet<>(captured);
                if (ev.key() != null) bound.addAll(Vars.all(ev.key()));
                bound.addAll(Vars.all(ev.value()));
                Set<String> avail = new HashSet<>(visible);
                avail.addAll(bound);
                yield new Literal.Every(ev.key(), ev.value(), closures(ev.collection(), visible),
                        new Body(order(ev.body(), bound, avail)));
            }
        };
        List<With> ws = new ArrayList<>();
        for (With w : e.withs()) ws.add(new With(w.target(), closures(w.value(), visible), w.loc()));
        return new Expr(lit, e.negated(), ws, e.loc());
    }

    private Term closures(Term t, Set<String> visible) throws RegoException {
        return switch (t) {
            case ArrayCompr a -> {
                Body b = orderClosure(a.body(), List.of(a.head()), visible);
                yield new ArrayCompr(a.head(), b, a.loc());
            }
            case SetCompr s -> new SetCompr(s.head(), orderClosure(s.body(), List.of(s.head()), visible), s.loc());
            case ObjectCompr o -> new ObjectCompr(o.key(), o.value(), orderClosure(o.body(), List.of(o.key(), o.value()), visible), o.loc());
            case Ref r -> {
                List<Term> p = new ArrayList<>();
                for (Term x : r.path()) p.add(closures(x, visible));
                yield new Ref(closures(r.head(), visible), p, r.loc());
            }
            case ArrayTerm a -> new ArrayTerm(closuresAll(a.items(), visible), a.loc());
            case SetTerm s -> new SetTerm(closuresAll(s.items(), visible), s.loc());
            case ObjectTerm o -> new ObjectTerm(closuresAll(o.keys(), visible), closuresAll(o.values(), visible), o.loc());
            case Call c -> new Call(c.name(), closuresAll(c.args(), visible), c.loc());
            default -> t;
        };
    }

    private List<Term> closuresAll(List<Term> ts, Set<String> visible) throws RegoException {
        List<Term> out = new ArrayList<>();
        for (Term t : ts) out.add(closures(t, visible));
        return out;
    }

    private Body orderClosure(Body body, List<Term> heads, Set<String> visible) throws RegoException {
        Set<String> all = new HashSet<>(Vars.bodyVars(body));
        for (Term h : heads) all.addAll(Vars.all(h));
        Set<String> captured = new HashSet<>(all);
        captured.retainAll(visible);
        Set<String> avail = new HashSet<>(visible);
        for (Term h : heads) avail.addAll(Vars.all(h));
        List<Expr> ordered = order(body, captured, avail);
        Set<String> after = new HashSet<>(captured);
        for (Expr e : ordered) if (!e.negated()) after.addAll(Vars.bindsOf(e, this::arityOf));
        for (Term h : heads) {
            for (String v : Vars.all(h)) if (!after.contains(v) && !Vars.inRefPathOnly(h, v)) throw unsafe(v, h.loc());
        }
        return new Body(ordered);
    }
}
