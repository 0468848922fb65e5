package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * IP and CIDR builtins (IPv4 and IPv6, parsed here without any name resolution): net.cidr_contains,
 * net.cidr_intersects, net.cidr_overlap (deprecated alias of contains), net.cidr_expand,
 * net.cidr_is_valid, net.cidr_merge, net.cidr_contains_matches, and {@code net.lookup_ip_addr} for
 * address literals and localhost only: policies get no network access.
 */
final class Net {
    private Net() {}

    /** net.cidr_expand refuses ranges larger than this many addresses (they would exhaust memory). */
    static final int EXPAND_LIMIT = 1 << 20;

    /** An address family plus a network: {@code bits} is 32 or 128, {@code addr} the masked address. */
    record Cidr(int bits, BigInteger addr, int prefix) {
        BigInteger first() { return addr; }
        BigInteger last() { return addr.or(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE)); }
        boolean contains(Cidr o) {
            return bits == o.bits && o.prefix >= prefix && first().compareTo(o.first()) <= 0 && last().compareTo(o.last()) >= 0;
        }
        @Override public String toString() { return format(bits, addr) + "/" + prefix; }
    }

    static void register(BuiltinRegistry r) {
        r.register("net.cidr_contains", 2, (ctx, a) -> BooleanValue.of(
                contains("net.cidr_contains", Args.string("net.cidr_contains", a, 0), Args.string("net.cidr_contains", a, 1))));
        r.register("net.cidr_overlap", 2, (ctx, a) -> BooleanValue.of(
                contains("net.cidr_overlap", Args.string("net.cidr_overlap", a, 0), Args.string("net.cidr_overlap", a, 1))));
        r.register("net.cidr_intersects", 2, (ctx, a) -> {
            Cidr x = cidr("net.cidr_intersects", Args.string("net.cidr_intersects", a, 0));
            Cidr y = cidr("net.cidr_intersects", Args.string("net.cidr_intersects", a, 1));
            return BooleanValue.of(x.bits == y.bits
                    && x.first().compareTo(y.last()) <= 0 && y.first().compareTo(x.last()) <= 0);
        });
        r.register("net.cidr_is_valid", 1, (ctx, a) ->
                BooleanValue.of(a[0] instanceof StringValue s && parseCidr(s.value()) != null));
        r.register("net.cidr_expand", 1, (ctx, a) -> {
            String s = Args.string("net.cidr_expand", a, 0);
            Cidr c = cidr("net.cidr_expand", s);
            if (c.bits - c.prefix > 20)
                throw RegoException.builtin("net.cidr_expand", "CIDR " + s + " has more than " + EXPAND_LIMIT + " addresses");
            SetValue.Builder out = SetValue.builder();
            for (BigInteger i = c.first(); i.compareTo(c.last()) <= 0; i = i.add(BigInteger.ONE)) {
                ctx.checkBudget();
                out.add(StringValue.of(format(c.bits, i)));
            }
            return out.build();
        });
        r.register("net.cidr_merge", 1, (ctx, a) -> merge(a[0]));
        r.register("net.cidr_contains_matches", 2, (ctx, a) -> {
            String fn = "net.cidr_contains_matches";
            List<Value[]> cidrs = matchTerms(fn, a, 0), targets = matchTerms(fn, a, 1);
            SetValue.Builder out = SetValue.builder();
            for (Value[] c : cidrs) {
                for (Value[] t : targets) {
                    ctx.checkBudget();
                    if (contains(fn, ((StringValue) c[0]).value(), ((StringValue) t[0]).value()))
                        out.add(ArrayValue.of(c[1], t[1]));
                }
            }
            return out.build();
        });
        r.register("net.lookup_ip_addr", 1, (ctx, a) -> {
            String name = Args.string("net.lookup_ip_addr", a, 0);
            // Answers that need no resolver: an address literal is itself, and "localhost" is loopback
            // (RFC 6761). Anything else would need DNS, which policies do not get.
            byte[] ip = parseIp(name);
            if (ip != null) return SetValue.of(StringValue.of(format(ip.length * 8, new BigInteger(1, ip))));
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("localhost") || lower.endsWith(".localhost"))
                return SetValue.of(StringValue.of("127.0.0.1"), StringValue.of("::1"));
            throw RegoException.builtin("net.lookup_ip_addr", "name resolution is not available to policies: " + name);
        }, true);
    }

    /** Whether CIDR {@code outer} contains the IP or CIDR {@code inner}. */
    static boolean contains(String fn, String outer, String inner) throws RegoException {
        Cidr c = cidr(fn, outer);
        byte[] ip = parseIp(inner);
        Cidr in = ip != null ? hostCidr(ip) : cidr(fn, inner);
        return c.contains(in);
    }

    private static Cidr hostCidr(byte[] ip) {
        return new Cidr(ip.length * 8, new BigInteger(1, ip), ip.length * 8);
    }

    private static Cidr cidr(String fn, String s) throws RegoException {
        Cidr c = parseCidr(s);
        if (c == null) throw RegoException.builtin(fn, "invalid CIDR address: " + s);
        return c;
    }

    /** "addr/prefix" with the address masked to the network, or null. */
    static Cidr parseCidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) return null;
        byte[] ip = parseIp(s.substring(0, slash));
        if (ip == null) return null;
        String p = s.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3) return null;
        for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return null;
        if (p.length() > 1 && p.charAt(0) == '0') return null;
        int prefix = Integer.parseInt(p), bits = ip.length * 8;
        if (prefix > bits) return null;
        return network(bits, new BigInteger(1, ip), prefix);
    }

    private static Cidr network(int bits, BigInteger addr, int prefix) {
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        return new Cidr(bits, addr.andNot(hostMask), prefix);
    }

    /** 4 bytes for dotted IPv4, 16 for IPv6 (IPv4-mapped IPv6 becomes IPv4, as in Go), or null. */
    static byte[] parseIp(String s) {
        if (s.indexOf(':') < 0) return parseV4(s);
        byte[] v6 = parseV6(s);
        if (v6 == null) return null;
        boolean mapped = true;
        for (int i = 0; i < 10; i++) if (v6[i] != 0) mapped = false;
        if (mapped && v6[10] == (byte) 0xff && v6[11] == (byte) 0xff) return java.util.Arrays.copyOfRange(v6, 12, 16);
        return v6;
    }

    private static byte[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) return null;
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (c < '0' || c > '9') return null;
                v = v * 10 + (c - '0');
            }
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] parseV6(String s) {
        byte[] out = new byte[16];
        int ellipsis = -1, i = 0, pos = 0;
        if (s.startsWith("::")) { ellipsis = 0; pos = 2; if (s.length() == 2) return out; }
        while (pos < s.length()) {
            int end = pos;
            while (end < s.length() && Character.digit(s.charAt(end), 16) >= 0) end++;
            if (end < s.length() && s.charAt(end) == '.') {
                // Embedded IPv4 in the last 32 bits.
                if (ellipsis < 0 && i != 12) return null;
                if (i + 4 > 16) return null;
                byte[] v4 = parseV4(s.substring(pos));
                if (v4 == null) return null;
                System.arraycopy(v4, 0, out, i, 4);
                i += 4;
                pos = s.length();
                break;
            }
            int n = end - pos;
            if (n == 0 || n > 4) return null;
            int v = Integer.parseInt(s.substring(pos, end), 16);
            if (i + 2 > 16) return null;
            out[i] = (byte) (v >> 8);
            out[i + 1] = (byte) v;
            i += 2;
            pos = end;
            if (pos == s.length()) break;
            if (s.charAt(pos) != ':' || pos + 1 == s.length()) return null;
            pos++;
            if (s.charAt(pos) == ':') {
                if (ellipsis >= 0) return null;
                ellipsis = i;
                pos++;
                if (pos == s.length()) break;
            }
            if (i == 16) return null;
        }
        if (ellipsis >= 0) {
            if (i == 16) return null;
            int shift = 16 - i;
            for (int k = i - 1; k >= ellipsis; k--) out[k + shift] = out[k];
            for (int k = ellipsis; k < ellipsis + shift; k++) out[k] = 0;
        } else if (i != 16) {
            return null;
        }
        return out;
    }

    /** Go's net.IP.String: dotted IPv4, or IPv6 with the longest run (≥2) of zero groups as "::". */
    static String format(int bits, BigInteger addr) {
        byte[] raw = addr.toByteArray();
        int n = bits / 8;
        byte[] b = new byte[n];
        for (int i = 0; i < Math.min(n, raw.length); i++) b[n - 1 - i] = raw[raw.length - 1 - i];
        if (n == 4) return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static Value merge(Value operand) throws RegoException {
        String fn = "net.cidr_merge";
        List<Value> items = switch (operand) {
            case ArrayValue arr -> arr.asList();
            case SetValue s -> List.of(s.sortedElements());
            default -> throw Args.mismatch(fn, 0, "one of {array, set}", operand);
        };
        List<Cidr> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        for (Value item : items) {
            if (!(item instanceof StringValue s))
                throw RegoException.typeError(fn, "operand 1 must be one of {array, set} of strings but got element " + item.typeName());
            Cidr c = mergeInput(fn, s.value());
            (c.bits == 32 ? v4 : v6).add(c);
        }
        List<Value> out = new ArrayList<>();
        for (Cidr c : mergeFamily(v4)) out.add(StringValue.of(c.toString()));
        for (Cidr c : mergeFamily(v6)) out.add(StringValue.of(c.toString()));
        return ArrayValue.of(out);
    }

    /** A CIDR, or a bare IPv4 address with its classful default mask (Go's IP.DefaultMask). */
    private static Cidr mergeInput(String fn, String s) throws RegoException {
        byte[] ip = parseIp(s);
        if (ip == null) return cidr(fn, s);
        if (ip.length == 16) throw RegoException.builtin(fn, "IPv6 invalid: needs prefix length");
        int first = ip[0] & 0xff;
        int prefix = first < 0x80 ? 8 : first < 0xC0 ? 16 : first < 0xE0 ? 24 : -1;
        if (prefix < 0) throw RegoException.builtin(fn, "IPv4 invalid: no default mask for " + s);
        return network(32, new BigInteger(1, ip), prefix);
    }

    /** Minimal covering set: drop contained networks, then join adjacent sibling halves until stable. */
    private static List<Cidr> mergeFamily(List<Cidr> in) {
        List<Cidr> list = new ArrayList<>(in);
        list.sort(Comparator.comparing(Cidr::first).thenComparingInt(Cidr::prefix));
        boolean changed = true;
        while (changed) {
            changed = false;
            List<Cidr> next = new ArrayList<>();
            for (Cidr c : list) {
                if (!next.isEmpty()) {
                    Cidr prev = next.get(next.size() - 1);
                    if (prev.contains(c)) { changed |= true; continue; }
                    if (prev.prefix == c.prefix && prev.prefix > 0
                            && prev.last().add(BigInteger.ONE).equals(c.first())
                            && !prev.first().testBit(c.bits - prev.prefix)) {
                        next.set(next.size() - 1, new Cidr(c.bits, prev.first(), prev.prefix - 1));
                        changed = true;
                        continue;
                    }
                }
                next.add(c);
            }
            list = next;
        }
        return list;
    }

    /** The (cidr, key) pairs of a cidr_contains_matches operand. */
    private static List<Value[]> matchTerms(String fn, Value[] a, int i) throws RegoException {
        List<Value[]> out = new ArrayList<>();
        switch (a[i]) {
            case StringValue s -> out.add(new Value[] {s, s});
            case ArrayValue arr -> {
                for (int k = 0; k < arr.size(); k++) out.add(new Value[] {matchCidr(fn, i, arr.get(k)), NumberValue.of(k)});
            }
            case SetValue set -> { for (Value e : set.sortedElements()) out.add(new Value[] {matchCidr(fn, i, e), e}); }
            case ObjectValue o -> { for (Value k : o.sortedKeys()) out.add(new Value[] {matchCidr(fn, i, o.get(k)), k}); }
            default -> throw Args.mismatch(fn, i, "one of {string, array, set, object}", a[i]);
        }
        return out;
    }

    private static Value matchCidr(String fn, int i, Value v) throws RegoException {
        Value c = v instanceof ArrayValue arr && arr.size() > 0 ? arr.get(0) : v;
        if (c instanceof StringValue) return c;
        throw RegoException.builtin(fn, "operand " + (i + 1) + ": element must be string or non-empty array");
    }
}
