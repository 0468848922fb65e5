package org.lobstertrap.puzzlepod.rego.value;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * An immutable Rego set: hash-based membership, iteration in OPA's sorted order (computed once).
 * Build with {@link #builder()} or {@link #of}.
 */
public final class SetValue implements Value, Iterable<Value> {
    public static final SetValue EMPTY = new SetValue(new HashSet<>());
    private final HashSet<Value> members;
    private volatile Value[] sorted;
    private int hash;

    private SetValue(HashSet<Value> members) { this.members = members; }

    public static SetValue of(Value... elements) { return of(Arrays.asList(elements)); }

    public static SetValue of(Collection<? extends Value> elements) {
        return elements.isEmpty() ? EMPTY : new SetValue(new HashSet<>(elements));
    }

    public static Builder builder() { return new Builder(); }

    public int size() { return members.size(); }
    public boolean isEmpty() { return members.isEmpty(); }
    public boolean contains(Value v) { return members.contains(v); }

    /** Elements in OPA's order. */
    public Value[] sortedElements() {
        Value[] s = sorted;
        if (s == null) {
            s = members.toArray(new Value[0]);
            Arrays.sort(s);
            sorted = s;
        }
        return s;
    }

    /** A read-only view of the members (unordered). */
    public Set<Value> asSet() { return java.util.Collections.unmodifiableSet(members); }

    /** Iterates in OPA's sorted order. */
    @Override public Iterator<Value> iterator() { return Arrays.asList(sortedElements()).iterator(); }

    @Override public int typeOrder() { return 6; }
    @Override public String typeName() { return "set"; }

    @Override public int compareSameType(Value other) {
        Value[] a = sortedElements(), b = ((SetValue) other).sortedElements();
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) return c;
        }
        return Integer.compare(a.length, b.length);
    }

    @Override public boolean equals(Object o) { return o == this || (o instanceof SetValue s && members.equals(s.members)); }

    @Override public int hashCode() {
        int h = hash;
        if (h == 0) hash = h = members.hashCode() * 31 + 6;
        return h;
    }

    @Override public String toString() { return toJson(); }

    /** Collects elements; {@link #build()} may be called once. */
    public static final class Builder {
        private HashSet<Value> members = new HashSet<>();
        public Builder add(Value v) { members.add(v); return this; }
        public Builder addAll(Iterable<? extends Value> vs) { for (Value v : vs) members.add(v); return this; }
        public boolean contains(Value v) { return members.contains(v); }
        public int size() { return members.size(); }
        public SetValue build() {
            HashSet<Value> m = members;
            members = null;
            return m.isEmpty() ? EMPTY : new SetValue(m);
        }
    }
}
