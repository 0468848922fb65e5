package org.lobstertrap.puzzlepod.rego.value;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** An immutable Rego array. */
public final class ArrayValue implements Value {
    public static final ArrayValue EMPTY = new ArrayValue(new Value[0]);
    private final Value[] elements;
    private int hash;

    private ArrayValue(Value[] elements) { this.elements = elements; }

    public static ArrayValue of(Value... elements) { return elements.length == 0 ? EMPTY : new ArrayValue(elements.clone()); }

    public static ArrayValue of(Collection<? extends Value> elements) {
        return elements.isEmpty() ? EMPTY : new ArrayValue(elements.toArray(new Value[0]));
    }

    /** Takes ownership of the array: the caller must not change it afterwards. */
    public static ArrayValue wrap(Value[] elements) { return elements.length == 0 ? EMPTY : new ArrayValue(elements); }

    public int size() { return elements.length; }
    public Value get(int i) { return elements[i]; }

    /** A read-only view. */
    public List<Value> asList() {
        return new AbstractList<>() {
            @Override public Value get(int index) { return elements[index]; }
            @Override public int size() { return elements.length; }
        };
    }

    @Override public int typeOrder() { return 4; }
    @Override public String typeName() { return "array"; }

    @Override public int compareSameType(Value other) {
        Value[] o = ((ArrayValue) other).elements;
        int n = Math.min(elements.length, o.length);
        for (int i = 0; i < n; i++) {
            int c = elements[i].compareTo(o[i]);
            if (c != 0) return c;
        }
        return Integer.compare(elements.length, o.length);
    }

    @Override public boolean equals(Object o) {
        return o == this || (o instanceof ArrayValue a && Arrays.equals(elements, a.elements));
    }

    @Override public int hashCode() {
        int h = hash;
        if (h == 0) hash = h = Arrays.hashCode(elements) * 31 + 4;
        return h;
    }

    @Override public String toString() { return toJson(); }
}
