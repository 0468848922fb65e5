package org.lobstertrap.puzzlepod.daemon.config;

import java.time.Duration;

/**
 * Human review of changesets the policy sends to review.
 *
 * @param enabled whether such changesets wait for a person (otherwise they are rejected)
 * @param timeout how long a pending review waits before it is rolled back
 */
public record ReviewConfig(boolean enabled, Duration timeout) {}
