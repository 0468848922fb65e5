package org.lobstertrap.puzzlepod.daemon.audit;

import java.nio.file.Path;

/**
 * The first bad record found in a log: which file, which line (1-based), why, and a detail for a person.
 *
 * @param file   the log file
 * @param line   line number within that file, 1-based
 * @param reason the stable reason code
 * @param detail what exactly was wrong
 */
public record AuditFailure(Path file, long line, Reason reason, String detail) {
    /** Why a record was rejected. */
    public enum Reason {
        /** The record's MAC does not match its content (edited record, or the wrong key). */
        BAD_MAC,
        /** The record's {@code prev} is not the MAC of the record before it (deleted, reordered or inserted records). */
        BROKEN_PREV_LINK,
        /** The sequence number is not one more than the previous record's. */
        BAD_SEQ,
        /** The last line of the log has no newline: a write was cut short. */
        TORN_LINE,
        /** The line is not a well-formed audit record. */
        UNPARSABLE
    }

    @Override
    public String toString() {
        return file + ":" + line + ": " + reason + ": " + detail;
    }
}
