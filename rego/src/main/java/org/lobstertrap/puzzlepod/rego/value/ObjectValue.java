package org.lobstertrap.puzzlepod.rego.value;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable Rego object. Keys may be any value (OPA allows non-string keys). Lookup is hash-based;
 * iteration through {@link #sortedKeys()} is in OPA's key order.
 */
public final class ObjectValue implements Value {
    public static final ObjectValue EMPTY = new ObjectValue(new HashMap<>());
    private final HashMap<Value, Value> entries;
    private volatile Value[] sortedKeys;
    private int hash;

    private ObjectValue(HashMap<Value, Value> entries) { this.entries = entries; }

    public static ObjectValue of(Map<? extends Value, ? extends Value> entries) {
        return entries.isEmpty() ? EMPTY : new ObjectValue(new HashMap<>(entries));
    }

    public static Builder builder() { return new Builder(); }

    public int size() { return entries.size(); }
    public boolean isEmpty() { return entries.isEmpty(); }

    /** The value under {@code key}, or null when absent. */
    public Value get(Value key) { return entries.get(key); }

    /** Convenience for string keys. */
    public Value get(String key) { return entries.get(StringValue.of(key)); }

    public boolean containsKey(Value key) { return entries.containsKey(key); }

    /** Keys in OPA's order. */
    public Value[] sortedKeys() {
        Value[] s = sortedKeys;
        if (s == null) {
            s = entries.keySet().toArray(new Value[0]);
            Arrays.sort(s);
            sortedKeys = s;
        }
        return s;
    }

    /** A read-only view (unordered). */
    public Map<Value, Value> asMap() { return Collections.unmodifiableMap(entries); }

    /** A read-only copy in key order. */
    public Map<Value, Value> asSortedMap() {
        LinkedHashMap<Value, Value> m = new LinkedHashMap<>();
        for (Value k : sortedKeys()) m.put(k, entries.get(k));
        return m;
    }

    @Override public int typeOrder() { return 5; }
    @Override public String typeName() { return "object"; }

    @Override public int compareSameType(Value other) {
        ObjectValue o = (ObjectValue) other;
        Value[] a = sortedKeys(), b = o.sortedKeys();
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            int c = a[i].compareTo(b[i]);
            if (c != 0) return c;
            c = entries.get(a[i]).compareTo(o.entries.get(b[i]));
            if (c != 0) return c;
        }
        return Integer.compare(a.length, b.length);
    }

    @Override public boolean equals(Object o) { return o == this || (o instanceof ObjectValue v && entries.equals(v.entries)); }

    @Override public int hashCode() {
        int h = hash;
        if (h == 0) hash = h = entries.hashCode() * 31 + 5;
        return h;
    }

    @Override public String toString() { return toJson(); }

    /** Collects entries; a later put of the same key replaces the earlier value. */
    public static final class Builder {
        private HashMap<Value, Value> entries = new HashMap<>();
        public Builder put(Value k, Value v) { entries.put(k, v); return this; }
        public Builder put(String k, Value v) { entries.put(StringValue.of(k), v); return this; }
        public Value get(Value k) { return entries.get(k); }
        public boolean containsKey(Value k) { return entries.containsKey(k); }
        public int size() { return entries.size(); }
        public ObjectValue build() {
            HashMap<Value, Value> m = entries;
            entries = null;
            return m.isEmpty() ? EMPTY : new ObjectValue(m);
        }
    }
}
