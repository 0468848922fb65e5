package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes {@code puzzle-init} the container's first process: binds the shim binary read-only at
 * {@link #SHIM} and the branch's rules file (written by puzzled from the profile) read-only at
 * {@link #RULES}, and prefixes {@code process.args} with {@code /.puzzlepod/puzzle-init --}. The shim then
 * applies Landlock and executes the agent. Refused (the container does not start): no rules file named by
 * the daemon, a shim binary that is not there, no {@code process.args}, or a mount of the spec's own at or
 * beneath {@link #DIR} (the agent must not bring its own shim or rules).
 */
public final class InitShimExtension implements SpecExtension {
    /** The container directory holding the shim and its rules. */
    public static final String DIR = "/.puzzlepod";
    /** Where the shim is in the container. */
    public static final String SHIM = DIR + "/puzzle-init";
    /** Where the rules file is in the container (the shim's default). */
    public static final String RULES = DIR + "/rules";
    /** The hook's environment variable naming the shim's host path. */
    public static final String SHIM_VARIABLE = "PUZZLEPOD_SHIM";
    /** The shim's host path when {@link #SHIM_VARIABLE} is not set (where install.sh puts it). */
    public static final String DEFAULT_SHIM = "/usr/lib/puzzlepod/puzzle-init";

    private final Path shim;

    /** An extension binding the shim found at {@code shimHostPath}. */
    public InitShimExtension(Path shimHostPath) { this.shim = shimHostPath; }

    /** The extension for the hook's environment ({@link #SHIM_VARIABLE}, else {@link #DEFAULT_SHIM}). */
    public static InitShimExtension of(HookEnvironment env) {
        String v = env.env().get(SHIM_VARIABLE);
        return new InitShimExtension(Path.of(v == null || v.isEmpty() ? DEFAULT_SHIM : v));
    }

    @Override
    public void apply(ObjectNode spec, WorkspacePlan plan, BranchInfo branch, List<String> reasons) throws HookException {
        if (branch.shimRules() == null)
            throw refused("the daemon named no Landlock rules file for branch " + branch.id() + " (shim_rules); a daemon and hook of the same release are needed");
        if (!shim.isAbsolute() || !Files.isRegularFile(shim) || !Files.isExecutable(shim))
            throw refused("the init shim " + HostPaths.quote(shim.toString()) + " is not an executable file; install puzzle-init there or name it with "
                    + SHIM_VARIABLE + " in the hook's environment");
        if (!Files.isRegularFile(Path.of(branch.shimRules())))
            throw refused("the Landlock rules file " + HostPaths.quote(branch.shimRules()) + " of branch " + branch.id() + " is missing");
        JsonNode process = spec.get("process");
        JsonNode args = process == null ? null : process.get("args");
        if (!(args instanceof ArrayNode a) || a.isEmpty())
            throw refused("the spec has no process.args; there is no agent for puzzle-init to start");
        for (JsonNode arg : a) if (!arg.isTextual()) throw new HookException(HookError.BAD_INPUT, "process.args holds a non-string");
        ArrayNode mounts = spec.get("mounts") instanceof ArrayNode m ? m : spec.putArray("mounts");
        for (JsonNode m : mounts) {
            String dest = m.path("destination").asText("");
            if (HostPaths.overlap(dest.length() > 1 && dest.endsWith("/") ? dest.substring(0, dest.length() - 1) : dest, DIR))
                throw refused("the spec mounts " + HostPaths.quote(dest) + ", which overlaps " + DIR + " where PuzzlePod puts its init shim");
        }
        mounts.add(bind(shim.toString(), SHIM));
        mounts.add(bind(branch.shimRules(), RULES));
        a.insert(0, "--");
        a.insert(0, SHIM);
        reasons.add("puzzle-init (" + shim + ") is bound read-only at " + SHIM + " with the branch's Landlock rules at " + RULES
                + ", and starts the agent: process.args now begin with " + SHIM + " --");
    }

    private static ObjectNode bind(String source, String destination) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("destination", destination);
        m.put("type", "bind");
        m.put("source", source);
        m.putArray("options").add("bind").add("ro").add("nosuid").add("nodev").add("rprivate");
        return m;
    }

    private static HookException refused(String message) { return new HookException(HookError.SPEC_REFUSED, message); }
}
