package org.lobstertrap.puzzlepod.daemon.network;

/** An {@code allowed_domains} entry that is not {@code host}, {@code *.host} or either with {@code :port}. */
public final class InvalidAllowlistEntry extends IllegalArgumentException {
    private final String entry;

    public InvalidAllowlistEntry(String entry, String problem) {
        super("allowed domain '" + entry + "': " + problem);
        this.entry = entry;
    }

    /** The entry as written. */
    public String entry() { return entry; }
}
