package org.lobstertrap.puzzlepod.daemon.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Follows the chain through log files line by line. It carries what the next record must hold
 * (sequence number, {@code prev}) and stops at the first record that breaks it.
 */
final class ChainWalker {
    private final AuditKey key;
    private long nextSeq;
    private String lastMac;
    private long records;
    private long lastTornOffset = -1;

    ChainWalker(AuditKey key, long nextSeq, String lastMac) {
        this.key = key;
        this.nextSeq = nextSeq;
        this.lastMac = lastMac;
    }

    long nextSeq() { return nextSeq; }
    String lastMac() { return lastMac; }
    long records() { return records; }
    /** Where the torn line that ended the last walk starts, or -1. */
    long tornOffset() { return lastTornOffset; }

    /** Walks one file; returns the first failure or null when every line is a good link of the chain. */
    AuditFailure walk(AuditFiles.LogFile file) throws IOException {
        byte[] fileKey = key.fileKey(file.number());
        lastTornOffset = -1;
        try (LineReader reader = new LineReader(file.path())) {
            LineReader.Line line;
            while ((line = reader.next()) != null) {
                if (!line.complete()) {
                    lastTornOffset = line.offset();
                    return fail(file.path(), line, AuditFailure.Reason.TORN_LINE,
                            "last line has no newline (" + line.bytes().length + " bytes): a write was cut short");
                }
                ObjectNode o;
                try {
                    o = RecordCodec.parse(line.bytes());
                } catch (RecordCodec.Unparsable e) {
                    return fail(file.path(), line, AuditFailure.Reason.UNPARSABLE, e.getMessage());
                }
                String mac = o.get("mac").textValue();
                if (!AuditKey.macEquals(mac, RecordCodec.expectedMac(fileKey, o))) {
                    return fail(file.path(), line, AuditFailure.Reason.BAD_MAC,
                            "mac does not match the record (record edited, or a different key)");
                }
                if (!o.get("prev").textValue().equals(lastMac)) {
                    return fail(file.path(), line, AuditFailure.Reason.BROKEN_PREV_LINK,
                            "prev does not match the mac of the record before it (record deleted, moved or inserted)");
                }
                long seq = o.get("seq").longValue();
                if (seq != nextSeq) {
                    return fail(file.path(), line, AuditFailure.Reason.BAD_SEQ, "seq " + seq + ", expected " + nextSeq);
                }
                nextSeq++;
                lastMac = mac;
                records++;
            }
        }
        return null;
    }

    private static AuditFailure fail(Path file, LineReader.Line line, AuditFailure.Reason reason, String detail) {
        return new AuditFailure(file, line.number(), reason, detail);
    }
}
