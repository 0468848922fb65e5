package org.lobstertrap.puzzlepod.daemon.network;

import java.util.Arrays;

/**
 * The one question of a DNS query (RFC 1035 §4.1), with what is needed to answer it.
 *
 * @param id          the message id
 * @param flags       the header flags word
 * @param name        the name asked for in dotted form, or null when a label holds bytes that are not letters,
 *                    digits, '-' or '_' (such a name is never allowed)
 * @param type        QTYPE
 * @param qclass      QCLASS
 * @param questionEnd offset just after the question section
 */
public record DnsQuestion(int id, int flags, String name, int type, int qclass, int questionEnd) {
    /** The largest message accepted (TCP limit). */
    public static final int MAX_MESSAGE = 65535;
    public static final int NOERROR = 0, FORMERR = 1, SERVFAIL = 2, NXDOMAIN = 3, NOTIMP = 4, REFUSED = 5;

    /**
     * Parses a query: a header with QR clear, and exactly one question whose name uses no compression.
     *
     * @throws MalformedInput when the bytes are not such a query
     */
    public static DnsQuestion parse(byte[] m, int len) throws MalformedInput {
        if (len < 12) throw new MalformedInput("DNS message shorter than its header");
        if (len > MAX_MESSAGE) throw new MalformedInput("DNS message larger than " + MAX_MESSAGE + " bytes");
        int id = u16(m, 0), flags = u16(m, 2);
        if ((flags & 0x8000) != 0) throw new MalformedInput("a response, not a query");
        if (u16(m, 4) != 1) throw new MalformedInput("QDCOUNT is " + u16(m, 4) + ", not 1");
        StringBuilder name = new StringBuilder();
        boolean plain = true;
        int pos = 12, total = 0;
        while (true) {
            if (pos >= len) throw new MalformedInput("truncated question name");
            int l = m[pos] & 0xff;
            if (l == 0) {
                pos++;
                break;
            }
            if (l > 63) throw new MalformedInput("compressed or oversized label in a question");
            if (pos + 1 + l > len) throw new MalformedInput("truncated label");
            total += l + 1;
            if (total > 254) throw new MalformedInput("name longer than 255 bytes");
            if (!name.isEmpty()) name.append('.');
            for (int i = pos + 1; i <= pos + l; i++) {
                char c = (char) (m[i] & 0xff);
                boolean ldh = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
                if (!ldh) plain = false;
                name.append(c);
            }
            pos += 1 + l;
        }
        if (pos + 4 > len) throw new MalformedInput("truncated question");
        return new DnsQuestion(id, flags, plain && !name.isEmpty() ? name.toString() : null, u16(m, pos), u16(m, pos + 2), pos + 4);
    }

    /** The opcode (0 = QUERY). */
    public int opcode() { return flags >> 11 & 0xf; }

    /**
     * An answer with no records and {@code rcode}: the query's id, opcode, RD bit and question, with QR and RA set.
     */
    public byte[] answer(byte[] query, int rcode) {
        byte[] r = Arrays.copyOf(query, questionEnd);
        int f = 0x8000 | (flags & 0x7800) | (flags & 0x0100) | 0x0080 | (rcode & 0xf);
        r[2] = (byte) (f >> 8);
        r[3] = (byte) f;
        r[4] = 0;
        r[5] = 1;
        Arrays.fill(r, 6, 12, (byte) 0);
        return r;
    }

    /** A header-only error answer for a message whose question could not be parsed, or null when not even the id can be read. */
    public static byte[] headerOnlyAnswer(byte[] query, int len, int rcode) {
        if (len < 12 || (query[2] & 0x80) != 0) return null; // never answer a response: no reflection loops
        byte[] r = Arrays.copyOf(query, 12);
        int flags = u16(query, 2);
        int f = 0x8000 | (flags & 0x7800) | (flags & 0x0100) | 0x0080 | (rcode & 0xf);
        r[2] = (byte) (f >> 8);
        r[3] = (byte) f;
        Arrays.fill(r, 4, 12, (byte) 0);
        return r;
    }

    /** Whether {@code response} answers this query: same id and the same question bytes. */
    public boolean isAnsweredBy(byte[] query, byte[] response, int len) {
        if (len < questionEnd || (response[2] & 0x80) == 0 || u16(response, 0) != id || u16(response, 4) != 1) return false;
        return Arrays.equals(query, 12, questionEnd, response, 12, questionEnd);
    }

    static int u16(byte[] b, int at) { return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff); }
}
