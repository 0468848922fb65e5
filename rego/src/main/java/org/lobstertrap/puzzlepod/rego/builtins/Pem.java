package org.lobstertrap.puzzlepod.rego.builtins;

import java.nio.charset.StandardCharsets;

/**
 * PEM block scanning with Go's encoding/pem rules: the first well-formed block wins (malformed ones are
 * skipped), the text after the END line is returned as the rest.
 */
final class Pem {
    private Pem() {}

    /** One decoded block and what follows it. */
    record Block(String type, byte[] bytes, String rest) {}

    /** The first well-formed block in {@code text}, or null when there is none. */
    static Block decode(String text) {
        String rest = text;
        while (true) {
            int begin = rest.startsWith("-----BEGIN ") ? 0 : rest.indexOf("\n-----BEGIN ");
            if (begin < 0) return null;
            if (begin > 0) begin += 1;
            String afterBegin = rest.substring(begin + "-----BEGIN ".length());
            int eol = lineEnd(afterBegin);
            String typeLine = trimRight(afterBegin.substring(0, eol));
            String next = afterBegin.substring(Math.min(afterBegin.length(), skipEol(afterBegin, eol)));
            if (!typeLine.endsWith("-----")) { rest = next; continue; }
            String type = typeLine.substring(0, typeLine.length() - 5);
            // headers ("Key: value" lines) are skipped
            String body = next;
            while (true) {
                int le = lineEnd(body);
                String line = body.substring(0, le);
                if (line.contains(":") && !line.startsWith("-----")) body = body.substring(Math.min(body.length(), skipEol(body, le)));
                else break;
            }
            String endMarker = "-----END " + type + "-----";
            int endIdx;
            if (body.startsWith("-----END ")) endIdx = 0;
            else {
                endIdx = body.indexOf("\n-----END ");
                if (endIdx >= 0) endIdx += 1;
            }
            if (endIdx < 0 || !body.startsWith(endMarker, endIdx)) { rest = next; continue; }
            String b64 = body.substring(0, endIdx).replaceAll("[ \t\r\n]", "");
            byte[] bytes;
            try {
                bytes = java.util.Base64.getDecoder().decode(b64.getBytes(StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                rest = next;
                continue;
            }
            String after = body.substring(endIdx + endMarker.length());
            int le = lineEnd(after);
            if (!after.substring(0, le).trim().isEmpty()) { rest = next; continue; }
            return new Block(type, bytes, after.substring(Math.min(after.length(), skipEol(after, le))));
        }
    }

    private static int lineEnd(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s.length() : i;
    }

    private static int skipEol(String s, int eol) { return eol < s.length() ? eol + 1 : eol; }

    private static String trimRight(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t' || s.charAt(e - 1) == '\r')) e--;
        return s.substring(0, e);
    }
}
