package org.lobstertrap.puzzlepod.core.profile;

/** Values a profile gets for keys neither it nor its ancestors set (listed in profiles/README.md). */
record ProfileDefaults(FailMode failMode, ResourceLimits limits, NetworkRules network,
                       BehavioralLimits behavioral, EnforcementRequirements enforcement) {
    static final ProfileDefaults INSTANCE = new ProfileDefaults(
            FailMode.CLOSED,
            new ResourceLimits(1L << 30, 1024, 100, 256, 1024, 100_000),
            new NetworkRules(NetworkMode.Blocked, java.util.List.of()),
            new BehavioralLimits(100, 10_000, true),
            new EnforcementRequirements(true, true, 1, true, true));
}
