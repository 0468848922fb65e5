package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * The subset of Go's {@code text/template} that {@code strings.render_template} policies use, with
 * {@code missingkey=error}: text, {@code {{.a.b}}}, variables ({@code $x}, {@code $}), literals,
 * {@code {{if}}/{{else if}}/{{else}}}, {@code {{range [$i,] $v := …}}} (with {@code {{else}}}),
 * {@code {{with}}}, {@code {{$x := …}}}, comments, {@code {{-}}/{{- -}}} trimming and the functions
 * {@code len}, {@code index}, {@code eq}, {@code ne}, {@code not}, {@code and}, {@code or}. Values print as
 * Go's {@code %v} prints the JSON-decoded data ({@code [a b]}, {@code map[k:v]}, {@code <no value>}).
 */
final class GoTemplate {
    /** A template error (parse or execution) with a message in Go's style. */
    static final class TemplateError extends Exception {
        TemplateError(String message) { super("template: " + message); }
    }

    private sealed interface Node permits Text, Action, If, Range, With {}
    private record Text(String text) implements Node {}
    private record Action(Pipeline pipe) implements Node {}
    private record If(Pipeline cond, List<Node> then, List<Node> otherwise) implements Node {}
    private record Range(Pipeline over, String keyVar, String valueVar, List<Node> body, List<Node> otherwise) implements Node {}
    private record With(Pipeline value, List<Node> body, List<Node> otherwise) implements Node {}
    /** [decl :=] command: a function name with operands, or a single operand. */
    private record Pipeline(String decl, String function, List<String> operands) {}

    private final List<String[]> tokens = new ArrayList<>(); // {"text", s} or {"action", s}
    private int next;

    private GoTemplate() {}

    static String render(String template, Value data) throws TemplateError {
        GoTemplate t = new GoTemplate();
        t.lex(template);
        List<Node> nodes = t.parseList(List.of());
        if (t.next < t.tokens.size()) throw new TemplateError("unexpected {{" + t.tokens.get(t.next)[1] + "}}");
        StringBuilder out = new StringBuilder();
        Map<String, Value> vars = new HashMap<>();
        vars.put("$", data);
        execute(nodes, data, vars, out);
        return out.toString();
    }

    // --- lexing and parsing -----------------------------------------------------------------------

    private void lex(String s) throws TemplateError {
        int i = 0;
        boolean trimNext = false;
        while (i < s.length()) {
            int open = s.indexOf("{{", i);
            String text = open < 0 ? s.substring(i) : s.substring(i, open);
            if (trimNext) text = text.stripLeading();
            if (open >= 0 && s.startsWith("{{- ", open)) text = text.stripTrailing();
            if (!text.isEmpty()) tokens.add(new String[] {"text", text});
            if (open < 0) break;
            int close = s.indexOf("}}", open + 2);
            if (close < 0) throw new TemplateError("unclosed action");
            String action = s.substring(open + 2, close);
            trimNext = action.endsWith(" -");
            if (action.startsWith("- ")) action = action.substring(2);
            if (trimNext) action = action.substring(0, action.length() - 2);
            action = action.strip();
            if (!(action.startsWith("/*") && action.endsWith("*/"))) tokens.add(new String[] {"action", action});
            i = close + 2;
        }
    }

