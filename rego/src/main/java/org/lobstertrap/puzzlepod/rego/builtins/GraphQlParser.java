package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * GraphQL lexer and parser producing OPA's AST objects directly: the JSON form of the reference Go
 * AST with Position, null and empty members removed (so {@code "Name": ""} and {@code "Used": false}
 * stay, absent lists disappear). Handles executable documents and the schema definition language.
 */
final class GraphQlParser {
    /** A syntax error with a 1-based line and column. */
    static final class SyntaxError extends Exception {
        final int line, column;
        SyntaxError(String message, int line, int column) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }
    }

    private enum Kind { NAME, INT, FLOAT, STRING, BLOCK_STRING, PUNCT, EOF, INVALID }

    private record Token(Kind kind, String text, int line, int column) {
        /** The token as the reference parser names it in messages. */
        String describe() {
            return switch (kind) {
                case NAME -> "Name \"" + text + "\"";
                case INT -> "Int \"" + text + "\"";
                case FLOAT -> "Float \"" + text + "\"";
                case STRING -> "String \"" + text + "\"";
                case BLOCK_STRING -> "BlockString \"" + text + "\"";
                case PUNCT -> text;
                case EOF -> "<EOF>";
                case INVALID -> "<Invalid>";
            };
        }
    }

    private static final Set<String> LOCATIONS = Set.of("QUERY", "MUTATION", "SUBSCRIPTION", "FIELD",
            "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR",
            "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
            "INPUT_OBJECT", "INPUT_FIELD_DEFINITION");

    private final String src;
    private int pos, line = 1, lineStart;
    private Token tok;
    /** Where each selection and operation node starts (line, column), for validation messages. */
    private final java.util.IdentityHashMap<Value, int[]> positions = new java.util.IdentityHashMap<>();
    /** Nesting of lists, objects, types and selection sets; bounded so hostile input cannot exhaust the stack. */
    private int depth;
    static final int MAX_DEPTH = 512;

    /** A parsed document and the source positions of its nodes. */
    record Parsed(ObjectValue doc, java.util.Map<Value, int[]> positions) {}

    private GraphQlParser(String src) throws SyntaxError {
        this.src = src;
        if (src.startsWith("\uFEFF")) pos = 1;
        tok = lex();
    }

    static ObjectValue parseQuery(String text) throws SyntaxError { return new GraphQlParser(text).queryDocument(); }

    static Parsed parseQueryWithPositions(String text) throws SyntaxError {
        GraphQlParser p = new GraphQlParser(text);
        ObjectValue doc = p.queryDocument();
        return new Parsed(doc, p.positions);
    }

    private Value at(Token start, Value node) {
        positions.put(node, new int[] {start.line, start.column});
        return node;
    }

    static ObjectValue parseSchema(String text) throws SyntaxError { return new GraphQlParser(text).schemaDocument(); }

    // ---- lexer ------------------------------------------------------------------------------

    private Token lex() throws SyntaxError {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == ',' || c == '\uFEFF') pos++;
            else if (c == '\n') { pos++; line++; lineStart = pos; }
            else if (c == '\r') {
                pos++;
                if (pos < src.length() && src.charAt(pos) == '\n') pos++;
                line++;
                lineStart = pos;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') pos++;
            } else break;
        }
        int col = pos - lineStart + 1, ln = line;
        if (pos >= src.length()) return new Token(Kind.EOF, "", ln, col);
        char c = src.charAt(pos);
        if ("!$&()=:@[]{}|".indexOf(c) >= 0) { pos++; return new Token(Kind.PUNCT, String.valueOf(c), ln, col); }
        if (c == '.') {
            if (src.startsWith("...", pos)) { pos += 3; return new Token(Kind.PUNCT, "...", ln, col); }
            return invalid(ln, col);
        }
        if (c == '_' || Character.isLetter(c) && c < 128) {
            int start = pos;
            while (pos < src.length() && (src.charAt(pos) == '_' || (src.charAt(pos) < 128 && Character.isLetterOrDigit(src.charAt(pos))))) pos++;
            return new Token(Kind.NAME, src.substring(start, pos), ln, col);
        }
        if (c == '-' || (c >= '0' && c <= '9')) return number(ln, col);
        if (c == '"') {
            if (src.startsWith("\"\"\"", pos)) return blockString(ln, col);
            return string(ln, col);
        }
        return invalid(ln, col);
    }

    private Token invalid(int ln, int col) { pos = src.length(); return new Token(Kind.INVALID, "", ln, col); }

    private Token number(int ln, int col) {
        int start = pos;
        boolean isFloat = false;
        if (src.charAt(pos) == '-') pos++;
        if (pos < src.length() && src.charAt(pos) == '0') {
            pos++;
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) return invalid(ln, col);
        } else if (!digits()) return invalid(ln, col);
        if (pos < src.length() && src.charAt(pos) == '.') {
            isFloat = true;
            pos++;
            if (!digits()) return invalid(ln, col);
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            isFloat = true;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            if (!digits()) return invalid(ln, col);
        }
        if (pos < src.length() && (src.charAt(pos) == '.' || src.charAt(pos) == '_' || Character.isLetter(src.charAt(pos))))
            return invalid(ln, col);
        return new Token(isFloat ? Kind.FLOAT : Kind.INT, src.substring(start, pos), ln, col);
    }

    private boolean digits() {
        int start = pos;
        while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') pos++;
        return pos > start;
    }

    private Token string(int ln, int col) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '"') { pos++; return new Token(Kind.STRING, sb.toString(), ln, col); }
            if (c == '\n' || c == '\r') break;
            if (c == '\\') {
                if (pos + 1 >= src.length()) break;
                char e = src.charAt(pos + 1);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 6 > src.length()) return invalid(ln, col);
                        try {
                            sb.append((char) Integer.parseInt(src.substring(pos + 2, pos + 6), 16));
                        } catch (NumberFormatException ex) {
                            return invalid(ln, col);
                        }
                        pos += 4;
                    }
                    default -> { return invalid(ln, col); }
                }
                pos += 2;
                continue;
            }
            sb.append(c);
            pos++;
        }
        return invalid(ln, col);
    }

    private Token blockString(int ln, int col) {
        pos += 3;
        StringBuilder raw = new StringBuilder();
        while (pos < src.length()) {
            if (src.startsWith("\"\"\"", pos)) {
                pos += 3;
                return new Token(Kind.BLOCK_STRING, blockValue(raw.toString()), ln, col);
            }
            if (src.startsWith("\\\"\"\"", pos)) { raw.append("\"\"\""); pos += 4; continue; }
            char c = src.charAt(pos);
            boolean lineEnd = c == '\n' || (c == '\r' && !(pos + 1 < src.length() && src.charAt(pos + 1) == '\n'));
            raw.append(c);
            pos++;
            if (lineEnd) { line++; lineStart = pos; }
        }
        // Unterminated: the reference lexer reports the position after the consumed text.
        int l = line, cl = pos - lineStart + 1;
        pos = src.length();
        return new Token(Kind.INVALID, "", l, cl);
    }

    /** The spec's BlockStringValue: common indentation removed, blank first and last lines dropped. */
    private static String blockValue(String raw) {
        String[] lines = raw.split("\r\n|\n|\r", -1);
        int common = Integer.MAX_VALUE;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i];
            int indent = 0;
            while (indent < l.length() && (l.charAt(indent) == ' ' || l.charAt(indent) == '\t')) indent++;
            if (indent < l.length() && indent < common) common = indent;
        }
        List<String> out = new ArrayList<>(List.of(lines));
        if (common != Integer.MAX_VALUE)
            for (int i = 1; i < out.size(); i++) out.set(i, out.get(i).length() >= common ? out.get(i).substring(common) : "");
        while (!out.isEmpty() && out.get(0).isBlank()) out.remove(0);
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) out.remove(out.size() - 1);
        return String.join("\n", out);
    }

    // ---- parser helpers ---------------------------------------------------------------------

    private Token next() throws SyntaxError {
        Token t = tok;
        tok = lex();
        return t;
    }

    private boolean peek(String punct) { return tok.kind == Kind.PUNCT && tok.text.equals(punct); }

    private boolean peekKeyword(String word) { return tok.kind == Kind.NAME && tok.text.equals(word); }

    private SyntaxError unexpected(Token t) {
        // The reference lexer places string tokens after their opening quotes.
        int col = t.column + (t.kind == Kind.STRING ? 1 : t.kind == Kind.BLOCK_STRING ? 3 : 0);
        return new SyntaxError("Unexpected " + t.describe(), t.line, col);
    }

    private void expect(String punct) throws SyntaxError {
        if (!peek(punct)) throw new SyntaxError("Expected " + punct + ", found " + tok.describe(), tok.line, tok.column);
        next();
    }

    private void expectKeyword(String word) throws SyntaxError {
        if (!peekKeyword(word))
            throw new SyntaxError("Expected \"" + word + "\", found " + tok.describe(), tok.line, tok.column);
        next();
    }

    private String name() throws SyntaxError {
        if (tok.kind != Kind.NAME) throw new SyntaxError("Expected Name, found " + tok.describe(), tok.line, tok.column);
        return next().text;
    }

    private interface Item { Value parse() throws SyntaxError; }

    /** {@code open item+ close} (at least one item); an empty list when {@code open} is absent. */
    private List<Value> some(String open, String close, Item item) throws SyntaxError {
        List<Value> out = new ArrayList<>();
        if (!peek(open)) return out;
        next();
        while (!peek(close)) out.add(item.parse());
        if (out.isEmpty()) throw new SyntaxError("expected at least one definition, found " + tok.describe(), tok.line, tok.column);
        next();
        return out;
    }

    /** {@code open item* close}; an empty list when {@code open} is absent. */
    private List<Value> many(String open, String close, Item item) throws SyntaxError {
        List<Value> out = new ArrayList<>();
        if (!peek(open)) return out;
        next();
        while (!peek(close)) out.add(item.parse());
        next();
        return out;
    }

    /** An object without null or empty-list members (OPA prunes those). */
    private static final class Node {
        private final ObjectValue.Builder b = ObjectValue.builder();
        Node put(String k, String v) { b.put(k, StringValue.of(v)); return this; }
        Node put(String k, boolean v) { b.put(k, BooleanValue.of(v)); return this; }
        Node put(String k, int v) { b.put(k, NumberValue.of(v)); return this; }
        Node put(String k, Value v) {
            if (v instanceof ObjectValue o && o.isEmpty()) return this;
            if (v != null) b.put(k, v);
            return this;
        }
        Node put(String k, List<Value> v) { if (!v.isEmpty()) b.put(k, ArrayValue.of(v)); return this; }
        ObjectValue build() { return b.build(); }
    }

    // ---- executable documents ---------------------------------------------------------------

    private ObjectValue queryDocument() throws SyntaxError {
        List<Value> ops = new ArrayList<>(), frags = new ArrayList<>();
        while (tok.kind != Kind.EOF) {
            if (peek("{")) ops.add(operation());
            else if (tok.kind == Kind.NAME) {
                switch (tok.text) {
                    case "query", "mutation", "subscription" -> ops.add(operation());
                    case "fragment" -> frags.add(fragment());
                    default -> throw unexpected(tok);
                }
            } else throw unexpected(tok);
        }
        return new Node().put("Operations", ops).put("Fragments", frags).build();
    }

    private Value operation() throws SyntaxError {
        Token start = tok;
        Node n = new Node();
        if (peek("{")) {
            return at(start, n.put("Operation", "query").put("Name", "").put("SelectionSet", selectionSet()).build());
        }
        n.put("Operation", next().text);
        n.put("Name", tok.kind == Kind.NAME ? next().text : "");
        n.put("VariableDefinitions", many("(", ")", this::variableDefinition));
        n.put("Directives", directives(false));
        return at(start, n.put("SelectionSet", selectionSet()).build());
    }

    private Value variableDefinition() throws SyntaxError {
        expect("$");
        Node n = new Node().put("Variable", name());
        expect(":");
        n.put("Type", type());
        if (peek("=")) { next(); n.put("DefaultValue", value(true)); }
        n.put("Directives", directives(true));
        return n.put("Used", false).build();
    }

    private List<Value> selectionSet() throws SyntaxError {
        if (!peek("{")) throw new SyntaxError("Expected {, found " + tok.describe(), tok.line, tok.column);
        enter();
        try {
            return some("{", "}", this::selection);
        } finally {
            depth--;
        }
    }

    private Value selection() throws SyntaxError {
        Token start = tok;
        if (peek("...")) return at(start, fragmentSelection());
        Node n = new Node();
        String first = name();
        if (peek(":")) {
            next();
            n.put("Alias", first).put("Name", name());
        } else {
            n.put("Alias", first).put("Name", first);
        }
        n.put("Arguments", arguments(false));
        n.put("Directives", directives(false));
        if (peek("{")) n.put("SelectionSet", selectionSet());
        return at(start, n.build());
    }

    private Value fragmentSelection() throws SyntaxError {
        next();
        if (peekKeyword("on")) {
            next();
            Node n = new Node().put("TypeCondition", name());
            n.put("Directives", directives(false));
            return n.put("SelectionSet", selectionSet()).build();
        }
        if (tok.kind == Kind.NAME) {
            Node n = new Node().put("Name", name());
            return n.put("Directives", directives(false)).build();
        }
        Node n = new Node().put("TypeCondition", "");
        n.put("Directives", directives(false));
        return n.put("SelectionSet", selectionSet()).build();
    }

    private Value fragment() throws SyntaxError {
        expectKeyword("fragment");
        if (peekKeyword("on")) throw unexpected(tok);
        Node n = new Node().put("Name", name());
        n.put("VariableDefinition", many("(", ")", this::variableDefinition));
        expectKeyword("on");
        n.put("TypeCondition", name());
        n.put("Directives", directives(false));
        return n.put("SelectionSet", selectionSet()).build();
    }

    private List<Value> arguments(boolean isConst) throws SyntaxError {
        return some("(", ")", () -> {
            Node n = new Node().put("Name", name());
            expect(":");
            return n.put("Value", value(isConst)).build();
        });
    }

    private List<Value> directives(boolean isConst) throws SyntaxError {
        List<Value> out = new ArrayList<>();
        while (peek("@")) {
            next();
            Node n = new Node().put("Name", name());
            n.put("Arguments", arguments(isConst));
            out.add(n.put("Location", "").build());
        }
        return out;
    }

    private Value value(boolean isConst) throws SyntaxError {
        enter();
        try {
            return valueAt(isConst);
        } finally {
            depth--;
        }
    }

    private void enter() throws SyntaxError {
        if (++depth > MAX_DEPTH) {
            depth--;
            throw new SyntaxError("nesting deeper than " + MAX_DEPTH + " levels", tok.line, tok.column);
        }
    }

    private Value valueAt(boolean isConst) throws SyntaxError {
        Token t = tok;
        switch (t.kind) {
            case PUNCT -> {
                switch (t.text) {
                    case "[" -> {
                        List<Value> items = many("[", "]", () -> new Node().put("Name", "").put("Value", value(isConst)).build());
                        return new Node().put("Raw", "").put("Children", items).put("Kind", 8).build();
                    }
                    case "{" -> {
                        List<Value> fields = many("{", "}", () -> {
                            Node n = new Node().put("Name", name());
                            expect(":");
                            return n.put("Value", value(isConst)).build();
                        });
                        return new Node().put("Raw", "").put("Children", fields).put("Kind", 9).build();
                    }
                    case "$" -> {
                        if (isConst) throw unexpected(t);
                        next();
                        return new Node().put("Raw", name()).put("Kind", 0).build();
                    }
                    default -> throw unexpected(t);
                }
            }
            case INT -> { next(); return new Node().put("Raw", t.text).put("Kind", 1).build(); }
            case FLOAT -> { next(); return new Node().put("Raw", t.text).put("Kind", 2).build(); }
            case STRING -> { next(); return new Node().put("Raw", t.text).put("Kind", 3).build(); }
            case BLOCK_STRING -> { next(); return new Node().put("Raw", t.text).put("Kind", 4).build(); }
            case NAME -> {
                next();
                int kind = switch (t.text) {
                    case "true", "false" -> 5;
                    case "null" -> 6;
                    default -> 7;
                };
                return new Node().put("Raw", t.text).put("Kind", kind).build();
            }
            default -> throw unexpected(t);
        }
    }

    private Value type() throws SyntaxError {
        Node n = new Node();
        if (peek("[")) {
            next();
            enter();
            n.put("Elem", type());
            depth--;
            expect("]");
            n.put("NamedType", "");
        } else {
            n.put("NamedType", name());
        }
        boolean nonNull = peek("!");
        if (nonNull) next();
        return n.put("NonNull", nonNull).build();
    }

    // ---- schema documents -------------------------------------------------------------------

    private ObjectValue schemaDocument() throws SyntaxError {
        List<Value> schema = new ArrayList<>(), schemaExt = new ArrayList<>(), directives = new ArrayList<>(),
                definitions = new ArrayList<>(), extensions = new ArrayList<>();
        while (tok.kind != Kind.EOF) {
            Token descTok = tok;
            String description = description();
            if (tok.kind != Kind.NAME) throw unexpected(tok);
            switch (tok.text) {
                case "schema" -> schema.add(schemaDefinition(description, false));
                case "scalar", "type", "interface", "union", "enum", "input" -> definitions.add(definition(description, false));
                case "directive" -> directives.add(directiveDefinition(description));
                case "extend" -> {
                    if (!description.isEmpty() || descTok.kind == Kind.STRING || descTok.kind == Kind.BLOCK_STRING) throw unexpected(descTok);
                    next();
                    if (peekKeyword("schema")) schemaExt.add(schemaDefinition("", true));
                    else if (tok.kind == Kind.NAME && Set.of("scalar", "type", "interface", "union", "enum", "input").contains(tok.text))
                        extensions.add(definition("", true));
                    else throw unexpected(tok);
                }
                default -> throw unexpected(tok);
            }
        }
        return new Node().put("Schema", schema).put("SchemaExtension", schemaExt).put("Directives", directives)
                .put("Definitions", definitions).put("Extensions", extensions).build();
    }

    private String description() throws SyntaxError {
        if (tok.kind == Kind.STRING || tok.kind == Kind.BLOCK_STRING) return next().text;
        return "";
    }

    private Value schemaDefinition(String description, boolean extension) throws SyntaxError {
        expectKeyword("schema");
        Node n = new Node().put("Description", description);
        List<Value> dirs = directives(true);
        n.put("Directives", dirs);
        List<Value> ops = extension && !peek("{") ? List.of() : operationTypes();
        if (extension && dirs.isEmpty() && ops.isEmpty()) throw unexpected(tok);
        return n.put("OperationTypes", ops).build();
    }

    private List<Value> operationTypes() throws SyntaxError {
        if (!peek("{")) throw new SyntaxError("Expected {, found " + tok.describe(), tok.line, tok.column);
        return some("{", "}", () -> {
            Token op = tok;
            String operation = name();
            if (!Set.of("query", "mutation", "subscription").contains(operation)) throw unexpected(op);
            expect(":");
            return new Node().put("Operation", operation).put("Type", name()).build();
        });
    }

    private Value definition(String description, boolean extension) throws SyntaxError {
        String keyword = next().text;
        Node n = new Node().put("Description", description);
        String kind = switch (keyword) {
            case "scalar" -> "SCALAR";
            case "type" -> "OBJECT";
            case "interface" -> "INTERFACE";
            case "union" -> "UNION";
            case "enum" -> "ENUM";
            default -> "INPUT_OBJECT";
        };
        n.put("Kind", kind).put("Name", name());
        List<Value> interfaces = List.of(), fields = List.of(), types = List.of(), values = List.of();
        if (keyword.equals("type") || keyword.equals("interface")) {
            if (peekKeyword("implements")) {
                next();
                if (peek("&")) next();
                List<Value> names = new ArrayList<>();
                names.add(StringValue.of(name()));
                while (peek("&")) { next(); names.add(StringValue.of(name())); }
                interfaces = names;
            }
        }
        List<Value> dirs = directives(true);
        switch (keyword) {
            case "type", "interface" -> fields = some("{", "}", () -> fieldDefinition(false));
            case "input" -> fields = some("{", "}", () -> fieldDefinition(true));
            case "enum" -> values = some("{", "}", () -> {
                Node v = new Node().put("Description", description());
                Token t = tok;
                String name = name();
                if (Set.of("true", "false", "null").contains(name)) throw unexpected(t);
                v.put("Name", name);
                return v.put("Directives", directives(true)).build();
            });
            case "union" -> {
                if (peek("=")) {
                    next();
                    if (peek("|")) next();
                    List<Value> names = new ArrayList<>();
                    names.add(StringValue.of(name()));
                    while (peek("|")) { next(); names.add(StringValue.of(name())); }
                    types = names;
                }
            }
            default -> { }
        }
        if (extension && dirs.isEmpty() && interfaces.isEmpty() && fields.isEmpty() && types.isEmpty() && values.isEmpty())
            throw unexpected(tok);
        return n.put("Directives", dirs).put("Interfaces", interfaces).put("Fields", fields).put("Types", types)
                .put("EnumValues", values).put("BuiltIn", false).build();
    }

    private Value fieldDefinition(boolean input) throws SyntaxError {
        Node n = new Node().put("Description", description());
        n.put("Name", name());
        if (!input) n.put("Arguments", some("(", ")", this::inputValueDefinition));
        expect(":");
        n.put("Type", type());
        if (input && peek("=")) { next(); n.put("DefaultValue", value(true)); }
        return n.put("Directives", directives(true)).build();
    }

    private Value inputValueDefinition() throws SyntaxError {
        Node n = new Node().put("Description", description());
        n.put("Name", name());
        expect(":");
        n.put("Type", type());
        if (peek("=")) { next(); n.put("DefaultValue", value(true)); }
        return n.put("Directives", directives(true)).build();
    }

    private Value directiveDefinition(String description) throws SyntaxError {
        expectKeyword("directive");
        expect("@");
        Node n = new Node().put("Description", description).put("Name", name());
        n.put("Arguments", some("(", ")", this::inputValueDefinition));
        boolean repeatable = peekKeyword("repeatable");
        if (repeatable) next();
        n.put("IsRepeatable", repeatable);
        expectKeyword("on");
        if (peek("|")) next();
        List<Value> locations = new ArrayList<>();
        do {
            if (!locations.isEmpty()) next();
            Token t = tok;
            String loc = name();
            if (!LOCATIONS.contains(loc)) throw unexpected(t);
            locations.add(StringValue.of(loc));
        } while (peek("|"));
        return n.put("Locations", locations).build();
    }
}
