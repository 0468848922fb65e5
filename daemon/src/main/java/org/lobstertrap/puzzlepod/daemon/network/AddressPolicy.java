package org.lobstertrap.puzzlepod.daemon.network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Set;

/** Which resolved addresses the proxy may connect to on an agent's behalf. */
@FunctionalInterface
public interface AddressPolicy {
    /** Whether the proxy may connect to {@code address}. */
    boolean permits(InetAddress address);

    /**
     * Globally routable unicast addresses only: no loopback, unspecified, private (10/8, 172.16/12, 192.168/16,
     * fc00::/7), shared (100.64/10), link-local (169.254/16, fe80::/10), multicast, broadcast, reserved (0/8,
     * 240/4), IETF/benchmark/documentation ranges, or IPv4-mapped/NAT64/6to4 forms of those.
     */
    static AddressPolicy publicOnly() { return PublicAddresses::isPublic; }

    /** This policy, or one of {@code extra} exactly (for tests that stand an upstream up on loopback). */
    default AddressPolicy orExactly(Set<InetAddress> extra) {
        Set<InetAddress> copy = Set.copyOf(extra);
        return a -> copy.contains(a) || permits(a);
    }

    /** The address classification behind {@link #publicOnly()}. */
    final class PublicAddresses {
        private PublicAddresses() {}

        /** Whether {@code a} is a globally routable unicast address. */
        public static boolean isPublic(InetAddress a) {
            if (a instanceof Inet4Address v4) return isPublicV4(v4.getAddress());
            if (a instanceof Inet6Address v6) return isPublicV6(v6.getAddress());
            return false;
        }

        private static boolean isPublicV4(byte[] b) {
            int x = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
            return !(in(x, 0x00000000, 8)        // "this" network
                    || in(x, 0x0a000000, 8)      // private
                    || in(x, 0x64400000, 10)     // shared address space (CGNAT)
                    || in(x, 0x7f000000, 8)      // loopback
                    || in(x, 0xa9fe0000, 16)     // link-local
                    || in(x, 0xac100000, 12)     // private
                    || in(x, 0xc0000000, 24)     // IETF protocol assignments
                    || in(x, 0xc0000200, 24)     // TEST-NET-1
                    || in(x, 0xc0586300, 24)     // 6to4 relay anycast (deprecated)
                    || in(x, 0xc0a80000, 16)     // private
                    || in(x, 0xc6120000, 15)     // benchmarking
                    || in(x, 0xc6336400, 24)     // TEST-NET-2
                    || in(x, 0xcb007100, 24)     // TEST-NET-3
                    || in(x, 0xe0000000, 4)      // multicast
                    || in(x, 0xf0000000, 4));    // reserved and broadcast
        }

        private static boolean in(int x, int net, int bits) {
            int mask = bits == 0 ? 0 : -1 << (32 - bits);
            return (x & mask) == net;
        }

        private static boolean isPublicV6(byte[] b) {
            if (prefix(b, new byte[10], 80) && (b[10] & b[11] & 0xff) == 0xff) // ::ffff:a.b.c.d
                return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
            if (prefix(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}, 32))  // 64:ff9b::/96 and /48 NAT64
                return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]});
            if (prefix(b, new byte[] {0x20, 0x02}, 16))                          // 6to4 embeds an IPv4 address
                return isPublicV4(new byte[] {b[2], b[3], b[4], b[5]});
            if (prefix(b, new byte[12], 96)) return false;                       // ::, ::1, IPv4-compatible
            int first = b[0] & 0xff;
            if ((first & 0xe0) != 0x20) return false;                            // only 2000::/3 is global unicast
            return !prefix(b, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8}, 32)    // documentation
                    && !prefix(b, new byte[] {0x20, 0x01, 0, 0}, 23)             // IETF protocol assignments (Teredo, …)
                    && !prefix(b, new byte[] {0x3f, (byte) 0xff}, 20);            // documentation (3fff::/20)
        }

        private static boolean prefix(byte[] b, byte[] p, int bits) {
            for (int i = 0; i < bits; i++) {
                int bit = 7 - (i % 8);
                if (((b[i / 8] >> bit) & 1) != ((p.length > i / 8 ? p[i / 8] >> bit : 0) & 1)) return false;
            }
            return true;
        }
    }
}
