package org.lobstertrap.puzzlepod.rego.lexer;

import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;

/** Turns Rego source text into tokens. Comments ({@code # …}) and whitespace are dropped. */
public final class Lexer {
    private final String src;
    private final String file;
    private int pos;
    private int row = 1;
    private int lineStart;

    private final List<Comment> comments = new ArrayList<>();

    /** A {@code #} comment: its row and text after the {@code #}. */
    public record Comment(int row, String text) {}

    private Lexer(String src, String file) { this.src = src; this.file = file; }

    /** All tokens of {@code src}, ending with an EOF token. */
    public static List<Token> tokenize(String src, String file) throws RegoException {
        return new Lexer(src, file).run();
    }

    /** Tokens as {@link #tokenize}, and the comments (for METADATA annotations) into {@code commentsOut}. */
    public static List<Token> tokenize(String src, String file, List<Comment> commentsOut) throws RegoException {
        Lexer l = new Lexer(src, file);
        List<Token> t = l.run();
        commentsOut.addAll(l.comments);
        return t;
    }

    private List<Token> run() throws RegoException {
        List<Token> out = new ArrayList<>();
        while (true) {
            boolean space = false, newline = false;
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '\n') { newline = true; space = true; pos++; row++; lineStart = pos; }
                else if (c == ' ' || c == '\t' || c == '\r') { space = true; pos++; }
                else if (c == '#') {
                    int s = pos + 1;
                    while (pos < src.length() && src.charAt(pos) != '\n') pos++;
                    comments.add(new Comment(row, src.substring(s, pos)));
                    space = true;
                }
                else break;
            }
            int r = row, col = pos - lineStart + 1;
            if (pos >= src.length()) { out.add(new Token(TokenKind.EOF, "", r, col, space, newline)); return out; }
            char c = src.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                int s = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
                out.add(new Token(TokenKind.IDENT, src.substring(s, pos), r, col, space, newline));
            } else if (c >= '0' && c <= '9') {
                out.add(new Token(TokenKind.NUMBER, number(r, col), r, col, space, newline));
            } else if (c == '"') {
                out.add(new Token(TokenKind.STRING, string(r, col), r, col, space, newline));
            } else if (c == '`') {
                int s = ++pos;
                while (pos < src.length() && src.charAt(pos) != '`') {
                    if (src.charAt(pos) == '\n') { row++; lineStart = pos + 1; }
                    pos++;
                }
                if (pos >= src.length()) throw error(r, col, "unterminated raw string");
                out.add(new Token(TokenKind.RAW_STRING, src.substring(s, pos++), r, col, space, newline));
            } else {
                TokenKind k = operator(c);
                if (k == null) throw error(r, col, "illegal character " + quoteChar(c));
                pos += k.display().length();
                out.add(new Token(k, k.display(), r, col, space, newline));
            }
        }
    }

    private TokenKind operator(char c) {
        char n = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
        return switch (c) {
            case '{' -> TokenKind.LBRACE; case '}' -> TokenKind.RBRACE;
            case '[' -> TokenKind.LBRACK; case ']' -> TokenKind.RBRACK;
            case '(' -> TokenKind.LPAREN; case ')' -> TokenKind.RPAREN;
            case '.' -> TokenKind.DOT; case ',' -> TokenKind.COMMA; case ';' -> TokenKind.SEMI;
            case ':' -> n == '=' ? TokenKind.ASSIGN : TokenKind.COLON;
            case '|' -> TokenKind.PIPE; case '&' -> TokenKind.AMP;
            case '=' -> n == '=' ? TokenKind.EQ : TokenKind.UNIFY;
            case '!' -> n == '=' ? TokenKind.NEQ : null;
            case '<' -> n == '=' ? TokenKind.LTE : TokenKind.LT;
            case '>' -> n == '=' ? TokenKind.GTE : TokenKind.GT;
            case '+' -> TokenKind.PLUS; case '-' -> TokenKind.MINUS; case '*' -> TokenKind.STAR;
            case '/' -> TokenKind.SLASH; case '%' -> TokenKind.PERCENT;
            default -> null;
        };
    }

    private String number(int r, int col) throws RegoException {
        int s = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) pos++;
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
            } else pos = save;
        }
        if (pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '_'))
            throw error(r, col, "illegal number format: " + src.substring(s, pos + 1));
        return src.substring(s, pos);
    }

    private String string(int r, int col) throws RegoException {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') throw error(r, col, "non-terminated string");
            char c = src.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c != '\\') { sb.append(c); continue; }
            if (pos >= src.length()) throw error(r, col, "non-terminated string");
            char e = src.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"'); case '\\' -> sb.append('\\'); case '/' -> sb.append('/');
                case 'b' -> sb.append('\b'); case 'f' -> sb.append('\f'); case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r'); case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) throw error(r, col, "illegal escape sequence in string");
                    try { sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16)); }
                    catch (NumberFormatException ex) { throw error(r, col, "illegal escape sequence in string"); }
                    pos += 4;
                }
                default -> throw error(r, col, "illegal escape sequence \\" + e + " in string");
            }
        }
    }

    private static String quoteChar(char c) { return c < 0x20 ? String.format("U+%04X", (int) c) : "'" + c + "'"; }

    private RegoException error(int r, int col, String msg) {
        return new RegoException(RegoException.PARSE, msg, file, r, col);
    }
}
