package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * JSON and YAML builtins: marshalling ({@code json.marshal}, {@code json.marshal_with_options},
 * {@code yaml.marshal}), parsing ({@code json.unmarshal}, {@code yaml.unmarshal}, {@code *.is_valid}),
 * document surgery ({@code json.filter}, {@code json.remove}, {@code json.patch}) and JSON Schema
 * ({@code json.verify_schema}, {@code json.match_schema}).
 */
final class JsonBuiltins {
    private JsonBuiltins() {}

    static void register(BuiltinRegistry r) {
        r.register("json.marshal", 1, (ctx, a) -> StringValue.of(JsonMarshal.write(a[0], null, null)));
        r.register("json.marshal_with_options", 2, (ctx, a) -> marshalWithOptions(a));
        r.register("json.unmarshal", 1, (ctx, a) -> {
            String text = Args.string("json.unmarshal", a, 0);
            try {
                return Json.parse(text);
            } catch (IllegalArgumentException e) {
                throw RegoException.builtin("json.unmarshal", e.getMessage());
            }
        });
        r.register("json.is_valid", 1, (ctx, a) -> {
            if (!(a[0] instanceof StringValue s)) return BooleanValue.FALSE;
            try {
                Json.parse(s.value());
                return BooleanValue.TRUE;
            } catch (IllegalArgumentException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("yaml.marshal", 1, (ctx, a) -> StringValue.of(Yaml.write(a[0])));
        r.register("yaml.unmarshal", 1, (ctx, a) -> {
            String text = Args.string("yaml.unmarshal", a, 0);
            try {
                return Yaml.parse(text);
            } catch (IllegalArgumentException e) {
                throw RegoException.builtin("yaml.unmarshal", e.getMessage());
            }
        });
        r.register("yaml.is_valid", 1, (ctx, a) -> {
            if (!(a[0] instanceof StringValue s)) return BooleanValue.FALSE;
            try {
                Yaml.parse(s.value());
                return BooleanValue.TRUE;
            } catch (IllegalArgumentException e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("json.filter", 2, (ctx, a) -> {
            Args.object("json.filter", a, 0);
            Value filter = pathsToTree(paths("json.filter", a[1]));
            return filter(a[0], filter);
        });
        r.register("json.remove", 2, (ctx, a) -> {
            Args.object("json.remove", a, 0);
            Value tree = pathsToTree(paths("json.remove", a[1]));
            Value out = remove(a[0], tree);
            return out != null ? out : ObjectValue.EMPTY;
        });
        r.register("json.patch", 2, (ctx, a) -> JsonPatch.apply(a[0], Args.array("json.patch", a, 1)));
        r.register("json.verify_schema", 1, (ctx, a) -> {
            try {
                JsonSchema.compile(schemaOperand("json.verify_schema", a, 0));
                return ArrayValue.of(BooleanValue.TRUE, NullValue.INSTANCE);
            } catch (JsonSchema.InvalidSchema e) {
                return ArrayValue.of(BooleanValue.FALSE, StringValue.of("jsonschema: " + e.getMessage()));
            }
        });
        r.register("json.match_schema", 2, (ctx, a) -> {
            Value doc = a[0] instanceof StringValue s ? parseJson("json.match_schema", s.value()) : a[0];
            JsonSchema schema;
            try {
                schema = JsonSchema.compile(schemaOperand("json.match_schema", a, 1));
            } catch (JsonSchema.InvalidSchema e) {
                throw RegoException.builtin("json.match_schema", e.getMessage());
            }
            List<Value> errors = schema.validate(doc);
            return ArrayValue.of(BooleanValue.of(errors.isEmpty()), ArrayValue.of(errors));
        });
    }

    private static Value schemaOperand(String fn, Value[] a, int i) throws RegoException {
        return switch (a[i]) {
            case StringValue s -> parseJson(fn, s.value());
            case ObjectValue o -> o;
            case BooleanValue b -> b;
            default -> throw Args.mismatch(fn, i, "one of {string, object, boolean}", a[i]);
        };
    }

    private static Value parseJson(String fn, String text) throws RegoException {
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw RegoException.builtin(fn, e.getMessage());
        }
    }

    private static Value marshalWithOptions(Value[] a) throws RegoException {
        String fn = "json.marshal_with_options";
        ObjectValue opts = Args.object(fn, a, 1);
        String indent = "\t", prefix = "";
        boolean implicitPretty = false, explicitSet = false, explicitPretty = false;
        for (Value k : opts.sortedKeys()) {
            Value v = opts.get(k);
            String key = k instanceof StringValue s ? s.value() : null;
            if ("prefix".equals(key) || "indent".equals(key)) {
                if (!(v instanceof StringValue sv))
                    throw RegoException.typeError(fn, "operand 2 key " + key + " failed cast to string: must be string but got " + v.typeName());
                if (key.equals("prefix")) prefix = sv.value(); else indent = sv.value();
                implicitPretty = true;
            } else if ("pretty".equals(key)) {
                if (!(v instanceof BooleanValue bv))
                    throw RegoException.typeError(fn, "operand 2 key pretty failed cast to bool: must be boolean but got " + v.typeName());
                explicitSet = true;
                explicitPretty = bv.value();
            } else {
                throw RegoException.typeError(fn, "operand 2 object contained unknown key " + k);
            }
        }
        boolean pretty = explicitSet ? explicitPretty : implicitPretty;
        if (!pretty) return StringValue.of(JsonMarshal.write(a[0], null, null));
        // Like Go's MarshalIndent the prefix starts every line after the first; OPA adds it to the first too.
        return StringValue.of(prefix + JsonMarshal.write(a[0], prefix, indent));
    }

    // ---- json.filter / json.remove ------------------------------------------------------------

    /** The paths operand: a set or array of "a/b/c" strings or arrays of segments. */
    static List<List<Value>> paths(String fn, Value operand) throws RegoException {
        List<Value> items = switch (operand) {
            case SetValue s -> List.of(s.sortedElements());
            case ArrayValue arr -> arr.asList();
            default -> throw Args.mismatch(fn, 1, "one of {set, array}", operand);
        };
        List<List<Value>> out = new ArrayList<>(items.size());
        for (Value item : items) out.add(parsePath(fn, item));
        return out;
    }

    /** One path: "/a/b" (leading slashes optional, ~1 and ~0 unescaped) or an array of segments. */
    static List<Value> parsePath(String fn, Value path) throws RegoException {
        if (path instanceof StringValue s) {
            if (s.value().isEmpty()) return List.of();
            String p = s.value();
            int start = 0;
            while (start < p.length() && p.charAt(start) == '/') start++;
            List<Value> segs = new ArrayList<>();
            for (String part : p.substring(start).split("/", -1))
                segs.add(StringValue.of(part.replace("~1", "/").replace("~0", "~")));
            return segs;
        }
        if (path instanceof ArrayValue arr) return arr.asList();
        throw RegoException.typeError(fn, "operand 2 must be one of {set, array} containing string paths or array of path segments but got "
                + path.typeName());
    }

    /**
     * Merges paths into one tree of objects whose leaves are null ("everything below here"). A shorter
     * path wins over a longer one sharing its prefix, whatever their order.
     */
    static Value pathsToTree(List<List<Value>> paths) {
        Node root = new Node();
        for (List<Value> path : paths) {
            if (path.isEmpty()) continue;
            Node node = root;
            boolean done = false;
            for (int i = 0; i < path.size() - 1 && !done; i++) {
                Node child = node.children.get(path.get(i));
                if (child == null) {
                    child = new Node();
                    node.children.put(path.get(i), child);
                } else if (child.leaf) {
                    done = true;
                }
                node = child;
            }
            if (!done) {
                Node leaf = new Node();
                leaf.leaf = true;
                node.children.put(path.get(path.size() - 1), leaf);
            }
        }
        return root.toValue();
    }

    private static final class Node {
        final java.util.HashMap<Value, Node> children = new java.util.HashMap<>();
        boolean leaf;

        Value toValue() {
            if (leaf) return NullValue.INSTANCE;
            ObjectValue.Builder b = ObjectValue.builder();
            children.forEach((k, v) -> b.put(k, v.toValue()));
            return b.build();
        }
    }

    /** The tree key for array element i: its index as a string (paths are text), or as a number. */
    private static Value indexKey(ObjectValue tree, int i) {
        Value v = tree.get(StringValue.of(Integer.toString(i)));
        return v != null ? v : tree.get(org.lobstertrap.puzzlepod.rego.value.NumberValue.of(i));
    }

    private static Value filter(Value doc, Value tree) {
        if (tree instanceof NullValue) return doc;
        if (!(tree instanceof ObjectValue t)) return doc;
        switch (doc) {
            case ObjectValue o -> {
                ObjectValue.Builder b = ObjectValue.builder();
                for (var e : o.asMap().entrySet()) {
                    Value f = t.get(e.getKey());
                    if (f != null) b.put(e.getKey(), filter(e.getValue(), f));
                }
                return b.build();
            }
            case SetValue s -> {
                SetValue.Builder b = SetValue.builder();
                for (Value e : s.asSet()) {
                    Value f = t.get(e);
                    if (f != null) b.add(filter(e, f));
                }
                return b.build();
            }
            case ArrayValue arr -> {
                List<Value> out = new ArrayList<>();
                for (int i = 0; i < arr.size(); i++) {
                    Value f = indexKey(t, i);
                    if (f != null) out.add(filter(arr.get(i), f));
                }
                return ArrayValue.of(out);
            }
            default -> { return doc; }
        }
    }

    /** The document without the tree's leaves; null when the whole document is removed. */
    private static Value remove(Value doc, Value tree) {
        if (tree == null) return doc;
        if (tree instanceof NullValue) return null;
        if (!(tree instanceof ObjectValue t)) return doc;
        switch (doc) {
            case ObjectValue o -> {
                ObjectValue.Builder b = ObjectValue.builder();
                for (var e : o.asMap().entrySet()) {
                    Value v = remove(e.getValue(), t.get(e.getKey()));
                    if (v != null) b.put(e.getKey(), v);
                }
                return b.build();
            }
            case SetValue s -> {
                SetValue.Builder b = SetValue.builder();
                for (Value e : s.asSet()) {
                    Value v = remove(e, t.get(e));
                    if (v != null) b.add(v);
                }
                return b.build();
            }
            case ArrayValue arr -> {
                List<Value> out = new ArrayList<>();
                for (int i = 0; i < arr.size(); i++) {
                    Value v = remove(arr.get(i), indexKey(t, i));
                    if (v != null) out.add(v);
                }
                return ArrayValue.of(out);
            }
            default -> { return doc; }
        }
    }
}
