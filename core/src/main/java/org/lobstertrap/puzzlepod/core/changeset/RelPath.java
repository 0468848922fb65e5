package org.lobstertrap.puzzlepod.core.changeset;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path relative to the workspace root, kept as the raw bytes Linux uses: components joined by '/',
 * never empty, never absolute, no "." or ".." component, no NUL, each component at most 255 bytes,
 * the whole at most 4095 bytes. Hostile names (newlines, non-UTF-8 bytes, leading '-') are legal and
 * round-trip exactly; only {@link #display()} is lossy-free-but-escaped text for people and policies.
 *
 * <p>Ordering is unsigned byte order, which for valid UTF-8 equals code-point order (OPA's string order).
 */
public final class RelPath implements Comparable<RelPath> {
    public static final int MAX_COMPONENT = 255;
    public static final int MAX_LENGTH = 4095;

    private final byte[] bytes;
    private int hash;

    private RelPath(byte[] bytes) { this.bytes = bytes; }

    /** Validates and copies raw bytes such as {@code "src/main.c"}. */
    public static RelPath of(byte[] raw) {
        byte[] copy = raw.clone();
        validate(copy);
        return new RelPath(copy);
    }

    /** A path from text (encoded as UTF-8). */
    public static RelPath of(String path) { return of(path.getBytes(StandardCharsets.UTF_8)); }

    /** Validates {@code raw} as a relative path; null when valid, else the reason (for error messages). */
    public static String problem(byte[] raw) {
        try { validate(raw); return null; } catch (IllegalArgumentException e) { return e.getMessage(); }
    }

    private static void validate(byte[] raw) {
        if (raw.length == 0) throw new IllegalArgumentException("empty path");
        if (raw.length > MAX_LENGTH) throw new IllegalArgumentException("path longer than " + MAX_LENGTH + " bytes");
        if (raw[0] == '/') throw new IllegalArgumentException("absolute path: " + escape(raw));
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '/') {
                int len = i - start;
                if (len == 0) throw new IllegalArgumentException("empty path component in " + escape(raw));
                if (len > MAX_COMPONENT) throw new IllegalArgumentException("path component longer than 255 bytes in " + escape(raw));
                if (len == 1 && raw[start] == '.') throw new IllegalArgumentException("'.' component in " + escape(raw));
                if (len == 2 && raw[start] == '.' && raw[start + 1] == '.')
                    throw new IllegalArgumentException("'..' component in " + escape(raw));
                start = i + 1;
            } else if (raw[i] == 0) {
                throw new IllegalArgumentException("NUL byte in path " + escape(raw));
            }
        }
    }

    /** The raw bytes (a copy). */
    public byte[] bytes() { return bytes.clone(); }

    /** Number of bytes. */
    public int length() { return bytes.length; }

    /** This path with one more component (raw bytes, must not contain '/'). */
    public RelPath resolve(byte[] name) {
        byte[] joined = Arrays.copyOf(bytes, bytes.length + 1 + name.length);
        joined[bytes.length] = '/';
        System.arraycopy(name, 0, joined, bytes.length + 1, name.length);
        validate(joined);
        return new RelPath(joined);
    }

    /** A top-level path from one component. */
    public static RelPath ofName(byte[] name) { return of(name); }

    /** The parent path, or null for a top-level entry. */
    public RelPath parent() {
        for (int i = bytes.length - 1; i >= 0; i--) if (bytes[i] == '/') return new RelPath(Arrays.copyOf(bytes, i));
        return null;
    }

    /** The last component. */
    public byte[] name() {
        for (int i = bytes.length - 1; i >= 0; i--) if (bytes[i] == '/') return Arrays.copyOfRange(bytes, i + 1, bytes.length);
        return bytes.clone();
    }

    /** The components, first to last. */
    public List<byte[]> components() {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '/') { out.add(Arrays.copyOfRange(bytes, start, i)); start = i + 1; }
        }
        return out;
    }

    public int depth() {
        int d = 1;
        for (byte b : bytes) if (b == '/') d++;
        return d;
    }

    /** True when {@code ancestor} equals this path or is a proper ancestor of it (component-wise). */
    public boolean startsWith(RelPath ancestor) {
        byte[] a = ancestor.bytes;
        if (a.length > bytes.length) return false;
        if (!Arrays.equals(bytes, 0, a.length, a, 0, a.length)) return false;
        return a.length == bytes.length || bytes[a.length] == '/';
    }

    public boolean isValidUtf8() {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Text for people, logs and policy input: the UTF-8 text when the bytes are valid UTF-8 and hold
     * no control characters; otherwise every invalid byte and control character becomes {@code \xNN}
     * (and a backslash becomes {@code \\}), so that distinct paths never display alike.
     */
    public String display() { return escape(bytes); }

    /** {@link #display()} for any raw name or path bytes (e.g. a symlink target, a name in an error message). */
    public static String escape(byte[] raw) {
        boolean plain = true;
        for (byte b : raw) if (b < 0x20 || b == 0x7f || b == '\\' || b < 0) { plain = false; break; }
        if (plain) return new String(raw, StandardCharsets.US_ASCII);
        StringBuilder sb = new StringBuilder(raw.length + 16);
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
            int len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? (b <= 0xef ? 3 : 0) : b >= 0xc2 ? 2 : 0;
            if (len > 0 && i + len <= raw.length) {
                String s = decodeStrict(raw, i, len);
                if (s != null) { sb.append(s); i += len; continue; }
            }
            sb.append(String.format("\\x%02x", b));
            i++;
        }
        return sb.toString();
    }

    private static String decodeStrict(byte[] raw, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, off, len)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override public int compareTo(RelPath o) { return Arrays.compareUnsigned(bytes, o.bytes); }
    @Override public boolean equals(Object o) { return o instanceof RelPath p && Arrays.equals(bytes, p.bytes); }
    @Override public int hashCode() { int h = hash; if (h == 0) hash = h = Arrays.hashCode(bytes); return h; }
    @Override public String toString() { return display(); }
}