    /** Parses nodes until one of the given keywords ("end", "else") is the next action. */
    private List<Node> parseList(List<String> stops) throws TemplateError {
        List<Node> nodes = new ArrayList<>();
        while (next < tokens.size()) {
            String[] tok = tokens.get(next);
            if (tok[0].equals("text")) { nodes.add(new Text(tok[1])); next++; continue; }
            String a = tok[1];
            String word = a.split("\\s+", 2)[0];
            if (stops.contains(word)) return nodes;
            next++;
            switch (word) {
                case "if" -> nodes.add(parseIf(a.substring(2).strip()));
                case "range" -> {
                    String spec = a.substring(5).strip();
                    String keyVar = null, valueVar = null;
                    int decl = spec.indexOf(":=");
                    if (decl >= 0) {
                        String[] vs = spec.substring(0, decl).split(",");
                        if (vs.length == 2) { keyVar = vs[0].strip(); valueVar = vs[1].strip(); }
                        else valueVar = vs[0].strip();
                        spec = spec.substring(decl + 2).strip();
                    }
                    Pipeline over = pipeline(spec);
                    List<Node> body = parseList(List.of("end", "else"));
                    List<Node> otherwise = List.of();
                    if (atKeyword("else")) { next++; otherwise = parseList(List.of("end")); }
                    expectEnd();
                    nodes.add(new Range(over, keyVar, valueVar, body, otherwise));
                }
                case "with" -> {
                    Pipeline value = pipeline(a.substring(4).strip());
                    List<Node> body = parseList(List.of("end", "else"));
                    List<Node> otherwise = List.of();
                    if (atKeyword("else")) { next++; otherwise = parseList(List.of("end")); }
                    expectEnd();
                    nodes.add(new With(value, body, otherwise));
                }
                case "end", "else" -> throw new TemplateError("unexpected {{" + a + "}}");
                case "define", "template", "block", "break", "continue" -> throw new TemplateError("unsupported action {{" + a + "}}");
                default -> nodes.add(new Action(pipeline(a)));
            }
        }
        if (!stops.isEmpty()) throw new TemplateError("unexpected EOF");
        return nodes;
    }

    private If parseIf(String cond) throws TemplateError {
        Pipeline p = pipeline(cond);
        List<Node> then = parseList(List.of("end", "else"));
        List<Node> otherwise = List.of();
        if (atKeyword("else")) {
            String a = tokens.get(next++)[1];
            String rest = a.substring(4).strip();
            if (rest.startsWith("if ")) return new If(p, then, List.of(parseIf(rest.substring(3).strip()))); // shares the end
            otherwise = parseList(List.of("end"));
        }
        expectEnd();
        return new If(p, then, otherwise);
    }

    private boolean atKeyword(String k) {
        return next < tokens.size() && tokens.get(next)[0].equals("action") && tokens.get(next)[1].split("\\s+", 2)[0].equals(k);
    }

    private void expectEnd() throws TemplateError {
        if (!atKeyword("end")) throw new TemplateError("missing {{end}}");
        next++;
    }

    private static Pipeline pipeline(String s) throws TemplateError {
        String decl = null;
        int d = s.indexOf(":=");
        if (d >= 0 && s.startsWith("$")) { decl = s.substring(0, d).strip(); s = s.substring(d + 2).strip(); }
        if (s.contains("|")) throw new TemplateError("unsupported pipeline " + s);
        List<String> words = words(s);
        if (words.isEmpty()) throw new TemplateError("missing value for command");
        String first = words.getFirst();
        if (List.of("len", "index", "eq", "ne", "not", "and", "or").contains(first)) return new Pipeline(decl, first, words.subList(1, words.size()));
        if (words.size() > 1) throw new TemplateError("can't give argument to non-function " + first);
        return new Pipeline(decl, null, words);
    }

