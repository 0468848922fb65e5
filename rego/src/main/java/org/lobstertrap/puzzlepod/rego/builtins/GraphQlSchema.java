package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A GraphQL schema built from a schema AST (as produced by {@link GraphQlParser}, or handed in by a
 * policy) plus the built-in prelude, checked with the rules of the reference validator, and able to
 * validate query documents against itself. Errors are reported as {@link Invalid} with the reference
 * wording where it is known.
 */
final class GraphQlSchema {
    /** The schema or a query against it is not valid. */
    static final class Invalid extends Exception {
        /** The query node the problem is about, when known. */
        final Value node;
        Invalid(String message) { this(message, null); }
        Invalid(String message, Value node) { super(message, null, false, false); this.node = node; }
    }

    private static final String PRELUDE = """
            scalar Int
            scalar Float
            scalar String
            scalar Boolean
            scalar ID
            directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
            directive @specifiedBy(url: String!) on SCALAR
            directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @oneOf on INPUT_OBJECT
            """;

    // ---- AST access (tolerant of pruned members) ----

    static String str(Value node, String key) {
        return node instanceof ObjectValue o && o.get(key) instanceof StringValue s ? s.value() : "";
    }

    static List<Value> list(Value node, String key) {
        return node instanceof ObjectValue o && o.get(key) instanceof ArrayValue a ? a.asList() : List.of();
    }

    static Value member(Value node, String key) { return node instanceof ObjectValue o ? o.get(key) : null; }

    static String namedType(Value type) {
        Value t = type;
        while (t != null && str(t, "NamedType").isEmpty()) t = member(t, "Elem");
        return t == null ? "" : str(t, "NamedType");
    }

    static boolean nonNull(Value type) { return member(type, "NonNull") instanceof BooleanValue b && b.value(); }

    static String typeText(Value type) {
        String inner = str(type, "NamedType").isEmpty() ? "[" + typeText(member(type, "Elem")) + "]" : str(type, "NamedType");
        return inner + (nonNull(type) ? "!" : "");
    }

    // ---- model ----

    static final class TypeDef {
        final String kind, name;
        final boolean builtIn;
        final Map<String, Value> fields = new LinkedHashMap<>();
        final List<String> interfaces = new ArrayList<>(), members = new ArrayList<>(), enumValues = new ArrayList<>();
        final List<Value> directives = new ArrayList<>();
        final List<Value> fieldDefs = new ArrayList<>(), valueDefs = new ArrayList<>();
        TypeDef(String kind, String name, boolean builtIn) { this.kind = kind; this.name = name; this.builtIn = builtIn; }
        boolean composite() { return kind.equals("OBJECT") || kind.equals("INTERFACE") || kind.equals("UNION"); }
        boolean input() { return kind.equals("SCALAR") || kind.equals("ENUM") || kind.equals("INPUT_OBJECT"); }
        boolean leaf() { return kind.equals("SCALAR") || kind.equals("ENUM"); }
    }

    final Map<String, TypeDef> types = new HashMap<>();
    final Map<String, Value> directives = new HashMap<>();
    final Map<String, String> roots = new HashMap<>();

    private GraphQlSchema() {}

    static GraphQlSchema load(Value doc) throws Invalid {
        GraphQlSchema s = new GraphQlSchema();
        try {
            s.add(GraphQlParser.parseSchema(PRELUDE), true);
        } catch (GraphQlParser.SyntaxError e) {
            throw new IllegalStateException("GraphQL prelude does not parse", e);
        }
        s.add(doc, false);
        s.check(doc);
        return s;
    }

    private void add(Value doc, boolean builtIn) throws Invalid {
        for (Value d : list(doc, "Definitions")) {
            String name = str(d, "Name");
            if (types.containsKey(name)) throw new Invalid("Cannot redeclare type " + name + ".");
            TypeDef t = new TypeDef(str(d, "Kind"), name, builtIn);
            types.put(name, t);
            merge(t, d);
        }
        for (Value d : list(doc, "Directives")) {
            String name = str(d, "Name");
            if (directives.containsKey(name)) throw new Invalid("Cannot redeclare directive " + name + ".");
            directives.put(name, d);
        }
        for (Value e : list(doc, "Extensions")) {
            String name = str(e, "Name");
            TypeDef t = types.get(name);
            // Extending a type that is not defined creates it (the reference validator allows this).
            if (t == null) { t = new TypeDef(str(e, "Kind"), name, false); types.put(name, t); }
            if (!t.kind.equals(str(e, "Kind")))
                throw new Invalid("Cannot extend type " + name + " because the base type is a " + t.kind + ", not " + str(e, "Kind") + ".");
            merge(t, e);
        }
    }

