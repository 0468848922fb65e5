package org.lobstertrap.puzzlepod.core.branch;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The name of a branch: 1 to 64 characters from {@code [A-Za-z0-9_-]}. The id is used as a directory
 * name under the branch root, so anything that could escape it ("..", "/", NUL, unicode look-alikes)
 * is refused at the boundary rather than sanitised.
 */
public record BranchId(String value) implements Comparable<BranchId> {
    public static final int MAX_LENGTH = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    public BranchId {
        String problem = problem(value);
        if (problem != null) throw new InvalidBranchId(problem);
    }

    /** Parses and validates an id; throws {@link InvalidBranchId} with the reason. */
    public static BranchId of(String value) { return new BranchId(value); }

    /** True when {@code value} is a valid id. */
    public static boolean isValid(String value) { return problem(value) == null; }

    /** Null when valid, otherwise why not (for error messages). */
    public static String problem(String value) {
        if (value == null) return "branch id is missing";
        if (value.isEmpty()) return "branch id is empty";
        if (value.length() > MAX_LENGTH)
            return "branch id is " + value.length() + " characters long, at most " + MAX_LENGTH + " are allowed";
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) return "branch id " + quote(value) + " contains " + describe(c) + " at position " + i
                    + "; only letters A-Z a-z, digits, '_' and '-' are allowed";
        }
        return null;
    }

    /** A new random id ("b-" + 16 hex digits, 64 bits of entropy), valid by construction. */
    public static BranchId generate() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return new BranchId("b-" + HexFormat.of().formatHex(bytes));
    }

    @Override public int compareTo(BranchId o) { return value.compareTo(o.value); }

    @Override public String toString() { return value; }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f || c > 0x7e) return String.format("the character U+%04X", (int) c);
        return "'" + c + "'";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().limit(80).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) sb.append(String.format("\\u%04x", cp));
            else sb.appendCodePoint(cp);
        });
        return sb.append('"').toString();
    }
}
