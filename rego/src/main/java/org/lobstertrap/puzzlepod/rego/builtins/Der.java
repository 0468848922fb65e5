package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal DER reader for the certificate, key and request structures the token and certificate
 * builtins inspect. Each {@link Der} is one TLV element; malformed input throws {@link DerException}.
 */
final class Der {
    static final int INTEGER = 0x02, BIT_STRING = 0x03, OCTET_STRING = 0x04, NULL = 0x05, OID = 0x06,
            UTF8 = 0x0c, PRINTABLE = 0x13, T61 = 0x14, IA5 = 0x16, UTC_TIME = 0x17, GENERALIZED_TIME = 0x18,
            BMP = 0x1e, UNIVERSAL = 0x1c, SEQUENCE = 0x30, SET = 0x31;

    /** Malformed DER. */
    static final class DerException extends Exception {
        DerException(String message) { super(message); }
    }

    final int tag;
    private final byte[] buf;
    final int start;      // first byte of the TLV
    final int valueStart; // first content byte
    final int end;        // one past the last content byte

    private Der(int tag, byte[] buf, int start, int valueStart, int end) {
        this.tag = tag;
        this.buf = buf;
        this.start = start;
        this.valueStart = valueStart;
        this.end = end;
    }

    /** Parses exactly one element spanning the whole input. */
    static Der parse(byte[] data) throws DerException {
        Der d = read(data, 0, data.length);
        if (d.end != data.length) throw new DerException("trailing data");
        return d;
    }

    static Der read(byte[] buf, int pos, int limit) throws DerException {
        if (pos + 2 > limit) throw new DerException("data truncated");
        int tag = buf[pos] & 0xff;
        if ((tag & 0x1f) == 0x1f) throw new DerException("high-tag-number form not supported");
        int len = buf[pos + 1] & 0xff;
        int p = pos + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n == 0 || n > 4) throw new DerException("indefinite or oversized length");
            len = 0;
            for (int i = 0; i < n; i++) {
                if (p >= limit) throw new DerException("data truncated");
                len = (len << 8) | (buf[p++] & 0xff);
            }
            if (len < 0) throw new DerException("length too large");
        }
        if (len > limit - p) throw new DerException("data truncated");
        return new Der(tag, buf, pos, p, p + len);
    }

    /** The children of a constructed element. */
    List<Der> children() throws DerException {
        List<Der> out = new ArrayList<>();
        int p = valueStart;
        while (p < end) {
            Der d = read(buf, p, end);
            out.add(d);
            p = d.end;
        }
        return out;
    }

    Der expect(int wantTag) throws DerException {
        if (tag != wantTag) throw new DerException("tags don't match (" + wantTag + " vs " + tag + ")");
        return this;
    }

    byte[] value() { return java.util.Arrays.copyOfRange(buf, valueStart, end); }

    /** The whole TLV encoding. */
    byte[] encoded() { return java.util.Arrays.copyOfRange(buf, start, end); }

    /** Context-specific tag number, or -1 when not context-specific. */
    int contextTag() { return (tag & 0xc0) == 0x80 ? tag & 0x1f : -1; }

    BigInteger integer() throws DerException {
        if (end == valueStart) throw new DerException("empty integer");
        return new BigInteger(value());
    }

    /** A BIT STRING's bytes (the unused-bits count dropped). */
    byte[] bitStringBytes() throws DerException {
        if (end == valueStart) throw new DerException("empty bit string");
        return java.util.Arrays.copyOfRange(buf, valueStart + 1, end);
    }

    int[] oidArcs() throws DerException {
        List<Long> arcs = new ArrayList<>();
        long v = 0;
        boolean first = true;
        for (int i = valueStart; i < end; i++) {
            v = (v << 7) | (buf[i] & 0x7f);
            if ((buf[i] & 0x80) == 0) {
                if (first) {
                    long a = Math.min(v / 40, 2);
                    arcs.add(a);
                    arcs.add(v - a * 40);
                    first = false;
                } else {
                    arcs.add(v);
                }
                v = 0;
            }
        }
        if (arcs.isEmpty()) throw new DerException("invalid object identifier");
        int[] out = new int[arcs.size()];
        for (int i = 0; i < out.length; i++) out[i] = (int) (long) arcs.get(i);
        return out;
    }

    String oid() throws DerException {
        int[] arcs = oidArcs();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < arcs.length; i++) { if (i > 0) sb.append('.'); sb.append(arcs[i]); }
        return sb.toString();
    }

    /** A string-typed element's text (BMPString as UTF-16, the others as UTF-8/Latin-1). */
    String string() {
        byte[] v = value();
        return switch (tag) {
            case BMP -> new String(v, java.nio.charset.StandardCharsets.UTF_16BE);
            case T61 -> new String(v, java.nio.charset.StandardCharsets.ISO_8859_1);
            default -> new String(v, java.nio.charset.StandardCharsets.UTF_8);
        };
    }

    boolean isString() {
        return tag == UTF8 || tag == PRINTABLE || tag == T61 || tag == IA5 || tag == BMP || tag == UNIVERSAL;
    }

    // ---- encoding (just enough to wrap raw EC signature halves) ----

    static byte[] encode(int tag, byte[] content) {
        int len = content.length;
        byte[] lenBytes;
        if (len < 0x80) lenBytes = new byte[] {(byte) len};
        else if (len < 0x100) lenBytes = new byte[] {(byte) 0x81, (byte) len};
        else if (len < 0x10000) lenBytes = new byte[] {(byte) 0x82, (byte) (len >> 8), (byte) len};
        else lenBytes = new byte[] {(byte) 0x83, (byte) (len >> 16), (byte) (len >> 8), (byte) len};
        byte[] out = new byte[1 + lenBytes.length + len];
        out[0] = (byte) tag;
        System.arraycopy(lenBytes, 0, out, 1, lenBytes.length);
        System.arraycopy(content, 0, out, 1 + lenBytes.length, len);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) { System.arraycopy(p, 0, out, i, p.length); i += p.length; }
        return out;
    }
}
