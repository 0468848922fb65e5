package org.lobstertrap.puzzlepod.daemon.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The destinations a Gated container may reach, parsed from a profile's {@code allowed_domains}.
 *
 * <p>An entry is {@code host} (exactly that name), {@code *.host} (any name below {@code host}, not {@code host}
 * itself), optionally followed by {@code :port}. Without a port an entry allows the web ports 80 and 443, with one
 * it allows only that port. Entries are lower-case ASCII (no IDNA: write the {@code xn--} form), need a dot, and
 * must not be IP addresses. Matching ignores case and one trailing dot of the name asked for.
 */
public final class DomainAllowlist {
    /** The ports an entry without {@code :port} allows. */
    public static final List<Integer> WEB_PORTS = List.of(80, 443);

    private final List<Entry> entries;

    private DomainAllowlist(List<Entry> entries) { this.entries = List.copyOf(entries); }

    /** One parsed entry; {@code port} 0 means the web ports. */
    public record Entry(String domain, boolean wildcard, int port) {
        @Override
        public String toString() { return (wildcard ? "*." : "") + domain + (port == 0 ? "" : ":" + port); }
    }

    /** The allowlist that allows nothing. */
    public static DomainAllowlist none() { return new DomainAllowlist(List.of()); }

    /**
     * Parses entries.
     *
     * @throws InvalidAllowlistEntry for the first entry that is not acceptable
     */
    public static DomainAllowlist parse(List<String> entries) {
        List<Entry> parsed = new ArrayList<>(entries.size());
        for (String e : entries) parsed.add(parseEntry(Objects.requireNonNull(e, "entry")));
        return new DomainAllowlist(parsed);
    }

    /** Parses one entry. @throws InvalidAllowlistEntry when it is not acceptable */
    public static Entry parseEntry(String entry) {
        String host = entry;
        int port = 0;
        int colon = entry.lastIndexOf(':');
        if (colon >= 0) {
            String digits = entry.substring(colon + 1);
            host = entry.substring(0, colon);
            if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9'))
                throw new InvalidAllowlistEntry(entry, "invalid port '" + digits + "'");
            port = Integer.parseInt(digits);
            if (port < 1 || port > 65535) throw new InvalidAllowlistEntry(entry, "port " + port + " outside 1-65535");
        }
        boolean wildcard = host.startsWith("*.");
        if (wildcard) host = host.substring(2);
        if (host.contains("*"))
            throw new InvalidAllowlistEntry(entry, "'*' is only allowed as the whole leftmost label ('*.example.com')");
        String problem = nameProblem(host);
        if (problem != null) throw new InvalidAllowlistEntry(entry, problem);
        if (!host.equals(host.toLowerCase(Locale.ROOT))) throw new InvalidAllowlistEntry(entry, "must be lower-case");
        return new Entry(host, wildcard, port);
    }

    /** Why {@code host} is not a lower- or upper-case fully qualified ASCII domain name, or null. */
    private static String nameProblem(String host) {
        if (host.isEmpty() || host.length() > 253) return "not a valid domain name (1-253 characters)";
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) return "not a fully qualified domain name (needs a dot)";
        for (String l : labels) if (!validLabel(l)) return "not a valid domain name (labels are ASCII letters, digits and inner '-')";
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) return "an IP address, not a domain name";
        return null;
    }

    private static boolean validLabel(String l) {
        if (l.isEmpty() || l.length() > 63 || l.startsWith("-") || l.endsWith("-")) return false;
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return true;
    }

    /**
     * The name normalised for matching (lower case, one trailing dot dropped), or null when it is not a valid
     * ASCII domain name (IP literals, non-ASCII, empty labels, …): such names never match.
     */
    public static String normalise(String name) {
        if (name == null) return null;
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (nameProblem(n) != null) return null;
        return n.toLowerCase(Locale.ROOT);
    }

    /** Whether a connection to {@code name:port} is allowed. */
    public boolean allows(String name, int port) {
        String n = normalise(name);
        if (n == null) return false;
        for (Entry e : entries)
            if (nameMatches(e, n) && (e.port() == 0 ? WEB_PORTS.contains(port) : e.port() == port)) return true;
        return false;
    }

    /** Whether some entry names {@code name} (any port): the DNS filter's question. */
    public boolean allowsName(String name) {
        String n = normalise(name);
        if (n == null) return false;
        for (Entry e : entries) if (nameMatches(e, n)) return true;
        return false;
    }

    private static boolean nameMatches(Entry e, String n) {
        // a wildcard needs at least one whole label in front: "*.a.com" matches "x.a.com", never "a.com" or "xa.com"
        return e.wildcard() ? n.endsWith("." + e.domain()) : n.equals(e.domain());
    }

    /** The parsed entries, in the order written. */
    public List<Entry> entries() { return entries; }

    @Override
    public String toString() { return entries.toString(); }
}