    /** Splits on spaces, keeping quoted strings whole. */
    private static List<String> words(String s) throws TemplateError {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) { i++; continue; }
            int start = i;
            if (c == '"' || c == '`') {
                i++;
                while (i < s.length() && s.charAt(i) != c) i += s.charAt(i) == '\\' && c == '"' ? 2 : 1;
                if (i >= s.length()) throw new TemplateError("unterminated quoted string");
                i++;
            } else {
                while (i < s.length() && !Character.isWhitespace(s.charAt(i))) i++;
            }
            out.add(s.substring(start, i));
        }
        return out;
    }

    // --- execution --------------------------------------------------------------------------------

    private static void execute(List<Node> nodes, Value dot, Map<String, Value> vars, StringBuilder out) throws TemplateError {
        for (Node n : nodes) {
            switch (n) {
                case Text t -> out.append(t.text());
                case Action a -> {
                    Value v = eval(a.pipe(), dot, vars);
                    if (a.pipe().decl() != null) vars.put(a.pipe().decl(), v);
                    else print(v, out);
                }
                case If i -> execute(truth(eval(i.cond(), dot, vars)) ? i.then() : i.otherwise(), dot, new HashMap<>(vars), out);
                case With w -> {
                    Value v = eval(w.value(), dot, vars);
                    if (truth(v)) execute(w.body(), v, new HashMap<>(vars), out);
                    else execute(w.otherwise(), dot, new HashMap<>(vars), out);
                }
                case Range r -> range(r, dot, vars, out);
            }
        }
    }

    private static void range(Range r, Value dot, Map<String, Value> vars, StringBuilder out) throws TemplateError {
        Value over = eval(r.over(), dot, vars);
        List<Value[]> items = new ArrayList<>();
        switch (over) {
            case ArrayValue a -> { for (int i = 0; i < a.size(); i++) items.add(new Value[] {NumberValue.of(i), a.get(i)}); }
            case SetValue s -> { int i = 0; for (Value e : s) items.add(new Value[] {NumberValue.of(i++), e}); }
            case ObjectValue o -> { for (Value k : o.sortedKeys()) items.add(new Value[] {k, o.get(k)}); }
            case NullValue nv -> { }
            default -> throw new TemplateError("range can't iterate over " + text(over));
        }
        if (items.isEmpty()) { execute(r.otherwise(), dot, new HashMap<>(vars), out); return; }
        for (Value[] item : items) {
            Map<String, Value> scope = new HashMap<>(vars);
            if (r.keyVar() != null) scope.put(r.keyVar(), item[0]);
            if (r.valueVar() != null) scope.put(r.valueVar(), item[1]);
            execute(r.body(), item[1], scope, out);
        }
    }

    private static Value eval(Pipeline p, Value dot, Map<String, Value> vars) throws TemplateError {
        List<Value> args = new ArrayList<>();
        for (String w : p.operands()) args.add(operand(w, dot, vars));
        if (p.function() == null) return args.getFirst();
        return switch (p.function()) {
            case "len" -> {
                need(p, args, 1);
                yield switch (args.getFirst()) {
                    case StringValue s -> NumberValue.of(s.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                    case ArrayValue a -> NumberValue.of(a.size());
                    case SetValue s -> NumberValue.of(s.size());
                    case ObjectValue o -> NumberValue.of(o.size());
                    default -> throw new TemplateError("error calling len: len of type " + goType(args.getFirst()));
                };
            }
            case "index" -> {
                Value v = args.getFirst();
                for (Value k : args.subList(1, args.size())) {
                    if (v instanceof ObjectValue o) v = o.containsKey(k) ? o.get(k) : NullValue.INSTANCE;
                    else if (v instanceof ArrayValue a && k instanceof NumberValue n && n.isLong() && n.longValue() >= 0 && n.longValue() < a.size())
                        v = a.get((int) n.longValue());
                    else throw new TemplateError("error calling index: cannot index " + text(v) + " with " + text(k));
                }
                yield v;
            }
            case "eq" -> { need(p, args, 2); yield BooleanValue.of(args.get(0).equals(args.get(1))); }
            case "ne" -> { need(p, args, 2); yield BooleanValue.of(!args.get(0).equals(args.get(1))); }
            case "not" -> { need(p, args, 1); yield BooleanValue.of(!truth(args.getFirst())); }
            case "and" -> { Value last = null; for (Value a : args) { last = a; if (!truth(a)) break; } yield last; }
            default -> { Value last = null; for (Value a : args) { last = a; if (truth(a)) break; } yield last; } // or
        };
    }

    private static void need(Pipeline p, List<Value> args, int n) throws TemplateError {
        if (args.size() != n) throw new TemplateError("wrong number of args for " + p.function() + ": want " + n + " got " + args.size());
    }

    private static Value operand(String w, Value dot, Map<String, Value> vars) throws TemplateError {
        if (w.startsWith("\"") || w.startsWith("`")) return StringValue.of(unquote(w));
        if (w.equals("true") || w.equals("false")) return BooleanValue.of(w.equals("true"));
        if (w.equals("nil")) throw new TemplateError("nil is not a command");
        if (!w.isEmpty() && (Character.isDigit(w.charAt(0)) || w.charAt(0) == '-')) {
            try { return NumberValue.parse(w); } catch (NumberFormatException e) { throw new TemplateError("bad number syntax: " + w); }
        }
        Value base;
        String path;
        if (w.startsWith("$")) {
            int dotAt = w.indexOf('.');
            String name = dotAt < 0 ? w : w.substring(0, dotAt);
            base = vars.get(name);
            if (base == null) throw new TemplateError("undefined variable: " + name);
            path = dotAt < 0 ? "" : w.substring(dotAt);
        } else if (w.startsWith(".")) {
            base = dot;
            path = w.equals(".") ? "" : w;
        } else {
            throw new TemplateError("function " + GoQuote.quote(w) + " not defined");
        }
        Value v = base;
        for (String field : path.isEmpty() ? new String[0] : path.substring(1).split("\\.")) {
            if (v instanceof ObjectValue o) {
                v = o.get(field);
                if (v == null) throw new TemplateError("executing at <" + w + ">: map has no entry for key " + GoQuote.quote(field));
            } else if (v instanceof NullValue) {
                throw new TemplateError("executing at <" + w + ">: nil pointer evaluating interface {}." + field);
            } else {
                throw new TemplateError("executing at <" + w + ">: can't evaluate field " + field + " in type " + goType(v));
            }
        }
        return v;
    }

    private static String unquote(String w) throws TemplateError {
        String body = w.substring(1, w.length() - 1);
        if (w.charAt(0) == '`') return body;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') { sb.append(c); continue; }
            if (++i >= body.length()) throw new TemplateError("bad string " + w);
            char e = body.charAt(i);
            sb.append(switch (e) { case 'n' -> '\n'; case 't' -> '\t'; case 'r' -> '\r'; default -> e; });
        }
        return sb.toString();
    }

    /** Go template truth: false, 0, nil and empty strings/collections are false. */
    private static boolean truth(Value v) {
        return switch (v) {
            case BooleanValue b -> b.value();
            case NullValue n -> false;
            // Go sees data numbers as json.Number (never false) and range indexes as ints; both are
            // numbers here, so zero is false: right for indexes ({{if $i}}), the rare "0" datum differs.
            case NumberValue n -> n.signum() != 0;
            case StringValue s -> !s.value().isEmpty();
            case ArrayValue a -> a.size() > 0;
            case SetValue s -> !s.isEmpty();
            case ObjectValue o -> !o.isEmpty();
        };
    }

    private static String goType(Value v) {
        return switch (v) {
            case ObjectValue o -> "map[string]interface {}";
            case ArrayValue a -> "[]interface {}";
            case SetValue s -> "[]interface {}";
            case StringValue s -> "string";
            case NumberValue n -> "json.Number";
            case BooleanValue b -> "bool";
            case NullValue n -> "interface {}";
        };
    }

    private static void print(Value v, StringBuilder out) { out.append(text(v)); }

    /** Go's %v of the decoded value. */
    static String text(Value v) {
        return switch (v) {
            case NullValue n -> "<no value>";
            case StringValue s -> s.value();
            case NumberValue n -> n.toString();
            case BooleanValue b -> Boolean.toString(b.value());
            case ArrayValue a -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < a.size(); i++) { if (i > 0) sb.append(' '); sb.append(nested(a.get(i))); }
                yield sb.append(']').toString();
            }
            case SetValue s -> {
                StringBuilder sb = new StringBuilder("[");
                boolean first = true;
                for (Value e : s) { if (!first) sb.append(' '); first = false; sb.append(nested(e)); }
                yield sb.append(']').toString();
            }
            case ObjectValue o -> {
                StringBuilder sb = new StringBuilder("map[");
                boolean first = true;
                for (Value k : o.sortedKeys()) {
                    if (!first) sb.append(' ');
                    first = false;
                    sb.append(k instanceof StringValue ks ? ks.value() : ValueText.of(k)).append(':').append(nested(o.get(k)));
                }
                yield sb.append(']').toString();
            }
        };
    }

    private static String nested(Value v) { return v instanceof NullValue ? "<nil>" : text(v); }
}
