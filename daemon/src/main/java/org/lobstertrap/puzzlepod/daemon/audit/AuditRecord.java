package org.lobstertrap.puzzlepod.daemon.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One audit record as stored.
 *
 * @param seq    position in the chain, 1 for the first record ever written
 * @param time   when it was appended (UTC, nanosecond precision in the file)
 * @param type   event type, e.g. {@code branch.committed}
 * @param branch the branch it concerns, or null
 * @param uid    the user it concerns, or null
 * @param data   event details (a JSON object of strings, integers, booleans, arrays, objects)
 * @param prev   hex MAC of the previous record (64 zeros for the first)
 * @param mac    hex HMAC-SHA256 of this record without {@code mac}, in canonical JSON
 */
public record AuditRecord(long seq, Instant time, String type, String branch, Long uid, JsonNode data,
                          String prev, String mac) {}
