package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;

/**
 * {@code semver.is_valid} and {@code semver.compare} (Semantic Versioning 2.0.0 precedence: numeric
 * core, then pre-release identifiers; build metadata ignored). Parsing follows OPA's: exactly three
 * dot-separated integers, optional {@code -pre} and {@code +meta} of {@code [0-9A-Za-z-]} identifiers.
 */
final class Semver {
    private Semver() {}

    private static final Pattern IDENTIFIERS = Pattern.compile("[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    /** A parsed version. */
    record Version(BigInteger major, BigInteger minor, BigInteger patch, String preRelease) implements Comparable<Version> {
        @Override public int compareTo(Version o) {
            int c = major.compareTo(o.major);
            if (c == 0) c = minor.compareTo(o.minor);
            if (c == 0) c = patch.compareTo(o.patch);
            if (c != 0) return c;
            if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
                return preRelease.isEmpty() == o.preRelease.isEmpty() ? 0 : preRelease.isEmpty() ? 1 : -1;
            }
            String[] a = preRelease.split("\\.", -1), b = o.preRelease.split("\\.", -1);
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                c = compareIdentifier(a[i], b[i]);
                if (c != 0) return c;
            }
            return Integer.compare(a.length, b.length);
        }

        private static int compareIdentifier(String a, String b) {
            boolean an = a.chars().allMatch(Character::isDigit), bn = b.chars().allMatch(Character::isDigit);
            if (an && bn) return new BigInteger(a).compareTo(new BigInteger(b));
            if (an) return -1;
            if (bn) return 1;
            return Integer.signum(a.compareTo(b));
        }
    }

    static void register(BuiltinRegistry r) {
        r.register("semver.is_valid", 1, (c, a) ->
                BooleanValue.of(a[0] instanceof StringValue s && parse(s.value()) != null));
        r.register("semver.compare", 2, (c, a) -> {
            Version x = version(Args.string("semver.compare", a, 0), 1);
            Version y = version(Args.string("semver.compare", a, 1), 2);
            return NumberValue.of(Integer.signum(x.compareTo(y)));
        });
    }

    private static Version version(String s, int operand) throws RegoException {
        Version v = parse(s);
        if (v == null)
            throw RegoException.builtin("semver.compare", "operand " + operand + ": string " + GoQuote.quote(s) + " is not a valid SemVer");
        return v;
    }

    /** The version, or null when the text is not a valid version. */
    static Version parse(String s) {
        String meta = "";
        int plus = s.indexOf('+');
        if (plus >= 0) { meta = s.substring(plus + 1); s = s.substring(0, plus); }
        String pre = "";
        int dash = s.indexOf('-');
        if (dash >= 0) { pre = s.substring(dash + 1); s = s.substring(0, dash); }
        String[] core = s.split("\\.", 3);
        if (core.length != 3) return null;
        if (!pre.isEmpty() && !IDENTIFIERS.matcher(pre).matches()) return null;
        if (!meta.isEmpty() && !IDENTIFIERS.matcher(meta).matches()) return null;
        BigInteger[] n = new BigInteger[3];
        for (int i = 0; i < 3; i++) {
            if (!INTEGER.matcher(core[i]).matches()) return null;
            n[i] = new BigInteger(core[i].startsWith("+") ? core[i].substring(1) : core[i]);
            if (n[i].bitLength() > 63) return null; // Go parses into int64
        }
        return new Version(n[0], n[1], n[2], pre);
    }
}
