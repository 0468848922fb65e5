package org.lobstertrap.puzzlepod.rego.value;

public final class BooleanValue implements Value {
    public static final BooleanValue TRUE = new BooleanValue(true);
    public static final BooleanValue FALSE = new BooleanValue(false);
    private final boolean value;
    private BooleanValue(boolean value) { this.value = value; }
    public static BooleanValue of(boolean b) { return b ? TRUE : FALSE; }
    public boolean value() { return value; }
    @Override public int typeOrder() { return 1; }
    @Override public String typeName() { return "boolean"; }
    @Override public int compareSameType(Value other) { return Boolean.compare(value, ((BooleanValue) other).value); }
    @Override public boolean equals(Object o) { return o instanceof BooleanValue b && b.value == value; }
    @Override public int hashCode() { return value ? 1231 : 1237; }
    @Override public String toString() { return Boolean.toString(value); }
}
