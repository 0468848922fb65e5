package org.lobstertrap.puzzlepod.core.profile;

/**
 * cgroup limits and branch quotas. {@code storageQuotaMb} and {@code inodeQuota} bound what the
 * agent's branch may hold (0 = nothing may be written).
 */
public record ResourceLimits(long memoryBytes, int cpuShares, int ioWeight, int maxPids,
                             long storageQuotaMb, long inodeQuota) {
    /** The quota in bytes, as the commit policies read it. */
    public long storageQuotaBytes() { return Math.multiplyExact(storageQuotaMb, 1024L * 1024L); }
}
