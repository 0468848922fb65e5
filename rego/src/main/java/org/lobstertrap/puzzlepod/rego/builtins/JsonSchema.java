package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A compact JSON Schema (draft-07) validator for {@code json.verify_schema} / {@code json.match_schema}.
 * Supported keywords: type, enum, const, properties, patternProperties, additionalProperties, required,
 * propertyNames, min/maxProperties, items (schema or tuple), additionalItems, contains, min/maxItems,
 * uniqueItems, min/maxLength, pattern, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
 * allOf, anyOf, oneOf, not, if/then/else, local {@code $ref} ("#", "#/definitions/…"), boolean schemas.
 * Unknown keywords (format, title, …) are ignored. Error texts follow the wording OPA reports.
 */
final class JsonSchema {
    private static final Set<String> TYPES = Set.of("array", "boolean", "integer", "number", "null", "object", "string");

    /** The schema itself is not valid; the message is in OPA's wording without the "jsonschema: " prefix. */
    static final class InvalidSchema extends Exception {
        InvalidSchema(String message) { super(message, null, false, false); }
    }

    private final Value root;

    private JsonSchema(Value root) { this.root = root; }

    static JsonSchema compile(Value schema) throws InvalidSchema {
        check(schema);
        return new JsonSchema(schema);
    }

    // ---- schema checks ----------------------------------------------------------------------

