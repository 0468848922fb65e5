package org.lobstertrap.puzzlepod.core.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Applies {@code extends} and defaults to validated profile trees.
 *
 * <p>Merge rules: a scalar set in the child wins; a list the child leaves absent or empty is inherited
 * whole (lists are never concatenated); objects merge key by key with the same rules; {@code extends}
 * itself is not inherited. Anything still unset after the chain gets the documented default.
 */
final class ProfileResolver {
    /** At most this many {@code extends} hops from a profile to its root ancestor. */
    static final int MAX_DEPTH = 3;

    private ProfileResolver() {}

    /**
     * Resolves one profile. {@code raw} looks up the validated tree of a profile by name (null when no
     * such profile exists).
     */
    static Profile resolve(String name, Function<String, ObjectNode> raw) throws ProfileException {
        return resolve(name, raw, java.util.Set.of());
    }

    /** As above; {@code invalid} names profiles that exist but failed validation themselves. */
    static Profile resolve(String name, Function<String, ObjectNode> raw, java.util.Set<String> invalid) throws ProfileException {
        List<String> lineage = new ArrayList<>();
        List<ObjectNode> chain = new ArrayList<>();
        String current = name;
        while (current != null) {
            if (lineage.contains(current)) {
                lineage.add(current);
                throw new ProfileException(ProfileException.Code.INHERITANCE, name + ProfileFiles.SUFFIX
                        + ": extends: inheritance cycle " + String.join(" -> ", lineage));
            }
            ObjectNode tree = raw.apply(current);
            if (tree == null) {
                if (lineage.isEmpty()) throw new ProfileException(ProfileException.Code.NOT_FOUND, "no profile named '" + name + "'");
                if (invalid.contains(current))
                    throw new ProfileException(ProfileException.Code.INHERITANCE, lineage.getLast() + ProfileFiles.SUFFIX
                            + ": extends: parent profile '" + current + "' is itself invalid");
                throw new ProfileException(ProfileException.Code.INHERITANCE, lineage.getLast() + ProfileFiles.SUFFIX
                        + ": extends: parent profile '" + current + "' not found");
            }
            lineage.add(current);
            chain.add(tree);
            if (lineage.size() - 1 > MAX_DEPTH)
                throw new ProfileException(ProfileException.Code.INHERITANCE, name + ProfileFiles.SUFFIX
                        + ": extends: inheritance chain " + String.join(" -> ", lineage)
                        + " is deeper than " + MAX_DEPTH + " levels");
            JsonNode ext = tree.get("extends");
            current = ext == null ? null : ext.asText();
        }
        ObjectNode merged = chain.getLast().deepCopy();
        for (int i = chain.size() - 2; i >= 0; i--) merged = merge(merged, chain.get(i));
        ObjectNode leaf = chain.getFirst();
        return toProfile(merged, leaf.has("extends") ? Optional.of(leaf.get("extends").asText()) : Optional.empty(), lineage);
    }

    static ObjectNode merge(ObjectNode parent, ObjectNode child) {
        ObjectNode out = parent.deepCopy();
        for (Map.Entry<String, JsonNode> e : child.properties()) {
            String key = e.getKey();
            JsonNode c = e.getValue();
            JsonNode p = out.get(key);
            if (c instanceof ObjectNode co && p instanceof ObjectNode po) out.set(key, merge(po, co));
            else if (c instanceof ArrayNode ca && ca.isEmpty() && p != null) { /* empty list: inherit */ }
            else out.set(key, c.deepCopy());
        }
        out.remove("extends");
        return out;
    }

    private static Profile toProfile(ObjectNode t, Optional<String> parent, List<String> lineage) {
        JsonNode fs = obj(t, "filesystem");
        JsonNode rl = obj(t, "resource_limits");
        JsonNode net = obj(t, "network");
        JsonNode beh = obj(t, "behavioral");
        JsonNode enf = obj(t, "enforcement_requirements");
        ProfileDefaults d = ProfileDefaults.INSTANCE;
        return new Profile(
                t.get("name").asText(),
                text(t, "description", ""),
                parent,
                lineage,
                FailMode.fromYaml(text(t, "fail_mode", d.failMode().yamlName())),
                new FilesystemRules(strings(fs, "read_allowlist"), strings(fs, "write_allowlist"), strings(fs, "denylist")),
                strings(t, "exec_allowlist").stream().map(ExecRule::new).toList(),
                strings(t, "exec_denylist").stream().map(ExecRule::new).toList(),
                new ResourceLimits(
                        lng(rl, "memory_bytes", d.limits().memoryBytes()),
                        (int) lng(rl, "cpu_shares", d.limits().cpuShares()),
                        (int) lng(rl, "io_weight", d.limits().ioWeight()),
                        (int) lng(rl, "max_pids", d.limits().maxPids()),
                        lng(rl, "storage_quota_mb", d.limits().storageQuotaMb()),
                        lng(rl, "inode_quota", d.limits().inodeQuota())),
                new NetworkRules(NetworkMode.valueOf(text(net, "mode", d.network().mode().name())), strings(net, "allowed_domains")),
                new BehavioralLimits(
                        lng(beh, "max_deletions", d.behavioral().maxDeletions()),
                        lng(beh, "max_reads_per_minute", d.behavioral().maxReadsPerMinute()),
                        bool(beh, "credential_access_alert", d.behavioral().credentialAccessAlert())),
                new EnforcementRequirements(
                        bool(enf, "landlock_required", d.enforcement().landlockRequired()),
                        bool(enf, "seccomp_required", d.enforcement().seccompRequired()),
                        (int) lng(enf, "min_landlock_abi", d.enforcement().minLandlockAbi()),
                        bool(enf, "network_isolation_required", d.enforcement().networkIsolationRequired()),
                        bool(enf, "cgroup_limits_required", d.enforcement().cgroupLimitsRequired())));
    }

    private static JsonNode obj(JsonNode t, String key) {
        JsonNode n = t.get(key);
        return n == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : n;
    }

    private static String text(JsonNode t, String key, String dflt) {
        JsonNode n = t.get(key);
        return n == null ? dflt : n.asText();
    }

    private static long lng(JsonNode t, String key, long dflt) {
        JsonNode n = t.get(key);
        return n == null ? dflt : n.asLong();
    }

    private static boolean bool(JsonNode t, String key, boolean dflt) {
        JsonNode n = t.get(key);
        return n == null ? dflt : n.asBoolean();
    }

    private static List<String> strings(JsonNode t, String key) {
        JsonNode n = t.get(key);
        if (n == null) return List.of();
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }
}
