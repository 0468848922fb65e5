package org.lobstertrap.puzzlepod.core.profile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The resolved profile as a JSON tree with the profile-file key names, for the policy input
 * ({@code input.profile}) and for display. Every key is present.
 */
public final class ProfileJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProfileJson() {}

    /** The tree; {@code extends} is the direct parent or null. */
    public static ObjectNode toTree(Profile p) {
        ObjectNode o = NODES.objectNode();
        o.put("name", p.name());
        o.put("description", p.description());
        o.put("extends", p.extendsName().orElse(null));
        o.put("fail_mode", p.failMode().yamlName());
        ObjectNode fs = o.putObject("filesystem");
        strings(fs.putArray("read_allowlist"), p.filesystem().readAllowlist());
        strings(fs.putArray("write_allowlist"), p.filesystem().writeAllowlist());
        strings(fs.putArray("denylist"), p.filesystem().denylist());
        strings(o.putArray("exec_allowlist"), p.execAllowlist().stream().map(ExecRule::pattern).toList());
        strings(o.putArray("exec_denylist"), p.execDenylist().stream().map(ExecRule::pattern).toList());
        ObjectNode rl = o.putObject("resource_limits");
        rl.put("memory_bytes", p.resourceLimits().memoryBytes());
        rl.put("cpu_shares", p.resourceLimits().cpuShares());
        rl.put("io_weight", p.resourceLimits().ioWeight());
        rl.put("max_pids", p.resourceLimits().maxPids());
        rl.put("storage_quota_mb", p.resourceLimits().storageQuotaMb());
        rl.put("inode_quota", p.resourceLimits().inodeQuota());
        ObjectNode net = o.putObject("network");
        net.put("mode", p.network().mode().name());
        strings(net.putArray("allowed_domains"), p.network().allowedDomains());
        ObjectNode b = o.putObject("behavioral");
        b.put("max_deletions", p.behavioral().maxDeletions());
        b.put("max_reads_per_minute", p.behavioral().maxReadsPerMinute());
        b.put("credential_access_alert", p.behavioral().credentialAccessAlert());
        ObjectNode e = o.putObject("enforcement_requirements");
        e.put("landlock_required", p.enforcement().landlockRequired());
        e.put("seccomp_required", p.enforcement().seccompRequired());
        e.put("min_landlock_abi", p.enforcement().minLandlockAbi());
        e.put("network_isolation_required", p.enforcement().networkIsolationRequired());
        e.put("cgroup_limits_required", p.enforcement().cgroupLimitsRequired());
        return o;
    }

    private static void strings(ArrayNode a, List<String> values) { values.forEach(a::add); }
}
