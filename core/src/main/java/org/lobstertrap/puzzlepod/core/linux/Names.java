package org.lobstertrap.puzzlepod.core.linux;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Readable forms of raw file names for error messages. */
final class Names {
    private Names() {}

    /**
     * The name as text: valid UTF-8 stays as it is, control characters and bytes that are not part of
     * valid UTF-8 become {@code \xNN}, a backslash becomes {@code \\}, so distinct names never look alike.
     */
    static String display(byte[] raw) {
        StringBuilder sb = new StringBuilder(raw.length + 8);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int i = 0;
        while (i < raw.length) {
            int b = raw[i] & 0xff;
            if (b < 0x80) {
                if (b < 0x20 || b == 0x7f) sb.append(String.format("\\x%02x", b));
                else if (b == '\\') sb.append("\\\\");
                else sb.append((char) b);
                i++;
                continue;
            }
            int len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
            if (len > 0 && i + len <= raw.length) {
                try {
                    sb.append(decoder.decode(ByteBuffer.wrap(raw, i, len)));
                    i += len;
                    continue;
                } catch (CharacterCodingException notUtf8) {
                    decoder.reset();
                }
            }
            sb.append(String.format("\\x%02x", b));
            i++;
        }
        return sb.toString();
    }

    /** "fd 7". */
    static String fd(int fd) { return "fd " + fd; }
}
