package org.lobstertrap.puzzlepod.rego.builtins;

/**
 * Base64 decoding with the exact acceptance rules and error offsets of Go's encoding/base64 (padded
 * encodings, CR/LF ignored), because OPA's error texts quote them ("illegal base64 data at input byte 13").
 */
final class GoBase64 {
    private GoBase64() {}

    /** Malformed input, with Go's message. */
    static final class CorruptInput extends Exception {
        CorruptInput(long offset) { super("illegal base64 data at input byte " + offset); }
    }

    private static final byte[] STD = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static final byte[] URL = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static byte[] table(String alphabet) {
        byte[] t = new byte[256];
        java.util.Arrays.fill(t, (byte) -1);
        for (int i = 0; i < alphabet.length(); i++) t[alphabet.charAt(i)] = (byte) i;
        return t;
    }

    static byte[] decodeStd(String s) throws CorruptInput { return decode(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), STD); }

    static byte[] decodeUrl(String s) throws CorruptInput { return decode(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), URL); }

    /**
     * OPA's base64url.decode: adds missing padding first (RFC 7515 appendix C), then decodes strictly
     * with the padded URL alphabet.
     */
    static byte[] decodeUrlLenient(String s) throws CorruptInput, IllegalArgumentException {
        if (!s.endsWith("=")) {
            switch (s.length() % 4) {
                case 0 -> { }
                case 2 -> s += "==";
                case 3 -> s += "=";
                default -> throw new IllegalArgumentException("illegal base64url string: " + s);
            }
        }
        return decodeUrl(s);
    }

    private static byte[] decode(byte[] src, byte[] map) throws CorruptInput {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(src.length * 3 / 4);
        int si = 0;
        int[] dbuf = new int[4];
        while (true) {
            int dlen = 4;
            boolean done = false;
            int j = 0;
            for (; j < 4; j++) {
                if (si == src.length) {
                    if (j == 0) return out.toByteArray();
                    // padded encoding: a partial final quantum is an error
                    throw new CorruptInput(si - j);
                }
                int in = src[si] & 0xff;
                si++;
                int v = map[in];
                if (v >= 0) { dbuf[j] = v; continue; }
                if (in == '\n' || in == '\r') { j--; continue; }
                if (in != '=') throw new CorruptInput(si - 1);
                switch (j) {
                    case 0, 1 -> throw new CorruptInput(si - 1);
                    case 2 -> {
                        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
                        if (si == src.length) throw new CorruptInput(src.length);
                        if (src[si] != '=') throw new CorruptInput(si - 1);
                        si++;
                    }
                    default -> { }
                }
                while (si < src.length && (src[si] == '\n' || src[si] == '\r')) si++;
                if (si < src.length) throw new CorruptInput(si);
                dlen = j;
                done = true;
                break;
            }
            for (int k = dlen; k < 4; k++) dbuf[k] = 0;
            int val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3];
            out.write(val >> 16);
            if (dlen >= 3) out.write(val >> 8);
            if (dlen == 4) out.write(val);
            if (done) return out.toByteArray();
        }
    }

    static String encodeRawUrl(byte[] b) { return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b); }

    static String encodeStd(byte[] b) { return java.util.Base64.getEncoder().encodeToString(b); }
}
