package org.lobstertrap.puzzlepod.rego.parser;

import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.ast.*;
import org.lobstertrap.puzzlepod.rego.lexer.Lexer;
import org.lobstertrap.puzzlepod.rego.lexer.Token;
import org.lobstertrap.puzzlepod.rego.lexer.TokenKind;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Recursive-descent parser for Rego modules, queries and terms. Accepts Rego v1 and, for modules that
 * import {@code future.keywords}, v0 forms ({@code p[x] { … }} is a partial set rule). Terms nest at
 * most {@link #MAX_NESTING} levels deep; deeper input is a parse error rather than a stack overflow.
 */
public final class Parser {
    /** Deepest nesting of terms (arrays, objects, parentheses, comprehensions) the parser accepts. */
    public static final int MAX_NESTING = 50_000;

    private final List<Token> tokens;
    private final String file;
    private int pos;
    private int depth;
    private int noPipe; // >0 while parsing a comprehension head: `|` ends the head
    private boolean v0;
    private List<Lexer.Comment> comments = List.of();
    private final List<Integer> ruleRows = new ArrayList<>();

    private Parser(List<Token> tokens, String file) { this.tokens = tokens; this.file = file; }

    /** Parses a module. */
    public static ParsedModule parseModule(String file, String src) throws RegoException {
        List<Lexer.Comment> comments = new ArrayList<>();
        Parser p = new Parser(Lexer.tokenize(src, file, comments), file);
        p.comments = comments;
        return p.module();
    }

    /** Parses a query: literals separated by {@code ;} or line breaks. */
    public static Body parseQuery(String src) throws RegoException {
        Parser p = new Parser(Lexer.tokenize(src, "query"), "query");
        Body b = p.body(TokenKind.EOF);
        p.expect(TokenKind.EOF, "end of query");
        if (b.exprs().isEmpty()) throw p.error(p.peek(), "empty query");
        return b;
    }

    /** Parses a single term (as used for {@code input_term}). */
    public static Term parseTerm(String src) throws RegoException {
        Parser p = new Parser(Lexer.tokenize(src, "term"), "term");
        Term t = p.expr();
        p.expect(TokenKind.EOF, "end of term");
        return t;
    }

    // ---- module level ----

    private ParsedModule module() throws RegoException {
        Token t = peek();
        if (!t.isIdent("package")) throw error(t, "unexpected " + t.describe() + ": expected `package`");
        next();
        Ref pkgRef = refOf(postfix(), "package");
        List<String> pkg = new ArrayList<>();
        pkg.add(((Var) pkgRef.head()).name());
        for (Term s : pkgRef.path()) {
            if (s instanceof Scalar sc && sc.value() instanceof StringValue sv) pkg.add(sv.value());
            else throw error(t, "package path must contain strings only");
        }
        List<Import> imports = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        while (!peek().is(TokenKind.EOF)) {
            Token s = peek();
            if (s.isIdent("import")) {
                next();
                Ref r = refOf(postfix(), "import");
                String alias = null;
                if (peek().isIdent("as")) { next(); alias = ident("import alias"); }
                String root = ((Var) r.head()).name();
                if (root.equals("future")) v0 = true;
                if (!root.equals("data") && !root.equals("input") && !root.equals("future") && !root.equals("rego"))
                    throw error(s, "invalid import " + root + ": must begin with input or data");
                imports.add(new Import(r, alias, loc(s)));
            } else {
                ruleRows.add(s.row());
                rules.add(rule());
            }
        }
        Value pkgAnn = Annotations.before(comments, t.row(), file);
        List<Value> ruleAnn = new ArrayList<>();
        for (int row : ruleRows) ruleAnn.add(Annotations.before(comments, row, file));
        return new ParsedModule(file, List.copyOf(pkg), imports, rules, pkgAnn, java.util.Collections.unmodifiableList(ruleAnn));
    }

    private Rule rule() throws RegoException {
        Token start = peek();
        boolean isDefault = false;
        if (start.isIdent("default")) { next(); isDefault = true; }
        Token headTok = peek();
        if (!headTok.is(TokenKind.IDENT) || isKeyword(headTok.text()))
            throw error(headTok, "unexpected " + headTok.describe() + ": expected rule head");
        Ref head = ruleHeadRef();
        List<Term> args = null;
        if (peek().is(TokenKind.LPAREN) && !peek().spaceBefore()) {
            next();
            args = termList(TokenKind.RPAREN);
        }
        Term key = null, value = null;
        boolean assign = false;
        if (peek().isIdent("contains")) {
            next();
            key = expr();
        } else if (peek().is(TokenKind.ASSIGN) || peek().is(TokenKind.UNIFY)) {
            assign = next().is(TokenKind.ASSIGN);
            value = expr();
        }
        if (isDefault) {
            if (value == null) throw error(start, "default rule must have a value");
            return new Rule(head, args, null, value, new Body(List.of()), null, true, assign, loc(start));
        }
        Body body;
        boolean hadIf = false;
        if (peek().isIdent("if")) { next(); hadIf = true; body = ruleBody(); }
        else if (peek().is(TokenKind.LBRACE) && !peek().newlineBefore()) body = braceBody();
        else body = new Body(List.of());
        // v0 partial set rule: p[x] { … } without a value
        if (key == null && value == null && args == null && head.path().size() == 1
                && !(head.path().get(0) instanceof Scalar) && (v0 || !hadIf) && !body.exprs().isEmpty()) {
            key = head.path().get(0);
            head = new Ref(head.head(), List.of(), head.loc());
        }
        Rule elseRule = elseChain(head, args);
        return new Rule(head, args, key, value, body, elseRule, false, assign, loc(start));
    }

    private Rule elseChain(Ref head, List<Term> args) throws RegoException {
        if (!peek().isIdent("else")) return null;
        Token t = next();
        Term value = null;
        boolean assign = false;
        if (peek().is(TokenKind.ASSIGN) || peek().is(TokenKind.UNIFY)) { assign = next().is(TokenKind.ASSIGN); value = expr(); }
        Body body;
        if (peek().isIdent("if")) { next(); body = ruleBody(); }
        else if (peek().is(TokenKind.LBRACE)) body = braceBody();
        else body = new Body(List.of());
        Rule rest = elseChain(head, args);
        return new Rule(head, args, null, value, body, rest, false, assign, loc(t));
    }

    private Body ruleBody() throws RegoException {
        if (peek().is(TokenKind.LBRACE)) {
            // `if {` starts a body, except when the brace opens an object/set term used as the literal
            int save = pos, saveDepth = depth, savePipe = noPipe;
            try { return braceBody(); }
            catch (RegoException asBody) {
                pos = save; depth = saveDepth; noPipe = savePipe;
                try { return new Body(List.of(literal())); }
                catch (RegoException asTerm) { throw asBody; }
            }
        }
        Expr e = literal();
        return new Body(List.of(e));
    }

    private Body braceBody() throws RegoException {
        expect(TokenKind.LBRACE, "`{`");
        Body b = body(TokenKind.RBRACE);
        expect(TokenKind.RBRACE, "`}`");
        return b;
    }

    private Ref ruleHeadRef() throws RegoException {
        Token t = next();
        List<Term> path = new ArrayList<>();
        while (true) {
            Token n = peek();
            if (n.is(TokenKind.DOT) && !n.spaceBefore()) {
                next();
                Token id = next();
                if (!id.is(TokenKind.IDENT)) throw error(id, "unexpected " + id.describe() + ": expected name after `.`");
                path.add(new Scalar(StringValue.of(id.text()), loc(id)));
            } else if (n.is(TokenKind.LBRACK) && !n.spaceBefore()) {
                next();
                path.add(expr());
                expect(TokenKind.RBRACK, "`]`");
            } else break;
        }
        return new Ref(new Var(t.text(), loc(t)), path, loc(t));
    }

    // ---- bodies and literals ----

    private Body body(TokenKind end) throws RegoException {
        List<Expr> exprs = new ArrayList<>();
        while (true) {
            while (peek().is(TokenKind.SEMI)) next();
            if (peek().is(end)) break;
            exprs.add(literal());
            Token n = peek();
            if (n.is(TokenKind.SEMI)) { next(); continue; }
            if (n.is(end)) break;
            if (!n.newlineBefore())
                throw error(n, "unexpected " + n.describe() + ": expected end of expression (newline or `;`)");
        }
        return new Body(exprs);
    }

    private Expr literal() throws RegoException {
        Token t = peek();
        if (t.isIdent("some")) return withs(some(), false, t);
        if (t.isIdent("every")) return withs(every(), false, t);
        boolean neg = false;
        if (t.isIdent("not")) { next(); neg = true; }
        Term lhs = expr();
        Literal lit;
        if (peek().is(TokenKind.UNIFY)) { next(); lit = new Literal.Unify(lhs, expr()); }
        else if (peek().is(TokenKind.ASSIGN)) { next(); lit = new Literal.Assign(lhs, expr()); }
        else if (peek().is(TokenKind.COMMA) && !neg) {
            // `k, v in collection` as a membership test
            next();
            Term v = relation();
            Token in = peek();
            if (!in.isIdent("in")) throw error(in, "unexpected " + in.describe() + ": expected `in`");
            next();
            lit = new Literal.TermLit(new Call("internal.member_3", List.of(lhs, v, relation()), lhs.loc()));
        } else lit = new Literal.TermLit(lhs);
        return withs(lit, neg, t);
    }

    private Expr withs(Literal lit, boolean neg, Token start) throws RegoException {
        List<With> ws = new ArrayList<>();
        while (peek().isIdent("with")) {
            Token w = next();
            Term target = postfix();
            Token as = peek();
            if (!as.isIdent("as")) throw error(as, "unexpected " + as.describe() + ": expected `as`");
            next();
            ws.add(new With(target, expr(), loc(w)));
        }
        return new Expr(lit, neg, ws, loc(start));
    }

    private Literal some() throws RegoException {
        Token s = next();
        List<Term> terms = new ArrayList<>();
        terms.add(relation());
        while (peek().is(TokenKind.COMMA)) { next(); terms.add(relation()); }
        if (peek().isIdent("in")) {
            next();
            if (terms.size() > 2) throw error(s, "unexpected `,`: some … in takes at most key and value");
            Term coll = relation();
            return terms.size() == 2 ? new Literal.SomeIn(terms.get(0), terms.get(1), coll)
                    : new Literal.SomeIn(null, terms.get(0), coll);
        }
        List<Var> vars = new ArrayList<>();
        for (Term t : terms) {
            if (!(t instanceof Var v)) throw error(s, "unexpected term in some declaration: expected variable names");
            vars.add(v);
        }
        return new Literal.SomeDecl(vars);
    }

    private Literal every() throws RegoException {
        Token s = next();
        Term a = relation(), b = null;
        if (peek().is(TokenKind.COMMA)) { next(); b = relation(); }
        Token in = peek();
        if (!in.isIdent("in")) throw error(in, "unexpected " + in.describe() + ": expected `in` after every variables");
        next();
        Term coll = relation();
        Body body = braceBody();
        return b == null ? new Literal.Every(null, a, coll, body) : new Literal.Every(a, b, coll, body);
    }

    // ---- terms, by precedence ----

    private Term expr() throws RegoException {
        Term lhs = relation();
        while (peek().isIdent("in") && !peek().newlineBefore()) {
            next();
            Term rhs = relation();
            lhs = new Call("internal.member_2", List.of(lhs, rhs), lhs.loc());
        }
        return lhs;
    }

    private Term relation() throws RegoException {
        Term lhs = or();
        while (true) {
            Token t = peek();
            String op = switch (t.kind()) {
                case EQ -> "equal"; case NEQ -> "neq"; case LT -> "lt"; case GT -> "gt";
                case LTE -> "lte"; case GTE -> "gte"; default -> null;
            };
            if (op == null || t.newlineBefore()) return lhs;
            next();
            lhs = new Call(op, List.of(lhs, or()), loc(t));
        }
    }

    private Term or() throws RegoException {
        Term lhs = and();
        while (peek().is(TokenKind.PIPE) && noPipe == 0 && !peek().newlineBefore()) {
            Token t = next();
            lhs = new Call("or", List.of(lhs, and()), loc(t));
        }
        return lhs;
    }

    private Term and() throws RegoException {
        Term lhs = arith();
        while (peek().is(TokenKind.AMP) && !peek().newlineBefore()) {
            Token t = next();
            lhs = new Call("and", List.of(lhs, arith()), loc(t));
        }
        return lhs;
    }

    private Term arith() throws RegoException {
        Term lhs = factor();
        while ((peek().is(TokenKind.PLUS) || peek().is(TokenKind.MINUS)) && !peek().newlineBefore()) {
            Token t = next();
            lhs = new Call(t.is(TokenKind.PLUS) ? "plus" : "minus", List.of(lhs, factor()), loc(t));
        }
        return lhs;
    }

    private Term factor() throws RegoException {
        Term lhs = unary();
        while (true) {
            Token t = peek();
            String op = switch (t.kind()) { case STAR -> "mul"; case SLASH -> "div"; case PERCENT -> "rem"; default -> null; };
            if (op == null || t.newlineBefore()) return lhs;
            next();
            lhs = new Call(op, List.of(lhs, unary()), loc(t));
        }
    }

    private Term unary() throws RegoException {
        Token t = peek();
        if (t.is(TokenKind.MINUS)) {
            next();
            Token n = peek();
            if (n.is(TokenKind.NUMBER) && !n.spaceBefore()) {
                next();
                return postfixOn(new Scalar(num(n, "-" + n.text()), loc(t)));
            }
            return new Call("minus", List.of(new Scalar(NumberValue.of(0), loc(t)), unary()), loc(t));
        }
        return postfix();
    }

    private Term postfix() throws RegoException { return postfixOn(primary()); }

    private Term postfixOn(Term base) throws RegoException {
        Term t = base;
        while (true) {
            Token n = peek();
            if (n.spaceBefore()) return t;
            if (n.is(TokenKind.DOT)) {
                next();
                Token id = next();
                if (!id.is(TokenKind.IDENT)) throw error(id, "unexpected " + id.describe() + ": expected name after `.`");
                t = appendPath(t, new Scalar(StringValue.of(id.text()), loc(id)));
            } else if (n.is(TokenKind.LBRACK)) {
                next();
                enter(n);
                int savedPipe = noPipe;
                noPipe = 0;
                Term k = expr();
                noPipe = savedPipe;
                depth--;
                expect(TokenKind.RBRACK, "`]`");
                t = appendPath(t, k);
            } else if (n.is(TokenKind.LPAREN)) {
                String name = callName(t);
                if (name == null) throw error(n, "unexpected `(`: only functions can be called");
                next();
                enter(n);
                List<Term> args = termList(TokenKind.RPAREN);
                depth--;
                if (name.equals("set") && args.isEmpty()) t = new SetTerm(List.of(), t.loc());
                else t = new Call(name, args, t.loc());
            } else return t;
        }
    }

    private static Term appendPath(Term t, Term key) {
        if (t instanceof Ref r) {
            List<Term> p = new ArrayList<>(r.path());
            p.add(key);
            return new Ref(r.head(), p, r.loc());
        }
        return new Ref(t, List.of(key), t.loc());
    }

    /** The dotted name of a ref made of a variable and string keys ("strings.replace_n"), else null. */
    private static String callName(Term t) {
        if (t instanceof Var v) return v.name();
        if (t instanceof Ref r && r.head() instanceof Var v) {
            StringBuilder sb = new StringBuilder(v.name());
            for (Term p : r.path()) {
                if (p instanceof Scalar s && s.value() instanceof StringValue sv) sb.append('.').append(sv.value());
                else return null;
            }
            return sb.toString();
        }
        return null;
    }

    private List<Term> termList(TokenKind end) throws RegoException {
        List<Term> items = new ArrayList<>();
        int savedPipe = noPipe;
        noPipe = 0;
        while (!peek().is(end)) {
            items.add(expr());
            if (peek().is(TokenKind.COMMA)) next();
            else if (!peek().is(end)) throw error(peek(), "unexpected " + peek().describe() + ": expected `,` or " + end.display());
        }
        noPipe = savedPipe;
        next();
        return items;
    }

    private Term primary() throws RegoException {
        Token t = next();
        switch (t.kind()) {
            case NUMBER: return new Scalar(num(t, t.text()), loc(t));
            case STRING: case RAW_STRING: return new Scalar(StringValue.of(t.text()), loc(t));
            case IDENT:
                return switch (t.text()) {
                    case "true" -> new Scalar(BooleanValue.TRUE, loc(t));
                    case "false" -> new Scalar(BooleanValue.FALSE, loc(t));
                    case "null" -> new Scalar(NullValue.INSTANCE, loc(t));
                    default -> {
                        if (isReserved(t.text())) throw error(t, "unexpected `" + t.text() + "` keyword: expected expression");
                        yield new Var(t.text(), loc(t));
                    }
                };
            case LPAREN: {
                enter(t);
                int savedPipe = noPipe;
                noPipe = 0;
                Term inner = expr();
                if (peek().is(TokenKind.COMMA)) {
                    // `(k, v in xs)`: membership with key
                    next();
                    Term v = relation();
                    Token in = peek();
                    if (!in.isIdent("in")) throw error(in, "unexpected " + in.describe() + ": expected `in`");
                    next();
                    inner = new Call("internal.member_3", List.of(inner, v, relation()), inner.loc());
                }
                noPipe = savedPipe;
                depth--;
                expect(TokenKind.RPAREN, "`)`");
                return inner;
            }
            case LBRACK: return array(t);
            case LBRACE: return braced(t);
            default:
                throw error(t, "unexpected " + t.describe() + ": expected expression");
        }
    }

    private Term array(Token open) throws RegoException {
        enter(open);
        try {
            if (peek().is(TokenKind.RBRACK)) { next(); return new ArrayTerm(List.of(), loc(open)); }
            noPipe++;
            Term first = expr();
            noPipe--;
            if (peek().is(TokenKind.PIPE)) {
                next();
                Body b = comprBody(TokenKind.RBRACK);
                return new ArrayCompr(first, b, loc(open));
            }
            List<Term> items = new ArrayList<>();
            items.add(first);
            if (peek().is(TokenKind.COMMA)) { next(); items.addAll(termList(TokenKind.RBRACK)); }
            else expect(TokenKind.RBRACK, "`]`");
            return new ArrayTerm(items, loc(open));
        } finally { depth--; }
    }

    private Term braced(Token open) throws RegoException {
        enter(open);
        try {
            if (peek().is(TokenKind.RBRACE)) { next(); return new ObjectTerm(List.of(), List.of(), loc(open)); }
            noPipe++;
            Term first = expr();
            noPipe--;
            if (peek().is(TokenKind.COLON)) {
                next();
                noPipe++;
                Term v = expr();
                noPipe--;
                if (peek().is(TokenKind.PIPE)) {
                    next();
                    return new ObjectCompr(first, v, comprBody(TokenKind.RBRACE), loc(open));
                }
                List<Term> keys = new ArrayList<>(), vals = new ArrayList<>();
                keys.add(first);
                vals.add(v);
                while (peek().is(TokenKind.COMMA)) {
                    next();
                    if (peek().is(TokenKind.RBRACE)) break;
                    keys.add(expr());
                    expect(TokenKind.COLON, "`:`");
                    vals.add(expr());
                }
                expect(TokenKind.RBRACE, "`}`");
                return new ObjectTerm(keys, vals, loc(open));
            }
            if (peek().is(TokenKind.PIPE)) {
                next();
                return new SetCompr(first, comprBody(TokenKind.RBRACE), loc(open));
            }
            List<Term> items = new ArrayList<>();
            items.add(first);
            if (peek().is(TokenKind.COMMA)) { next(); items.addAll(termList(TokenKind.RBRACE)); }
            else expect(TokenKind.RBRACE, "`}`");
            return new SetTerm(items, loc(open));
        } finally { depth--; }
    }

    private Body comprBody(TokenKind end) throws RegoException {
        int savedPipe = noPipe;
        noPipe = 0;
        Body b = body(end);
        noPipe = savedPipe;
        expect(end, end.display());
        if (b.exprs().isEmpty()) throw error(peek(), "empty comprehension body");
        return b;
    }

    // ---- helpers ----

    private void enter(Token t) throws RegoException {
        if (++depth > MAX_NESTING)
            throw error(t, "terms nested more than " + MAX_NESTING + " levels deep");
    }

    private static boolean isReserved(String w) {
        return switch (w) { case "not", "with", "as", "import", "package", "default", "else", "some", "every" -> true; default -> false; };
    }

    private static boolean isKeyword(String w) { return isReserved(w) || w.equals("if") || w.equals("contains") || w.equals("in"); }

    private NumberValue num(Token t, String text) throws RegoException {
        try { return NumberValue.parse(text); }
        catch (NumberFormatException | ArithmeticException e) { throw error(t, "invalid number " + text); }
    }

    private Ref refOf(Term t, String what) throws RegoException {
        if (t instanceof Var v) return new Ref(v, List.of(), v.loc());
        if (t instanceof Ref r && r.head() instanceof Var) return r;
        throw new RegoException(RegoException.PARSE, "invalid " + what + " path", file, t.loc().row(), t.loc().col());
    }

    private String ident(String what) throws RegoException {
        Token t = next();
        if (!t.is(TokenKind.IDENT)) throw error(t, "unexpected " + t.describe() + ": expected " + what);
        return t.text();
    }

    private Token peek() { return tokens.get(pos); }

    private Token next() {
        Token t = tokens.get(pos);
        if (pos < tokens.size() - 1) pos++;
        return t;
    }

    private void expect(TokenKind k, String what) throws RegoException {
        Token t = peek();
        if (!t.is(k)) throw error(t, "unexpected " + t.describe() + ": expected " + what);
        next();
    }

    private Location loc(Token t) { return new Location(file, t.row(), t.col()); }

    private RegoException error(Token t, String msg) {
        return new RegoException(RegoException.PARSE, msg, file, t.row(), t.col());
    }
}