    private static void check(Value schema) throws InvalidSchema {
        if (schema instanceof BooleanValue) return;
        if (!(schema instanceof ObjectValue s)) throw new InvalidSchema("schema must be of an object");
        Value type = s.get("type");
        if (type != null) {
            List<Value> types = type instanceof ArrayValue a ? a.asList() : List.of(type);
            for (Value t : types) {
                if (!(t instanceof StringValue ts)) throw new InvalidSchema("type must be of a string");
                if (!TYPES.contains(ts.value()))
                    throw new InvalidSchema("has a primitive type that is NOT VALID -- given: /" + ts.value()
                            + "/ Expected valid values are:[array boolean integer number null object string]");
            }
        }
        for (String k : List.of("properties", "patternProperties", "definitions")) {
            Value v = s.get(k);
            if (v == null) continue;
            if (!(v instanceof ObjectValue o)) throw new InvalidSchema(k + " must be of an object");
            for (Value sub : o.asMap().values()) check(sub);
            if (k.equals("patternProperties"))
                for (Value p : o.asMap().keySet()) regex(((StringValue) p).value());
        }
        for (String k : List.of("additionalProperties", "additionalItems", "not", "contains", "propertyNames", "if", "then", "else")) {
            Value v = s.get(k);
            if (v != null) check(v);
        }
        Value items = s.get("items");
        if (items instanceof ArrayValue a) { for (Value sub : a.asList()) check(sub); }
        else if (items != null) check(items);
        for (String k : List.of("allOf", "anyOf", "oneOf")) {
            Value v = s.get(k);
            if (v == null) continue;
            if (!(v instanceof ArrayValue a) || a.size() == 0) throw new InvalidSchema(k + " must be of an array");
            for (Value sub : a.asList()) check(sub);
        }
        Value required = s.get("required");
        if (required != null) {
            if (!(required instanceof ArrayValue a)) throw new InvalidSchema("required must be of an array");
            for (Value r : a.asList()) if (!(r instanceof StringValue)) throw new InvalidSchema("required items must be string");
        }
        for (String k : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
                "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")) {
            Value v = s.get(k);
            if (v != null && !(v instanceof NumberValue)) throw new InvalidSchema(k + " must be of a number");
        }
        Value pattern = s.get("pattern");
        if (pattern != null) {
            if (!(pattern instanceof StringValue ps)) throw new InvalidSchema("pattern must be of a string");
            regex(ps.value());
        }
        Value en = s.get("enum");
        if (en != null && !(en instanceof ArrayValue)) throw new InvalidSchema("enum must be of an array");
        Value ref = s.get("$ref");
        if (ref != null && !(ref instanceof StringValue)) throw new InvalidSchema("$ref must be of a string");
    }

    private static Pattern regex(String p) throws InvalidSchema {
        try {
            return Pattern.compile(p);
        } catch (PatternSyntaxException e) {
            throw new InvalidSchema("Invalid regex pattern '" + p + "'");
        }
    }

    // ---- validation -------------------------------------------------------------------------

    /** The errors, each {desc, error, field, type}; empty when the document is valid. */
    List<Value> validate(Value doc) {
        List<Value> errors = new ArrayList<>();
        validate(root, doc, "(root)", errors, 0);
        return errors;
    }

    private void error(List<Value> errors, String field, String type, String desc) {
        String f = field.startsWith("(root).") ? field.substring(7) : field;
        errors.add(ObjectValue.builder()
                .put("desc", StringValue.of(desc))
                .put("error", StringValue.of(f + ": " + desc))
                .put("field", StringValue.of(f))
                .put("type", StringValue.of(type))
                .build());
    }

    private boolean valid(Value schema, Value doc, int depth) {
        List<Value> sink = new ArrayList<>();
        validate(schema, doc, "(root)", sink, depth);
        return sink.isEmpty();
    }

    private static String typeOf(Value v) {
        return switch (v) {
            case NumberValue n -> n.isInteger() ? "integer" : "number";
            case SetValue s -> "array";
            default -> v.typeName();
        };
    }

    private Value resolve(String ref) {
        if (ref.equals("#")) return root;
        if (!ref.startsWith("#/")) return null;
        Value cur = root;
        for (String part : ref.substring(2).split("/", -1)) {
            part = part.replace("~1", "/").replace("~0", "~");
            if (!(cur instanceof ObjectValue o)) return null;
            cur = o.get(part);
            if (cur == null) return null;
        }
        return cur;
    }

    private void validate(Value schemaValue, Value doc, String field, List<Value> errors, int depth) {
        if (depth > 200) { error(errors, field, "ref_depth", "Schema recursion is too deep"); return; }
        if (schemaValue instanceof BooleanValue b) {
            if (!b.value()) error(errors, field, "false", "False always fails validation");
            return;
        }
        ObjectValue s = (ObjectValue) schemaValue;
        if (s.get("$ref") instanceof StringValue ref) {
            Value target = resolve(ref.value());
            if (target == null) error(errors, field, "ref", "Reference " + ref.value() + " cannot be resolved");
            else validate(target, doc, field, errors, depth + 1);
            return; // draft-07: siblings of $ref are ignored
        }
        Value type = s.get("type");
        if (type != null) {
            List<Value> types = type instanceof ArrayValue a ? a.asList() : List.of(type);
            String given = typeOf(doc);
            boolean ok = false;
            for (Value t : types) {
                String tn = ((StringValue) t).value();
                if (tn.equals(given) || (tn.equals("number") && given.equals("integer"))) ok = true;
            }
            if (!ok) {
                StringBuilder expected = new StringBuilder();
                for (Value t : types) expected.append(expected.isEmpty() ? "" : "/").append(((StringValue) t).value());
                error(errors, field, "invalid_type", "Invalid type. Expected: " + expected + ", given: " + given);
                return;
            }
        }
        combinators(s, doc, field, errors, depth);
        Value en = s.get("enum");
        if (en instanceof ArrayValue a && !a.asList().contains(doc)) {
            StringBuilder allowed = new StringBuilder();
            for (Value v : a.asList()) allowed.append(allowed.isEmpty() ? "" : ", ").append(Json.write(v));
            error(errors, field, "enum", shortField(field) + " must be one of the following: " + allowed);
        }
        Value cn = s.get("const");
        if (cn != null && !cn.equals(doc))
            error(errors, field, "const", shortField(field) + " does not match: " + Json.write(cn));
        switch (doc) {
            case ObjectValue o -> object(s, o, field, errors, depth);
            case ArrayValue a -> array(s, a.asList(), field, errors, depth);
            case SetValue set -> array(s, List.of(set.sortedElements()), field, errors, depth);
            case StringValue str -> string(s, str.value(), field, errors);
            case NumberValue n -> number(s, n.bigDecimal(), field, errors);
            default -> { }
        }
    }

    private static String shortField(String field) {
        return field.startsWith("(root).") ? field.substring(7) : field;
    }

    private void combinators(ObjectValue s, Value doc, String field, List<Value> errors, int depth) {
        if (s.get("allOf") instanceof ArrayValue all) {
            for (Value sub : all.asList())
                if (!valid(sub, doc, depth + 1)) { error(errors, field, "number_all_of", "Must validate all the schemas (allOf)"); break; }
        }
        if (s.get("anyOf") instanceof ArrayValue any) {
            boolean ok = false;
            for (Value sub : any.asList()) if (valid(sub, doc, depth + 1)) { ok = true; break; }
            if (!ok) error(errors, field, "number_any_of", "Must validate at least one schema (anyOf)");
        }
        if (s.get("oneOf") instanceof ArrayValue one) {
            int n = 0;
            for (Value sub : one.asList()) if (valid(sub, doc, depth + 1)) n++;
            if (n != 1) error(errors, field, "number_one_of", "Must validate one and only one schema (oneOf)");
        }
        Value not = s.get("not");
        if (not != null && valid(not, doc, depth + 1)) error(errors, field, "number_not", "Must not validate the schema (not)");
        Value cond = s.get("if");
        if (cond != null) {
            boolean ifValid = valid(cond, doc, depth + 1);
            Value branch = s.get(ifValid ? "then" : "else");
            if (branch != null && !valid(branch, doc, depth + 1))
                error(errors, field, ifValid ? "condition_then" : "condition_else",
                        "Must validate \"" + (ifValid ? "then" : "else") + "\" as \"if\" was " + (ifValid ? "valid" : "not valid"));
        }
    }

    private void object(ObjectValue s, ObjectValue o, String field, List<Value> errors, int depth) {
        if (s.get("required") instanceof ArrayValue req) {
            for (Value r : req.asList())
                if (!o.containsKey(r)) error(errors, field, "required", ((StringValue) r).value() + " is required");
        }
        if (s.get("minProperties") instanceof NumberValue min && o.size() < min.doubleValue())
            error(errors, field, "array_min_properties", "Must have at least " + min + " properties");
        if (s.get("maxProperties") instanceof NumberValue max && o.size() > max.doubleValue())
            error(errors, field, "array_max_properties", "Must have at most " + max + " properties");
        ObjectValue props = s.get("properties") instanceof ObjectValue p ? p : ObjectValue.EMPTY;
        ObjectValue patterns = s.get("patternProperties") instanceof ObjectValue p ? p : ObjectValue.EMPTY;
        Value additional = s.get("additionalProperties");
        for (Value k : o.sortedKeys()) {
            String key = k instanceof StringValue ks ? ks.value() : Json.write(k);
            String childField = field + "." + key;
            Value v = o.get(k);
            boolean matched = false;
            Value ps = props.get(k);
            if (ps != null) { matched = true; validate(ps, v, childField, errors, depth + 1); }
            for (Value pk : patterns.sortedKeys()) {
                if (Pattern.compile(((StringValue) pk).value()).matcher(key).find()) {
                    matched = true;
                    validate(patterns.get(pk), v, childField, errors, depth + 1);
                }
            }
            if (!matched && additional != null) {
                if (additional instanceof BooleanValue b && !b.value())
                    error(errors, field, "additional_property_not_allowed", "Additional property " + key + " is not allowed");
                else if (additional instanceof ObjectValue) validate(additional, v, childField, errors, depth + 1);
            }
            Value names = s.get("propertyNames");
            if (names != null && !valid(names, StringValue.of(key), depth + 1))
                error(errors, field, "invalid_property_name", "Property \"" + key + "\" does not match pattern");
        }
    }

    private void array(ObjectValue s, List<Value> items, String field, List<Value> errors, int depth) {
        if (s.get("minItems") instanceof NumberValue min && items.size() < min.doubleValue())
            error(errors, field, "array_min_items", "Array must have at least " + min + " items");
        if (s.get("maxItems") instanceof NumberValue max && items.size() > max.doubleValue())
            error(errors, field, "array_max_items", "Array must have at most " + max + " items");
        if (s.get("uniqueItems") instanceof BooleanValue u && u.value()) {
            outer:
            for (int i = 0; i < items.size(); i++)
                for (int j = i + 1; j < items.size(); j++)
                    if (items.get(i).equals(items.get(j))) {
                        error(errors, field, "unique", "array items[" + i + "," + j + "] must be unique");
                        break outer;
                    }
        }
        Value itemSchema = s.get("items");
        if (itemSchema instanceof ArrayValue tuple) {
            for (int i = 0; i < items.size(); i++) {
                if (i < tuple.size()) validate(tuple.get(i), items.get(i), field + "." + i, errors, depth + 1);
                else {
                    Value extra = s.get("additionalItems");
                    if (extra instanceof BooleanValue b && !b.value()) {
                        error(errors, field, "array_no_additional_items", "No additional items allowed on array");
                        break;
                    }
                    if (extra instanceof ObjectValue) validate(extra, items.get(i), field + "." + i, errors, depth + 1);
                }
            }
        } else if (itemSchema != null) {
            for (int i = 0; i < items.size(); i++) validate(itemSchema, items.get(i), field + "." + i, errors, depth + 1);
        }
        Value contains = s.get("contains");
        if (contains != null) {
            boolean any = false;
            for (Value item : items) if (valid(contains, item, depth + 1)) { any = true; break; }
            if (!any) error(errors, field, "contains", "At least one of the items must match");
        }
    }

    private void string(ObjectValue s, String str, String field, List<Value> errors) {
        int len = str.codePointCount(0, str.length());
        if (s.get("minLength") instanceof NumberValue min && len < min.doubleValue())
            error(errors, field, "string_gte", "String length must be greater than or equal to " + min);
        if (s.get("maxLength") instanceof NumberValue max && len > max.doubleValue())
            error(errors, field, "string_lte", "String length must be less than or equal to " + max);
        if (s.get("pattern") instanceof StringValue p && !Pattern.compile(p.value()).matcher(str).find())
            error(errors, field, "pattern", "Does not match pattern '" + p.value() + "'");
    }

    private void number(ObjectValue s, BigDecimal n, String field, List<Value> errors) {
        if (s.get("minimum") instanceof NumberValue min && n.compareTo(min.bigDecimal()) < 0)
            error(errors, field, "number_gte", "Must be greater than or equal to " + min);
        if (s.get("maximum") instanceof NumberValue max && n.compareTo(max.bigDecimal()) > 0)
            error(errors, field, "number_lte", "Must be less than or equal to " + max);
        if (s.get("exclusiveMinimum") instanceof NumberValue min && n.compareTo(min.bigDecimal()) <= 0)
            error(errors, field, "number_gt", "Must be greater than " + min);
        if (s.get("exclusiveMaximum") instanceof NumberValue max && n.compareTo(max.bigDecimal()) >= 0)
            error(errors, field, "number_lt", "Must be less than " + max);
        if (s.get("multipleOf") instanceof NumberValue m && m.signum() != 0
                && n.remainder(m.bigDecimal()).signum() != 0)
            error(errors, field, "multiple_of", "Must be a multiple of " + m);
    }
}
