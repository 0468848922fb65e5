package org.lobstertrap.puzzlepod.daemon.dbus;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The uid behind each bus connection, asked of the bus once per connection
 * ({@code org.freedesktop.DBus.GetConnectionUnixUser}) and cached under the connection's unique name.
 * The bus never reuses a unique name, so an entry stays right for the connection's life; it is dropped
 * when the bus announces that the connection left ({@code NameOwnerChanged} with no new owner), which
 * keeps the cache as small as the set of connected callers.
 */
public final class CallerUids {
    private final ToIntFunction<String> lookup;
    private final ConcurrentHashMap<String, Integer> byUniqueName = new ConcurrentHashMap<>();

    /** lookup asks the bus for the uid of a unique name and throws when the bus cannot say. */
    public CallerUids(ToIntFunction<String> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** The uid of the connection with that unique name. */
    public int uidOf(String uniqueName) {
        Objects.requireNonNull(uniqueName, "uniqueName");
        Integer cached = byUniqueName.get(uniqueName);
        if (cached != null) return cached;
        int uid = lookup.applyAsInt(uniqueName);
        // A connection that leaves between the lookup and this put leaves one stale entry behind: rare,
        // small, and never wrong (the bus does not reuse unique names).
        byUniqueName.put(uniqueName, uid);
        return uid;
    }

    /** The bus says {@code name} changed owner; a unique name losing its owner is a connection gone. */
    public void ownerChanged(String name, String newOwner) {
        if (name != null && name.startsWith(":") && (newOwner == null || newOwner.isEmpty())) byUniqueName.remove(name);
    }

    /** How many connections are cached (for tests and status). */
    public int size() { return byUniqueName.size(); }
}
