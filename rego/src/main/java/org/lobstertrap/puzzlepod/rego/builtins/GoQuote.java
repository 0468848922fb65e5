package org.lobstertrap.puzzlepod.rego.builtins;

/** Go's {@code strconv.Quote}, {@code QuoteToASCII} and {@code QuoteRune}. */
final class GoQuote {
    private GoQuote() {}

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(s, false, sb);
        return sb.toString();
    }

    static void quote(String s, boolean asciiOnly, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            escapeRune(cp, '"', asciiOnly, sb);
        }
        sb.append('"');
    }

    static String quoteRune(int cp, boolean asciiOnly) {
        StringBuilder sb = new StringBuilder("'");
        if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
        escapeRune(cp, '\'', asciiOnly, sb);
        return sb.append('\'').toString();
    }

    /** Whether Go could write s between backquotes (no control characters but tab, no backquote). */
    static boolean canBackquote(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '`' || cp == 0xFEFF || (Character.isSurrogate((char) cp) && cp < 0x10000)) return false;
            if (cp < ' ' && cp != '\t' || cp == 0x7F) return false;
        }
        return true;
    }

    private static void escapeRune(int cp, char quote, boolean asciiOnly, StringBuilder sb) {
        if (cp == quote || cp == '\\') { sb.append('\\').appendCodePoint(cp); return; }
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; // a lone UTF-16 surrogate is not a rune
        if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) { sb.appendCodePoint(cp); return; }
        switch (cp) {
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7F) sb.append("\\x").append(hex(cp, 2));
                else if (cp < 0x10000) sb.append("\\u").append(hex(cp, 4));
                else sb.append("\\U").append(hex(cp, 8));
            }
        }
    }

    private static String hex(int v, int digits) {
        String h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }

    /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