    private static void merge(TypeDef t, Value d) throws Invalid {
        t.directives.addAll(list(d, "Directives"));
        for (Value i : list(d, "Interfaces")) t.interfaces.add(((StringValue) i).value());
        for (Value m : list(d, "Types")) t.members.add(((StringValue) m).value());
        for (Value f : list(d, "Fields")) {
            if (t.fields.put(str(f, "Name"), f) != null)
                throw new Invalid("Field " + t.name + "." + str(f, "Name") + " can only be defined once.");
            t.fieldDefs.add(f);
        }
        for (Value v : list(d, "EnumValues")) {
            if (t.enumValues.contains(str(v, "Name"))) throw new Invalid("Enum value " + t.name + "." + str(v, "Name") + " can only be defined once.");
            t.enumValues.add(str(v, "Name"));
            t.valueDefs.add(v);
        }
    }

    private void check(Value doc) throws Invalid {
        List<Value> schemaDefs = list(doc, "Schema");
        if (schemaDefs.size() > 1) throw new Invalid("Cannot have multiple schema entry points, consider schema extensions instead.");
        List<Value> ops = new ArrayList<>();
        for (Value s : schemaDefs) ops.addAll(list(s, "OperationTypes"));
        for (Value s : list(doc, "SchemaExtension")) ops.addAll(list(s, "OperationTypes"));
        for (Value op : ops) {
            String type = str(op, "Type");
            TypeDef t = types.get(type);
            if (t == null) throw new Invalid("Schema root " + str(op, "Operation") + " refers to a type " + type + " that does not exist.");
            if (!t.kind.equals("OBJECT")) throw new Invalid(str(op, "Operation") + " root type " + type + " must be an OBJECT.");
            roots.put(str(op, "Operation"), type);
        }
        if (schemaDefs.isEmpty()) {
            for (String[] r : new String[][] {{"query", "Query"}, {"mutation", "Mutation"}, {"subscription", "Subscription"}})
                if (!roots.containsKey(r[0]) && types.containsKey(r[1]) && types.get(r[1]).kind.equals("OBJECT")) roots.put(r[0], r[1]);
        }
        for (Value d : directives.values()) {
            if (str(d, "Name").startsWith("__")) throw new Invalid("Directive name \"" + str(d, "Name") + "\" must not begin with \"__\".");
            for (Value a : list(d, "Arguments")) checkInputType(a, "Directive @" + str(d, "Name"));
        }
        for (TypeDef t : types.values()) if (!t.builtIn) checkType(t);
    }

    private void checkInputType(Value arg, String where) throws Invalid {
        String n = namedType(member(arg, "Type"));
        TypeDef at = types.get(n);
        if (at == null) throw new Invalid("Undefined type " + n + ".");
        if (!at.input()) throw new Invalid(where + ": argument " + str(arg, "Name") + " must be an input type, not " + at.kind + ".");
    }

