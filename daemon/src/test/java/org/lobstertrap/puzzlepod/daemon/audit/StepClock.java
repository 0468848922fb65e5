package org.lobstertrap.puzzlepod.daemon.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves one second (plus a few nanoseconds) forward each time it is read. */
final class StepClock extends Clock {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private long reads;

    @Override
    public synchronized Instant instant() {
        return START.plusSeconds(reads).plusNanos(reads++ * 7 + 1);
    }

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
}
