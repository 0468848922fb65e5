package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * RFC 6902 JSON Patch over Rego values ({@code json.patch}), with OPA's extensions: paths may be
 * arrays of segments, leading slashes are optional, and sets are addressed by their members.
 * A patch that cannot apply (missing target, failed test, bad index) makes the result undefined;
 * a malformed patch is a type error.
 */
final class JsonPatch {
    private static final String FN = "json.patch";

    private JsonPatch() {}

    /** Signals an operation that does not apply to this document. */
    private static final class NotApplicable extends Exception {
        NotApplicable() { super(null, null, false, false); }
    }

    static Value apply(Value doc, ArrayValue ops) throws RegoException {
        try {
            for (Value opv : ops.asList()) {
                if (!(opv instanceof ObjectValue op))
                    throw RegoException.typeError(FN, "operand 2 must be an array of JSON-Patch objects");
                Value opName = attr(op, "op");
                if (!(opName instanceof StringValue name))
                    throw RegoException.typeError(FN, "operand 2 patch attribute 'op' must be a string");
                List<Value> path = JsonBuiltins.parsePath(FN, attr(op, "path"));
                doc = switch (name.value()) {
                    case "add" -> add(doc, path, 0, attr(op, "value"));
                    case "remove" -> remove(doc, path, 0);
                    case "replace" -> replace(doc, path, 0, attr(op, "value"));
                    case "move" -> {
                        List<Value> from = JsonBuiltins.parsePath(FN, attr(op, "from"));
                        Value v = get(doc, from);
                        if (from.equals(path)) yield doc;
                        yield add(remove(doc, from, 0), path, 0, v);
                    }
                    case "copy" -> add(doc, path, 0, get(doc, JsonBuiltins.parsePath(FN, attr(op, "from"))));
                    case "test" -> {
                        if (!get(doc, path).equals(attr(op, "value"))) throw new NotApplicable();
                        yield doc;
                    }
                    default -> throw RegoException.typeError(FN, "operand 2 must be an array of JSON-Patch objects");
                };
            }
            return doc;
        } catch (NotApplicable e) {
            return null;
        }
    }

    private static Value attr(ObjectValue op, String name) throws RegoException {
        Value v = op.get(name);
        if (v == null) throw RegoException.typeError(FN, "operand 2 patch is missing '" + name + "' attribute");
        return v;
    }

    private static Value get(Value doc, List<Value> path) throws NotApplicable {
        Value cur = doc;
        for (Value seg : path) cur = child(cur, seg);
        return cur;
    }

    private static Value child(Value node, Value seg) throws NotApplicable {
        Value c = switch (node) {
            case ObjectValue o -> o.get(seg);
            case ArrayValue a -> {
                int i = index(seg, a.size() - 1);
                yield a.get(i);
            }
            case SetValue s -> s.contains(seg) ? seg : null;
            default -> null;
        };
        if (c == null) throw new NotApplicable();
        return c;
    }

    /** An array index per RFC 6901 (no sign, no leading zeros) that must be within [0, max]. */
    private static int index(Value seg, int max) throws NotApplicable {
        long i;
        if (seg instanceof StringValue s) {
            String t = s.value();
            if (t.isEmpty() || t.length() > 9 || (t.length() > 1 && t.charAt(0) == '0')) throw new NotApplicable();
            for (int k = 0; k < t.length(); k++) if (t.charAt(k) < '0' || t.charAt(k) > '9') throw new NotApplicable();
            i = Long.parseLong(t);
        } else if (seg instanceof NumberValue n && n.isLong()) {
            i = n.longValue();
        } else {
            throw new NotApplicable();
        }
        if (i < 0 || i > max) throw new NotApplicable();
        return (int) i;
    }

    /** Rebuilds {@code node} with its child {@code seg} replaced by {@code value}. */
    private static Value withChild(Value node, Value seg, Value value) throws NotApplicable {
        switch (node) {
            case ObjectValue o -> {
                ObjectValue.Builder b = ObjectValue.builder();
                for (var e : o.asMap().entrySet()) b.put(e.getKey(), e.getValue());
                return b.put(seg, value).build();
            }
            case ArrayValue a -> {
                Value[] out = a.asList().toArray(new Value[0]);
                out[index(seg, a.size() - 1)] = value;
                return ArrayValue.wrap(out);
            }
            case SetValue s -> {
                SetValue.Builder b = SetValue.builder();
                for (Value e : s.asSet()) if (!e.equals(seg)) b.add(e);
                return b.add(value).build();
            }
            default -> throw new NotApplicable();
        }
    }

    private static Value add(Value node, List<Value> path, int i, Value value) throws NotApplicable {
        if (path.isEmpty()) return value;
        Value seg = path.get(i);
        if (i < path.size() - 1) return withChild(node, seg, add(child(node, seg), path, i + 1, value));
        switch (node) {
            case ObjectValue o -> { return withChild(o, seg, value); }
            case ArrayValue a -> {
                int at = seg instanceof StringValue s && s.value().equals("-") ? a.size() : index(seg, a.size());
                Value[] out = new Value[a.size() + 1];
                for (int k = 0, j = 0; k < out.length; k++) out[k] = k == at ? value : a.get(j++);
                return ArrayValue.wrap(out);
            }
            case SetValue s -> {
                // A set member is its own key: the path must name the value being added.
                if (!seg.equals(value)) throw new NotApplicable();
                return SetValue.builder().addAll(s.asSet()).add(value).build();
            }
            default -> throw new NotApplicable();
        }
    }

    private static Value remove(Value node, List<Value> path, int i) throws NotApplicable {
        if (path.isEmpty()) throw new NotApplicable();
        Value seg = path.get(i);
        if (i < path.size() - 1) return withChild(node, seg, remove(child(node, seg), path, i + 1));
        switch (node) {
            case ObjectValue o -> {
                if (!o.containsKey(seg)) throw new NotApplicable();
                ObjectValue.Builder b = ObjectValue.builder();
                for (var e : o.asMap().entrySet()) if (!e.getKey().equals(seg)) b.put(e.getKey(), e.getValue());
                return b.build();
            }
            case ArrayValue a -> {
                int at = index(seg, a.size() - 1);
                Value[] out = new Value[a.size() - 1];
                for (int k = 0, j = 0; k < a.size(); k++) if (k != at) out[j++] = a.get(k);
                return ArrayValue.wrap(out);
            }
            case SetValue s -> {
                if (!s.contains(seg)) throw new NotApplicable();
                SetValue.Builder b = SetValue.builder();
                for (Value e : s.asSet()) if (!e.equals(seg)) b.add(e);
                return b.build();
            }
            default -> throw new NotApplicable();
        }
    }

    private static Value replace(Value node, List<Value> path, int i, Value value) throws NotApplicable {
        if (path.isEmpty()) return value;
        Value seg = path.get(i);
        if (i < path.size() - 1) return withChild(node, seg, replace(child(node, seg), path, i + 1, value));
        child(node, seg); // the target must exist
        return withChild(node, seg, value);
    }
}
