package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The destination of a connect(2), decoded from the raw {@code struct sockaddr} bytes.
 *
 * @param family  the address family (AF_*)
 * @param address the IP address for AF_INET/AF_INET6, else null
 * @param port    the port for AF_INET/AF_INET6, else 0
 * @param unixPath the socket path for AF_UNIX (abstract names start with {@code @}), else null
 */
public record ConnectTarget(int family, InetAddress address, int port, String unixPath) {
    public static final int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;

    /**
     * Decodes a sockaddr; {@code bytes} are the first {@code addrlen} bytes the caller passed.
     *
     * @throws IllegalArgumentException when the bytes are too short for their family
     */
    public static ConnectTarget decode(byte[] bytes) {
        if (bytes.length < 2) throw new IllegalArgumentException("sockaddr of " + bytes.length + " bytes has no family");
        int family = (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8; // sa_family_t is host order (little endian)
        try {
            return switch (family) {
                case AF_INET -> {
                    need(bytes, 8, "AF_INET");
                    yield new ConnectTarget(family, InetAddress.getByAddress(Arrays.copyOfRange(bytes, 4, 8)), port(bytes), null);
                }
                case AF_INET6 -> {
                    need(bytes, 24, "AF_INET6");
                    yield new ConnectTarget(family, InetAddress.getByAddress(Arrays.copyOfRange(bytes, 8, 24)), port(bytes), null);
                }
                case AF_UNIX -> new ConnectTarget(family, null, 0, unixPath(bytes));
                default -> new ConnectTarget(family, null, 0, null);
            };
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private static void need(byte[] bytes, int length, String family) {
        if (bytes.length < length)
            throw new IllegalArgumentException(family + " sockaddr needs " + length + " bytes, got " + bytes.length);
    }

    private static int port(byte[] b) { return (b[2] & 0xff) << 8 | (b[3] & 0xff); }

    private static String unixPath(byte[] b) {
        if (b.length == 2) return ""; // unnamed
        if (b[2] == 0) return "@" + new String(b, 3, b.length - 3, StandardCharsets.UTF_8);
        int end = 2;
        while (end < b.length && b[end] != 0) end++;
        return new String(b, 2, end - 2, StandardCharsets.UTF_8);
    }

    /** 127.0.0.0/8, ::1, or an IPv4-mapped loopback address. */
    public boolean isLoopback() {
        if (address == null) return false;
        if (address.isLoopbackAddress()) return true;
        byte[] a = address.getAddress();
        if (a.length != 16) return false;
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff && a[12] == 127;
    }

    /** A readable form for logs: {@code 127.0.0.1:81}, {@code [::1]:81}, {@code [::ffff:127.0.0.1]:81}, {@code unix:/run/x}, {@code family 16}. */
    public String display() {
        return switch (family) {
            case AF_INET -> address.getHostAddress() + ":" + port;
            // the JDK turns ::ffff:a.b.c.d into an IPv4 address; keep the family visible
            case AF_INET6 -> "[" + (address instanceof java.net.Inet4Address ? "::ffff:" : "") + address.getHostAddress()
                    + "]:" + port;
            case AF_UNIX -> "unix:" + unixPath;
            case AF_UNSPEC -> "AF_UNSPEC";
            default -> "family " + family;
        };
    }
}
