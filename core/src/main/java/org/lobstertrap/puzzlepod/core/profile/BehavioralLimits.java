package org.lobstertrap.puzzlepod.core.profile;

/** Behaviour thresholds the daemon watches while the agent runs. */
public record BehavioralLimits(long maxDeletions, long maxReadsPerMinute, boolean credentialAccessAlert) {}
