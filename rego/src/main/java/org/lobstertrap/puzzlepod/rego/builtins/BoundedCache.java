package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A small thread-safe memo for compiled patterns. When full it starts over: patterns in policies are
 * few and hot, so a rare reset is cheaper than tracking recency on every lookup.
 */
final class BoundedCache<K, V> {
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final int capacity;

    BoundedCache(int capacity) { this.capacity = capacity; }

    V get(K key) { return map.get(key); }

    void put(K key, V value) {
        if (map.size() >= capacity) map.clear();
        map.put(key, value);
    }

    int size() { return map.size(); }
}
