package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.List;
import java.util.Random;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;

/**
 * {@code uuid.rfc4122} (a random version-4 UUID, the same for the same argument within one query) and
 * {@code uuid.parse} (the fields of a UUID; undefined when the text is not a UUID).
 */
final class Uuid {
    private Uuid() {}

    /** 100-ns intervals between the Gregorian reform (UUID epoch) and the Unix epoch. */
    private static final long GREGORIAN_TO_UNIX = 122_192_928_000_000_000L;

    static void register(BuiltinRegistry r) {
        r.register("uuid.rfc4122", 1, (ctx, a) -> {
            String key = Args.string("uuid.rfc4122", a, 0);
            return (StringValue) ctx.queryCache().computeIfAbsent(List.of("uuid.rfc4122", key),
                    k -> StringValue.of(random(ctx.random())));
        }, true);
        r.register("uuid.parse", 1, (ctx, a) -> {
            if (!(a[0] instanceof StringValue s)) return null;
            byte[] u = parse(s.value());
            return u == null ? null : describe(u);
        });
    }

    static String random(Random rnd) {
        byte[] b = new byte[16];
        rnd.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        return format(b);
    }

    private static String format(byte[] b) {
        String h = Encoding.hex(b);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
    }

    /** The 16 bytes of a UUID in any of the forms: canonical, {braced}, urn:uuid:…, or 32 bare hex digits. */
    static byte[] parse(String s) {
        String hex;
        switch (s.length()) {
            case 36 -> hex = dashed(s);
            case 38 -> hex = s.charAt(0) == '{' && s.charAt(37) == '}' ? dashed(s.substring(1, 37)) : null;
            case 45 -> hex = s.substring(0, 9).equalsIgnoreCase("urn:uuid:") ? dashed(s.substring(9)) : null;
            case 32 -> hex = s;
            default -> hex = null;
        }
        if (hex == null || hex.length() != 32) return null;
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16), lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 'f' || hex.charAt(2 * i + 1) > 'f') return null;
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    private static String dashed(String s) {
        if (s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') return null;
        return s.substring(0, 8) + s.substring(9, 13) + s.substring(14, 18) + s.substring(19, 23) + s.substring(24);
    }

    private static long u32(byte[] b, int off) {
        return (b[off] & 0xffL) << 24 | (b[off + 1] & 0xffL) << 16 | (b[off + 2] & 0xffL) << 8 | (b[off + 3] & 0xffL);
    }

    private static long u16(byte[] b, int off) { return (b[off] & 0xffL) << 8 | (b[off + 1] & 0xffL); }

    private static ObjectValue describe(byte[] u) {
        int version = (u[6] & 0xff) >> 4;
        ObjectValue.Builder b = ObjectValue.builder()
                .put("version", NumberValue.of(version))
                .put("variant", StringValue.of(variant(u[8] & 0xff)));
        if (version == 1 || version == 2) {
            long time = u32(u, 0) | u16(u, 4) << 32 | (u16(u, 6) & 0xfff) << 48;
            b.put("time", NumberValue.of((time - GREGORIAN_TO_UNIX) * 100));
            b.put("clocksequence", NumberValue.of(u16(u, 8) & 0x3fff));
            String node = Encoding.hex(java.util.Arrays.copyOfRange(u, 10, 16));
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < 12; i += 2) id.append(i > 0 ? "-" : "").append(node, i, i + 2);
            b.put("nodeid", StringValue.of(id.toString()));
            int first = u[10] & 0xff;
            b.put("macvariables", StringValue.of(((first & 2) != 0 ? "local" : "global") + ":" + ((first & 1) != 0 ? "multicast" : "unicast")));
        }
        if (version == 2) {
            b.put("id", NumberValue.of(u32(u, 0)));
            int d = u[9] & 0xff;
            b.put("domain", StringValue.of(switch (d) {
                case 0 -> "Person";
                case 1 -> "Group";
                case 2 -> "Org";
                default -> "Domain" + d;
            }));
        }
        return b.build();
    }

    private static String variant(int b8) {
        if ((b8 & 0xc0) == 0x80) return "RFC4122";
        if ((b8 & 0xe0) == 0xc0) return "Microsoft";
        if ((b8 & 0xe0) == 0xe0) return "Future";
        return "Reserved";
    }
}
