package org.lobstertrap.puzzlepod.daemon.network;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The head of an HTTP/1.x request (request line and header fields), parsed strictly: CRLF line ends, token
 * methods and field names, no obsolete line folding, no control characters, at most one Host, bounded size.
 *
 * @param method  the method ({@code GET}, {@code CONNECT}, …)
 * @param target  the request target as written
 * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param fields  the header fields in order
 * @param length  bytes of the head including the blank line
 */
public record HttpRequestHead(String method, String target, String version, List<Field> fields, int length) {
    /** The largest head accepted. */
    public static final int MAX_HEAD_BYTES = 16 * 1024;
    /** The most header fields accepted. */
    public static final int MAX_FIELDS = 100;

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive", "upgrade", "te",
            "trailer", "proxy-authorization", "proxy-authenticate");

    /** One header field. */
    public record Field(String name, String value) {}

    public HttpRequestHead { fields = List.copyOf(fields); }

    /** Whether the bytes start like an HTTP request (an upper-case method and a space), before the head is complete. */
    public static boolean looksLikeHttp(byte[] buf, int len) {
        int i = 0;
        while (i < len && i < 20 && buf[i] >= 'A' && buf[i] <= 'Z') i++;
        return i > 0 && (i == len || buf[i] == ' ');
    }

    /**
     * Parses the head at the start of {@code buf[0..len)}.
     *
     * @return the head, or null when more bytes are needed (and the limit is not reached yet)
     * @throws MalformedInput when the bytes are not a valid head or the head exceeds {@link #MAX_HEAD_BYTES}
     */
    public static HttpRequestHead parse(byte[] buf, int len) throws MalformedInput {
        int end = indexOfBlankLine(buf, Math.min(len, MAX_HEAD_BYTES));
        if (end < 0) {
            if (len >= MAX_HEAD_BYTES) throw new MalformedInput("request head larger than " + MAX_HEAD_BYTES + " bytes");
            return null;
        }
        // ISO-8859-1 maps each byte to one char, so byte checks below are exact
        String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3) throw new MalformedInput("request line is not 'METHOD TARGET VERSION'");
        String method = requestLine[0], target = requestLine[1], version = requestLine[2];
        if (!isToken(method)) throw new MalformedInput("invalid method");
        if (target.isEmpty() || !visible(target)) throw new MalformedInput("invalid request target");
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) throw new MalformedInput("unsupported version '" + printable(version) + "'");
        List<Field> fields = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) throw new MalformedInput("empty line inside the head");
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') throw new MalformedInput("obsolete line folding");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new MalformedInput("header line without a field name");
            String name = line.substring(0, colon);
            if (!isToken(name)) throw new MalformedInput("invalid field name");
            String value = line.substring(colon + 1).strip();
            for (int k = 0; k < value.length(); k++) {
                char c = value.charAt(k);
                if (c < ' ' && c != '\t' || c == 0x7f) throw new MalformedInput("control character in field " + name);
            }
            fields.add(new Field(name, value));
            if (fields.size() > MAX_FIELDS) throw new MalformedInput("more than " + MAX_FIELDS + " header fields");
        }
        return new HttpRequestHead(method, target, version, fields, end + 4);
    }

    private static int indexOfBlankLine(byte[] b, int len) {
        for (int i = 0; i + 3 < len; i++)
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        return -1;
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    private static boolean visible(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) <= ' ' || s.charAt(i) >= 0x7f) return false;
        return true;
    }

    private static String printable(String s) {
        return visible(s) && s.length() <= 40 ? s : "…";
    }

    /** The values of every field named {@code name} (case-insensitive). */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) if (f.name().equalsIgnoreCase(name)) out.add(f.value());
        return out;
    }

    /** Whether this is a {@code CONNECT} tunnel request. */
    public boolean isConnect() { return method.equals("CONNECT"); }

    /**
     * Where the request goes: the CONNECT target ({@code host:port}, port required), the authority of an
     * absolute-form target ({@code http://host[:port]/…}; a Host field must then agree), or the Host field
     * (default port 80).
     *
     * @throws MalformedInput when there is no destination, more than one Host, or they disagree
     */
    public Authority destination() throws MalformedInput {
        List<String> hosts = values("Host");
        if (hosts.size() > 1) throw new MalformedInput("more than one Host field");
        if (isConnect()) return Authority.parse(target, 0);
        Authority fromHost = hosts.isEmpty() ? null : Authority.parse(hosts.getFirst(), 80);
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://")) {
            String rest = target.substring("http://".length());
            int slash = indexOfAny(rest, "/?#");
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            if (authority.contains("@")) throw new MalformedInput("user information in the request target");
            Authority fromTarget = Authority.parse(authority, 80);
            if (fromHost != null && !fromHost.toString().equalsIgnoreCase(fromTarget.toString()))
                throw new MalformedInput("Host field disagrees with the request target");
            return fromTarget;
        }
        if (lower.contains("://")) throw new MalformedInput("only http:// targets can be proxied in plain text");
        if (fromHost == null) throw new MalformedInput("missing Host field");
        return fromHost;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }

    /**
     * The head as forwarded upstream: the same request line and fields without hop-by-hop fields, plus
     * {@code Connection: close}, so the upstream server answers this one request only and a second request on
     * the same connection (possibly for another host) is never served.
     */
    public byte[] forwardedHead() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 32);
        out.writeBytes((method + " " + target + " " + version + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (Field f : fields) {
            if (HOP_BY_HOP.contains(f.name().toLowerCase(Locale.ROOT))) continue;
            out.writeBytes((f.name() + ": " + f.value() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
