package org.lobstertrap.puzzlepod.rego.value;

/** A Rego string. Ordered by Unicode code point, which is Go's (and OPA's) byte-wise UTF-8 order. */
public final class StringValue implements Value {
    public static final StringValue EMPTY = new StringValue("");
    private final String value;

    private StringValue(String value) { this.value = value; }

    public static StringValue of(String s) { return s.isEmpty() ? EMPTY : new StringValue(s); }

    public String value() { return value; }

    @Override public int typeOrder() { return 3; }
    @Override public String typeName() { return "string"; }
    @Override public int compareSameType(Value other) { return compareCodePoints(value, ((StringValue) other).value); }

    /** Code-point order (differs from {@link String#compareTo} only around surrogate pairs). */
    public static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    @Override public boolean equals(Object o) { return o instanceof StringValue s && s.value.equals(value); }
    @Override public int hashCode() { return value.hashCode(); }
    /** The JSON-quoted form. */
    @Override public String toString() { return Json.write(this); }
}
