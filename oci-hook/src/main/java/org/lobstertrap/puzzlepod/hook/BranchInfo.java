package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of the daemon's branch JSON ({@code client/API.md}) the hooks need to mount a branch.
 *
 * @param overlay         how the branch is meant to be mounted: {@code kernel}, {@code userxattr} or {@code fuse}
 * @param shimRules       the host path of the branch's puzzle-init rules file; null when the daemon names none
 * @param seccompListener the daemon's seccomp listener socket; null when it runs none
 */
public record BranchInfo(String id, String profile, String base, String workspace, String state,
                         String upper, String work, String overlay, String shimRules, String seccompListener) {

    /** A branch without containment paths (as from a daemon that names none). */
    public BranchInfo(String id, String profile, String base, String workspace, String state, String upper, String work,
                      String overlay) {
        this(id, profile, base, workspace, state, upper, work, overlay, null, null);
    }

    /** Reads a branch object; every field used for mounting must be present and sane. */
    public static BranchInfo fromJson(JsonNode branch) throws HookException {
        if (branch == null || !branch.isObject()) throw bad("the daemon's answer is not a branch object");
        String id = text(branch, "id");
        return new BranchInfo(id, text(branch, "profile"), path(branch, "base"),
                branch.hasNonNull("workspace") ? path(branch, "workspace") : null, text(branch, "state"),
                path(branch, "upper"), path(branch, "work"),
                branch.hasNonNull("overlay") ? text(branch, "overlay") : "kernel",
                branch.hasNonNull("shim_rules") ? path(branch, "shim_rules") : null,
                branch.hasNonNull("seccomp_listener") ? path(branch, "seccomp_listener") : null);
    }

    private static String text(JsonNode n, String field) throws HookException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) throw bad("the daemon's branch has no \"" + field + "\"");
        return v.asText();
    }

    private static String path(JsonNode n, String field) throws HookException {
        String p = text(n, field);
        String why = HostPaths.problem(p);
        if (why != null) throw bad("the daemon's branch \"" + field + "\" " + HostPaths.quote(p) + " is not usable: " + why);
        return p;
    }

    private static HookException bad(String message) {
        return new HookException(HookError.INTERNAL, message);
    }
}
