package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;

/**
 * Runtime information and debugging: {@code opa.runtime} (an empty object: the engine exposes no
 * environment or configuration to policies), {@code trace} and {@code print} (accepted and ignored;
 * the evaluator handles {@code print}'s variable arity), and {@code walk} (a relation the evaluator
 * implements; registered here for its arity), OPA's {@code test.sleep} (accepted, no pause), and
 * {@code rego.parse_module} (an outline of OPA's AST: package path, imports, rule head names).
 */
final class Runtime {
    private Runtime() {}

    static void register(BuiltinRegistry r) {
        r.register("opa.runtime", 0, (ctx, a) -> ObjectValue.EMPTY);
        r.register("trace", 1, (ctx, a) -> BooleanValue.TRUE);
        r.register("print", 0, (ctx, a) -> BooleanValue.TRUE);
        r.register("internal.print", 1, (ctx, a) -> BooleanValue.TRUE);
        r.register("walk", 1, (ctx, a) -> null);
        // inside rules the compiler replaces these with the rule's annotations; in a bare query there are none
        r.register("rego.parse_module", 2, Runtime::parseModule);
        r.register("rego.metadata.rule", 0, (ctx, a) -> ObjectValue.EMPTY);
        r.register("rego.metadata.chain", 0, (ctx, a) -> org.lobstertrap.puzzlepod.rego.value.ArrayValue.EMPTY);
        // OPA's test helper; time.now_ns is fixed for the whole query, so a real pause could not be observed
        r.register("test.sleep", 1, (ctx, a) -> { Args.string("test.sleep", a, 0); return BooleanValue.TRUE; });
    }

    private static org.lobstertrap.puzzlepod.rego.value.Value parseModule(BuiltinContext ctx, org.lobstertrap.puzzlepod.rego.value.Value[] a)
            throws org.lobstertrap.puzzlepod.rego.RegoException {
        String file = Args.string("rego.parse_module", a, 0), src = Args.string("rego.parse_module", a, 1);
        org.lobstertrap.puzzlepod.rego.ast.ParsedModule m;
        try {
            m = org.lobstertrap.puzzlepod.rego.parser.Parser.parseModule(file, src);
        } catch (org.lobstertrap.puzzlepod.rego.RegoException e) {
            throw org.lobstertrap.puzzlepod.rego.RegoException.builtin("rego.parse_module", e.toString());
        }
        java.util.List<org.lobstertrap.puzzlepod.rego.value.Value> path = new java.util.ArrayList<>();
        path.add(term("var", "data"));
        for (String s : m.packagePath()) path.add(term("string", s));
        java.util.List<org.lobstertrap.puzzlepod.rego.value.Value> imports = new java.util.ArrayList<>();
        for (var imp : m.imports()) {
            java.util.List<org.lobstertrap.puzzlepod.rego.value.Value> ip = new java.util.ArrayList<>();
            ip.add(term("var", ((org.lobstertrap.puzzlepod.rego.ast.Var) imp.path().head()).name()));
            for (var t : imp.path().path())
                if (t instanceof org.lobstertrap.puzzlepod.rego.ast.Scalar sc && sc.value() instanceof org.lobstertrap.puzzlepod.rego.value.StringValue sv) ip.add(term("string", sv.value()));
            var b = ObjectValue.builder().put("path", ObjectValue.builder().put("type", org.lobstertrap.puzzlepod.rego.value.StringValue.of("ref"))
                    .put("value", org.lobstertrap.puzzlepod.rego.value.ArrayValue.of(ip)).build());
            if (imp.alias() != null) b.put("alias", org.lobstertrap.puzzlepod.rego.value.StringValue.of(imp.alias()));
            imports.add(b.build());
        }
        java.util.List<org.lobstertrap.puzzlepod.rego.value.Value> rules = new java.util.ArrayList<>();
        for (var rule : m.rules()) {
            String name = ((org.lobstertrap.puzzlepod.rego.ast.Var) rule.head().head()).name();
            rules.add(ObjectValue.builder().put("head", ObjectValue.builder().put("name", org.lobstertrap.puzzlepod.rego.value.StringValue.of(name)).build())
                    .put("default", BooleanValue.of(rule.isDefault())).build());
        }
        var out = ObjectValue.builder().put("package", ObjectValue.builder().put("path", org.lobstertrap.puzzlepod.rego.value.ArrayValue.of(path)).build());
        if (!imports.isEmpty()) out.put("imports", org.lobstertrap.puzzlepod.rego.value.ArrayValue.of(imports));
        if (!rules.isEmpty()) out.put("rules", org.lobstertrap.puzzlepod.rego.value.ArrayValue.of(rules));
        return out.build();
    }

    private static org.lobstertrap.puzzlepod.rego.value.Value term(String type, String value) {
        return ObjectValue.builder().put("type", org.lobstertrap.puzzlepod.rego.value.StringValue.of(type))
                .put("value", org.lobstertrap.puzzlepod.rego.value.StringValue.of(value)).build();
    }
}
