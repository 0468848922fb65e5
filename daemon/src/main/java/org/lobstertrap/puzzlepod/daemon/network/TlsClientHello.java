package org.lobstertrap.puzzlepod.daemon.network;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The parts of a TLS ClientHello (RFC 8446 §4.1.2, also TLS 1.0–1.2) the proxy decides on: the server name
 * (RFC 6066 §3) and whether Encrypted Client Hello hides the real one. The handshake message may span several
 * records; everything is length-checked and bounded.
 *
 * @param serverName the host_name of the server_name extension, or null when there is none
 * @param encrypted  whether an encrypted_client_hello extension is present (the real name is then hidden)
 * @param length     bytes of the records that carried the ClientHello
 */
public record TlsClientHello(String serverName, boolean encrypted, int length) {
    /** The largest ClientHello accepted (all its records together). */
    public static final int MAX_BYTES = 32 * 1024;

    private static final int CONTENT_HANDSHAKE = 22, CLIENT_HELLO = 1;
    private static final int EXT_SERVER_NAME = 0, EXT_ECH = 0xfe0d;

    /** Whether the bytes start like a TLS handshake record. */
    public static boolean looksLikeTls(byte[] buf, int len) {
        return len >= 1 && buf[0] == CONTENT_HANDSHAKE;
    }

    /**
     * Parses the ClientHello at the start of {@code buf[0..len)}.
     *
     * @return the ClientHello, or null when more bytes are needed
     * @throws MalformedInput when the bytes are not a ClientHello or exceed {@link #MAX_BYTES}
     */
    public static TlsClientHello parse(byte[] buf, int len) throws MalformedInput {
        // gather the handshake bytes from consecutive handshake records
        byte[] handshake = new byte[Math.min(len, MAX_BYTES)];
        int have = 0, pos = 0, need = -1;
        while (true) {
            if (need >= 0 && have >= need) break;
            if (pos + 5 > len) return needMore(len);
            if ((buf[pos] & 0xff) != CONTENT_HANDSHAKE) throw new MalformedInput("not a TLS handshake record");
            if ((buf[pos + 1] & 0xff) != 3) throw new MalformedInput("not a TLS record version");
            int recordLength = u16(buf, pos + 3);
            if (recordLength == 0 || recordLength > 16384) throw new MalformedInput("TLS record length " + recordLength);
            if (pos + 5 + recordLength > MAX_BYTES) throw new MalformedInput("ClientHello larger than " + MAX_BYTES + " bytes");
            if (pos + 5 + recordLength > len) return needMore(len);
            System.arraycopy(buf, pos + 5, handshake, have, recordLength);
            have += recordLength;
            pos += 5 + recordLength;
            if (need < 0 && have >= 4) {
                if ((handshake[0] & 0xff) != CLIENT_HELLO) throw new MalformedInput("first handshake message is not a ClientHello");
                need = 4 + ((handshake[1] & 0xff) << 16 | u16(handshake, 2));
                if (need > MAX_BYTES) throw new MalformedInput("ClientHello larger than " + MAX_BYTES + " bytes");
            }
        }
        Cursor c = new Cursor(handshake, 4, need);
        c.skip(2 + 32);           // legacy_version, random
        c.skip(c.u8());           // legacy_session_id
        int suites = c.u16();
        if (suites < 2 || suites % 2 != 0) throw new MalformedInput("bad cipher_suites length");
        c.skip(suites);
        int compressions = c.u8();
        if (compressions < 1) throw new MalformedInput("no compression methods");
        c.skip(compressions);
        String name = null;
        boolean ech = false;
        if (c.remaining() > 0) {
            int extLength = c.u16();
            int extEnd = c.pos + extLength;
            if (extEnd != c.end) throw new MalformedInput("extensions do not fill the ClientHello");
            Set<Integer> seen = new HashSet<>();
            while (c.pos < extEnd) {
                int type = c.u16(), length = c.u16();
                if (!seen.add(type)) throw new MalformedInput("duplicate extension " + type);
                Cursor e = new Cursor(handshake, c.pos, c.pos + length);
                c.skip(length);
                if (type == EXT_SERVER_NAME) name = serverName(e);
                else if (type == EXT_ECH) ech = true;
            }
        } else if (c.pos != c.end) throw new MalformedInput("trailing bytes");
        return new TlsClientHello(name, ech, pos);
    }

    private static TlsClientHello needMore(int len) throws MalformedInput {
        if (len >= MAX_BYTES) throw new MalformedInput("ClientHello larger than " + MAX_BYTES + " bytes");
        return null;
    }

    private static String serverName(Cursor e) throws MalformedInput {
        int listLength = e.u16();
        int listEnd = e.pos + listLength;
        if (listEnd != e.end) throw new MalformedInput("server_name list length mismatch");
        String name = null;
        while (e.pos < listEnd) {
            int type = e.u8();
            int n = e.u16();
            if (n == 0) throw new MalformedInput("empty server name");
            int start = e.pos;
            e.skip(n);
            if (type != 0) continue; // only host_name (0) is defined
            if (name != null) throw new MalformedInput("more than one host_name");
            for (int i = start; i < start + n; i++)
                if (e.b[i] <= ' ' || e.b[i] >= 0x7f) throw new MalformedInput("server name is not printable ASCII");
            name = new String(e.b, start, n, StandardCharsets.US_ASCII);
        }
        return name;
    }

    private static int u16(byte[] b, int at) { return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff); }

    /** A bounds-checked reader over {@code b[pos..end)}. */
    private static final class Cursor {
        final byte[] b;
        final int end;
        int pos;

        Cursor(byte[] b, int pos, int end) throws MalformedInput {
            if (end > b.length) throw new MalformedInput("length beyond the message");
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int remaining() { return end - pos; }

        void skip(int n) throws MalformedInput {
            if (n < 0 || n > end - pos) throw new MalformedInput("truncated ClientHello");
            pos += n;
        }

        int u8() throws MalformedInput {
            if (pos + 1 > end) throw new MalformedInput("truncated ClientHello");
            return b[pos++] & 0xff;
        }

        int u16() throws MalformedInput {
            if (pos + 2 > end) throw new MalformedInput("truncated ClientHello");
            int v = TlsClientHello.u16(b, pos);
            pos += 2;
            return v;
        }
    }
}