    private void checkType(TypeDef t) throws Invalid {
        if (t.name.startsWith("__")) throw new Invalid("Name \"" + t.name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
        checkDirectives(t.directives, t.kind);
        switch (t.kind) {
            case "OBJECT", "INTERFACE" -> {
                if (t.fields.isEmpty()) throw new Invalid(t.kind + " " + t.name + ": must define one or more fields.");
                for (Value f : t.fieldDefs) {
                    String fn = str(f, "Name");
                    if (fn.startsWith("__")) throw new Invalid("Name \"" + fn + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
                    String tn = namedType(member(f, "Type"));
                    TypeDef ft = types.get(tn);
                    if (ft == null) throw new Invalid("Undefined type " + tn + ".");
                    if (ft.kind.equals("INPUT_OBJECT")) throw new Invalid(t.name + "." + fn + " must be an output type.");
                    for (Value a : list(f, "Arguments")) {
                        checkInputType(a, t.name + "." + fn);
                        checkDirectives(list(a, "Directives"), "ARGUMENT_DEFINITION");
                    }
                    checkDirectives(list(f, "Directives"), "FIELD_DEFINITION");
                }
                for (String in : t.interfaces) {
                    TypeDef it = types.get(in);
                    if (it == null) throw new Invalid("Undefined type " + in + ".");
                    if (!it.kind.equals("INTERFACE")) throw new Invalid(t.kind + " " + t.name + " implements non-interface " + in + ".");
                    for (String fname : it.fields.keySet())
                        if (!t.fields.containsKey(fname)) throw new Invalid("For " + t.name + " to implement " + in + " it must have a field called " + fname + ".");
                    for (String transitive : it.interfaces)
                        if (!t.interfaces.contains(transitive))
                            throw new Invalid(t.kind + " " + t.name + " must implement " + transitive + " because it is implemented by " + in + ".");
                }
            }
            case "UNION" -> {
                if (t.members.isEmpty()) throw new Invalid("UNION " + t.name + ": must define one or more member types.");
                for (String m : t.members) {
                    TypeDef mt = types.get(m);
                    if (mt == null) throw new Invalid("Undefined type " + m + ".");
                    if (!mt.kind.equals("OBJECT")) throw new Invalid(t.name + " can only include OBJECT types, it included a " + mt.kind + ".");
                }
            }
            case "ENUM" -> {
                if (t.enumValues.isEmpty()) throw new Invalid("ENUM " + t.name + ": must define one or more unique enum values.");
                for (Value v : t.valueDefs) checkDirectives(list(v, "Directives"), "ENUM_VALUE");
            }
            case "INPUT_OBJECT" -> {
                if (t.fields.isEmpty()) throw new Invalid("INPUT_OBJECT " + t.name + ": must define one or more input fields.");
                for (Value f : t.fieldDefs) {
                    checkInputType(f, t.name);
                    checkDirectives(list(f, "Directives"), "INPUT_FIELD_DEFINITION");
                }
            }
            case "SCALAR" -> { }
            default -> throw new Invalid("Unknown kind " + t.kind + " for type " + t.name + ".");
        }
    }

    private void checkDirectives(List<Value> uses, String location) throws Invalid {
        for (Value d : uses) {
            String name = str(d, "Name");
            Value def = directives.get(name);
            if (def == null) throw new Invalid("Undefined directive " + name + ".");
            boolean ok = false;
            for (Value l : list(def, "Locations")) if (((StringValue) l).value().equals(location)) ok = true;
            if (!ok) throw new Invalid("Directive " + name + " is not applicable on " + location + ".");
        }
    }

    // ---- query validation -------------------------------------------------------------------

    /** Validates a query document against this schema (a subset of the reference rules). */
    void validate(Value query) throws Invalid {
        new QueryCheck(this, query).run();
    }

    private static final class QueryCheck {
        private final GraphQlSchema schema;
        private final Value doc;
        private final Map<String, Value> fragments = new HashMap<>();
        private Set<String> usedVars;
        /** Fragment spreads already checked in the current operation (fragment@type): each is checked once. */
        private Set<String> checkedSpreads;
        private final Map<String, Set<String>> fragmentVars = new HashMap<>();

        QueryCheck(GraphQlSchema schema, Value doc) { this.schema = schema; this.doc = doc; }

        void run() throws Invalid {
            for (Value f : list(doc, "Fragments")) {
                if (fragments.put(str(f, "Name"), f) != null) throw new Invalid("There can be only one fragment named \"" + str(f, "Name") + "\".");
            }
            List<Value> ops = list(doc, "Operations");
            Set<String> opNames = new HashSet<>();
            for (Value op : ops) {
                String name = str(op, "Name");
                if (name.isEmpty() && ops.size() > 1) throw new Invalid("This anonymous operation must be the only defined operation.");
                if (!name.isEmpty() && !opNames.add(name)) throw new Invalid("There can be only one operation named \"" + name + "\".");
            }
            Set<String> usedFragments = new HashSet<>();
            for (Value op : ops) {
                String kind = str(op, "Operation");
                String rootName = schema.roots.get(kind.isEmpty() ? "query" : kind);
                if (rootName == null) throw new Invalid("Schema does not support operation type \"" + kind + "\"");
                Map<String, Value> vars = new LinkedHashMap<>();
                for (Value v : list(op, "VariableDefinitions")) {
                    String vn = str(v, "Variable");
                    if (vars.put(vn, v) != null) throw new Invalid("There can be only one variable named \"$" + vn + "\".");
                    String tn = namedType(member(v, "Type"));
                    TypeDef vt = schema.types.get(tn);
                    if (vt == null) throw new Invalid("Unknown type \"" + tn + "\".");
                    if (!vt.input()) throw new Invalid("Variable \"$" + vn + "\" cannot be non-input type \"" + typeText(member(v, "Type")) + "\".");
                }
                usedVars = new HashSet<>();
                checkedSpreads = new HashSet<>();
                directives(list(op, "Directives"), kind.toUpperCase(java.util.Locale.ROOT));
                selections(list(op, "SelectionSet"), schema.types.get(rootName), new ArrayList<>(), usedFragments);
                for (String u : usedVars)
                    if (!vars.containsKey(u))
                        throw new Invalid("Variable \"$" + u + "\" is not defined" + (str(op, "Name").isEmpty() ? "." : " by operation \"" + str(op, "Name") + "\"."));
                for (String v : vars.keySet())
                    if (!usedVars.contains(v)) throw new Invalid("Variable \"$" + v + "\" is never used.");
            }
            for (String f : fragments.keySet())
                if (!usedFragments.contains(f)) throw new Invalid("Fragment \"" + f + "\" is never used.");
        }

        private void selections(List<Value> set, TypeDef parent, List<String> fragmentPath, Set<String> usedFragments) throws Invalid {
            for (Value sel : set) {
                ObjectValue s = (ObjectValue) sel;
                if (s.containsKey(StringValue.of("Alias")) || (s.containsKey(StringValue.of("Name")) && s.containsKey(StringValue.of("Arguments")))) {
                    field(s, parent, fragmentPath, usedFragments);
                } else if (s.containsKey(StringValue.of("TypeCondition"))) {
                    String cond = str(s, "TypeCondition");
                    TypeDef target = parent;
                    if (!cond.isEmpty()) {
                        target = schema.types.get(cond);
                        if (target == null) throw new Invalid("Unknown type \"" + cond + "\".");
                        if (!target.composite()) throw new Invalid("Fragment cannot condition on non composite type \"" + cond + "\".");
                        if (!overlap(parent, target))
                            throw new Invalid("Fragment cannot be spread here as objects of type \"" + parent.name + "\" can never be of type \"" + cond + "\".");
                    }
                    directives(list(s, "Directives"), "INLINE_FRAGMENT");
                    selections(list(s, "SelectionSet"), target, fragmentPath, usedFragments);
                } else {
                    String name = str(s, "Name");
                    Value frag = fragments.get(name);
                    if (frag == null) throw new Invalid("Unknown fragment \"" + name + "\".");
                    directives(list(s, "Directives"), "FRAGMENT_SPREAD");
                    usedFragments.add(name);
                    if (fragmentPath.contains(name)) throw new Invalid("Cannot spread fragment \"" + name + "\" within itself.");
                    String cond = str(frag, "TypeCondition");
                    TypeDef target = schema.types.get(cond);
                    if (target == null) throw new Invalid("Unknown type \"" + cond + "\".");
                    if (!target.composite()) throw new Invalid("Fragment \"" + name + "\" cannot condition on non composite type \"" + cond + "\".");
                    if (!overlap(parent, target))
                        throw new Invalid("Fragment \"" + name + "\" cannot be spread here as objects of type \"" + parent.name + "\" can never be of type \"" + cond + "\".");
                    directives(list(frag, "Directives"), "FRAGMENT_DEFINITION");
                    if (!checkedSpreads.add(name + "@" + parent.name)) {
                        // Checked before in this operation: only its variables still count as used.
                        usedVars.addAll(variablesOf(name, new HashSet<>()));
                        continue;
                    }
                    fragmentPath.add(name);
                    selections(list(frag, "SelectionSet"), target, fragmentPath, usedFragments);
                    fragmentPath.remove(fragmentPath.size() - 1);
                }
            }
        }

        private void field(ObjectValue f, TypeDef parent, List<String> fragmentPath, Set<String> usedFragments) throws Invalid {
            try {
                checkField(f, parent, fragmentPath, usedFragments);
            } catch (Invalid e) {
                throw e.node != null ? e : new Invalid(e.getMessage(), f);
            }
        }

        private void checkField(ObjectValue f, TypeDef parent, List<String> fragmentPath, Set<String> usedFragments) throws Invalid {
            String name = str(f, "Name");
            directives(list(f, "Directives"), "FIELD");
            if (name.startsWith("__")) {
                // Introspection: __typename is a leaf on any composite type; __schema/__type are not modelled.
                for (Value a : list(f, "Arguments")) values(member(a, "Value"));
                return;
            }
            Value def = parent.fields.get(name);
            if (def == null || !(parent.kind.equals("OBJECT") || parent.kind.equals("INTERFACE")))
                throw new Invalid("Cannot query field \"" + name + "\" on type \"" + parent.name + "\".");
            arguments(list(f, "Arguments"), list(def, "Arguments"), "Field \"" + name + "\"");
            TypeDef type = schema.types.get(namedType(member(def, "Type")));
            if (type == null) throw new Invalid("Undefined type " + namedType(member(def, "Type")) + ".");
            List<Value> sub = list(f, "SelectionSet");
            if (type.leaf() && !sub.isEmpty())
                throw new Invalid("Field \"" + name + "\" must not have a selection since type \"" + typeText(member(def, "Type")) + "\" has no subfields.");
            if (!type.leaf() && sub.isEmpty())
                throw new Invalid("Field \"" + name + "\" of type \"" + typeText(member(def, "Type")) + "\" must have a selection of subfields. Did you mean \"" + name + " { ... }\"?");
            selections(sub, type, fragmentPath, usedFragments);
        }

        private void arguments(List<Value> given, List<Value> defs, String owner) throws Invalid {
            Set<String> seen = new HashSet<>();
            for (Value a : given) {
                String an = str(a, "Name");
                if (!seen.add(an)) throw new Invalid("There can be only one argument named \"" + an + "\".");
                boolean known = false;
                for (Value d : defs) if (str(d, "Name").equals(an)) known = true;
                if (!known) throw new Invalid("Unknown argument \"" + an + "\" on " + owner + ".");
                values(member(a, "Value"));
            }
            for (Value d : defs) {
                if (nonNull(member(d, "Type")) && member(d, "DefaultValue") == null && !seen.contains(str(d, "Name")))
                    throw new Invalid(owner + " argument \"" + str(d, "Name") + "\" of type \"" + typeText(member(d, "Type"))
                            + "\" is required, but it was not provided");
            }
        }

        /** The variables a fragment uses, including through the fragments it spreads. */
        private Set<String> variablesOf(String fragment, Set<String> visiting) {
            Set<String> known = fragmentVars.get(fragment);
            if (known != null) return known;
            Set<String> out = new HashSet<>();
            if (!visiting.add(fragment) || !fragments.containsKey(fragment)) return out;
            collectVars(list(fragments.get(fragment), "SelectionSet"), out, visiting);
            fragmentVars.put(fragment, out);
            return out;
        }

        private void collectVars(List<Value> set, Set<String> out, Set<String> visiting) {
            for (Value sel : set) {
                Set<String> saved = usedVars;
                usedVars = out;
                for (Value a : list(sel, "Arguments")) values(member(a, "Value"));
                for (Value d : list(sel, "Directives")) for (Value a : list(d, "Arguments")) values(member(a, "Value"));
                usedVars = saved;
                ObjectValue s = (ObjectValue) sel;
                boolean spread = !s.containsKey(StringValue.of("Alias")) && !s.containsKey(StringValue.of("TypeCondition"));
                if (spread) out.addAll(variablesOf(str(sel, "Name"), visiting));
                else collectVars(list(sel, "SelectionSet"), out, visiting);
            }
        }

        /** Records the variables a value uses. */
        private void values(Value v) {
            if (v == null) return;
            if (member(v, "Kind") instanceof NumberValue k && k.isLong() && k.longValue() == 0) usedVars.add(str(v, "Raw"));
            for (Value c : list(v, "Children")) values(member(c, "Value"));
        }

        private void directives(List<Value> uses, String location) throws Invalid {
            for (Value d : uses) {
                String name = str(d, "Name");
                Value def = schema.directives.get(name);
                if (def == null) throw new Invalid("Unknown directive \"@" + name + "\".");
                boolean ok = false;
                for (Value l : list(def, "Locations")) if (((StringValue) l).value().equals(location)) ok = true;
                if (!ok) throw new Invalid("Directive \"@" + name + "\" may not be used on " + location + ".");
                arguments(list(d, "Arguments"), list(def, "Arguments"), "Directive \"@" + name + "\"");
            }
        }

        private Set<String> possible(TypeDef t) {
            Set<String> out = new HashSet<>();
            switch (t.kind) {
                case "OBJECT" -> out.add(t.name);
                case "UNION" -> out.addAll(t.members);
                case "INTERFACE" -> {
                    for (TypeDef o : schema.types.values()) if (o.kind.equals("OBJECT") && o.interfaces.contains(t.name)) out.add(o.name);
                }
                default -> { }
            }
            return out;
        }

        private boolean overlap(TypeDef a, TypeDef b) {
            if (a.name.equals(b.name)) return true;
            Set<String> pa = possible(a);
            for (String x : possible(b)) if (pa.contains(x)) return true;
            return false;
        }
    }
}
