package org.lobstertrap.puzzlepod.core.profile;

/**
 * Kernel mechanisms that must be available before an agent with this profile may start; when one
 * is missing the profile's {@link FailMode} applies.
 */
public record EnforcementRequirements(boolean landlockRequired, boolean seccompRequired, int minLandlockAbi,
                                      boolean networkIsolationRequired, boolean cgroupLimitsRequired) {}
