package org.lobstertrap.puzzlepod.client;

import java.util.Objects;

/**
 * Which bus a client talks to: the system bus (root daemon), the session bus (a per-user daemon), or an
 * explicit address (tests, odd setups).
 */
public record BusChoice(Kind kind, String address) {
    public enum Kind { SYSTEM, SESSION, ADDRESS }

    public BusChoice {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.ADDRESS) != (address != null))
            throw new IllegalArgumentException("an address is given exactly for Kind.ADDRESS");
    }

    public static BusChoice system() { return new BusChoice(Kind.SYSTEM, null); }

    public static BusChoice session() { return new BusChoice(Kind.SESSION, null); }

    public static BusChoice address(String address) { return new BusChoice(Kind.ADDRESS, address); }

    /** The bus a CLI uses by default: the system bus for root, the session bus for anyone else. */
    public static BusChoice forUid(int uid) { return uid == 0 ? system() : session(); }

    /** Words for messages: "system bus", "session bus", "bus at unix:path=…". */
    public String describe() {
        return switch (kind) {
            case SYSTEM -> "system bus";
            case SESSION -> "session bus";
            case ADDRESS -> "bus at " + address;
        };
    }
}
