package org.lobstertrap.puzzlepod.rego.lexer;

/**
 * One token. {@code text} is the identifier, the number literal, or the decoded string value.
 * {@code spaceBefore}/{@code newlineBefore} let the parser tell {@code x[0]} from {@code x [0]} and
 * end a body literal at a line break.
 */
public record Token(TokenKind kind, String text, int row, int col, boolean spaceBefore, boolean newlineBefore) {
    public boolean is(TokenKind k) { return kind == k; }
    public boolean isIdent(String word) { return kind == TokenKind.IDENT && text.equals(word); }
    public String describe() {
        return switch (kind) {
            case IDENT, NUMBER -> "`" + text + "`";
            case STRING, RAW_STRING -> "string";
            case EOF -> "end of input";
            default -> "`" + kind.display() + "`";
        };
    }
}
