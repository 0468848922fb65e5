package org.lobstertrap.puzzlepod.daemon.network;

import java.util.Objects;

/**
 * A destination as a client named it: a host name (or an IP literal, which no allowlist matches) and a port.
 *
 * @param host the host as written, without brackets for IPv6 literals
 * @param port 1-65535
 */
public record Authority(String host, int port) {
    public Authority {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " outside 1-65535");
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}.
     *
     * @param defaultPort the port when none is written, or 0 when one is required
     */
    static Authority parse(String text, int defaultPort) throws MalformedInput {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new MalformedInput("unterminated IPv6 literal in '" + text + "'");
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new MalformedInput("junk after IPv6 literal in '" + text + "'");
                port = rest.substring(1);
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0) {
                if (text.indexOf(':', colon + 1) >= 0) throw new MalformedInput("more than one ':' in '" + text + "'");
                port = text.substring(colon + 1);
                host = text.substring(0, colon);
            } else host = text;
        }
        if (host.isEmpty()) throw new MalformedInput("empty host in '" + text + "'");
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == '@' || c == '?' || c == '#' || c == '\\')
                throw new MalformedInput("invalid character in host '" + text + "'");
        }
        int p;
        if (port == null) {
            if (defaultPort == 0) throw new MalformedInput("no port in '" + text + "'");
            p = defaultPort;
        } else {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9'))
                throw new MalformedInput("invalid port in '" + text + "'");
            p = Integer.parseInt(port);
            if (p < 1 || p > 65535) throw new MalformedInput("port " + p + " outside 1-65535");
        }
        return new Authority(host, p);
    }

    @Override
    public String toString() { return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port; }
}
