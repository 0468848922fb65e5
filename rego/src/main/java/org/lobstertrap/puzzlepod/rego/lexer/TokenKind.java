package org.lobstertrap.puzzlepod.rego.lexer;

/** Kinds of Rego tokens. */
public enum TokenKind {
    IDENT, NUMBER, STRING, RAW_STRING,
    LBRACE("{"), RBRACE("}"), LBRACK("["), RBRACK("]"), LPAREN("("), RPAREN(")"),
    DOT("."), COMMA(","), SEMI(";"), COLON(":"), PIPE("|"), AMP("&"),
    ASSIGN(":="), UNIFY("="), EQ("=="), NEQ("!="), LT("<"), GT(">"), LTE("<="), GTE(">="),
    PLUS("+"), MINUS("-"), STAR("*"), SLASH("/"), PERCENT("%"),
    EOF("end of input");

    private final String text;
    TokenKind() { this.text = null; }
    TokenKind(String text) { this.text = text; }
    /** How the token is written, for error messages. */
    public String display() { return text != null ? text : name().toLowerCase(java.util.Locale.ROOT); }
}
