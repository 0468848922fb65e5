package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Puts a governed container's {@code execve}, {@code execveat} and {@code connect} under puzzled's seccomp
 * supervisor: removes those names from the spec's allow rules, adds one {@code SCMP_ACT_NOTIFY} rule for
 * them, and sets {@code linux.seccomp.listenerPath} to the daemon's listener socket with the branch id as
 * {@code listenerMetadata} (runc hands the notify fd there; the daemon picks the policy from the branch's
 * profile). Refused: a spec without a seccomp profile ({@code --security-opt seccomp=unconfined},
 * {@code --privileged}), one with a listener of its own, one whose non-allow rules name the supervised calls,
 * or a daemon that runs no listener.
 */
public final class SeccompNotifyExtension implements SpecExtension {
    /** The calls the supervisor answers. */
    public static final List<String> SUPERVISED = List.of("execve", "execveat", "connect");
    /** Rule actions that merely let a call through; the supervised names are taken out of these. */
    private static final Set<String> PASSING = Set.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG");

    @Override
    public void apply(ObjectNode spec, WorkspacePlan plan, BranchInfo branch, List<String> reasons) throws HookException {
        if (branch.seccompListener() == null)
            throw refused("the daemon runs no seccomp listener (seccomp_listener of branch " + branch.id() + " is null), so the container's "
                    + "exec and connect calls could not be supervised");
        JsonNode linux = spec.get("linux");
        JsonNode sc = linux == null ? null : linux.get("seccomp");
        if (!(sc instanceof ObjectNode seccomp))
            throw refused("the container has no seccomp profile (started with --security-opt seccomp=unconfined or --privileged?); "
                    + "a governed container needs one for the exec and connect supervisor");
        if (seccomp.hasNonNull("listenerPath") && !seccomp.get("listenerPath").asText().isEmpty())
            throw refused("the spec's seccomp profile already has a listener (" + Texts.quote(seccomp.get("listenerPath").asText())
                    + "); a governed container's listener is puzzled's");
        ArrayNode rules = seccomp.get("syscalls") instanceof ArrayNode r ? r : seccomp.putArray("syscalls");
        ArrayNode kept = rules.arrayNode();
        int trimmed = 0;
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            if (!(rule instanceof ObjectNode o) || !(o.get("names") instanceof ArrayNode names))
                throw new HookException(HookError.BAD_INPUT, "seccomp rule " + i + " of the spec has no \"names\" array");
            List<String> left = new ArrayList<>();
            boolean named = false;
            for (JsonNode n : names) {
                if (SUPERVISED.contains(n.asText())) named = true;
                else left.add(n.asText());
            }
            if (!named) { kept.add(o); continue; }
            String action = o.path("action").asText("");
            if (!PASSING.contains(action))
                throw refused("seccomp rule " + i + " of the spec gives " + String.join("/", SUPERVISED) + " the action " + Texts.quote(action)
                        + ", which cannot be combined with the supervisor's notification");
            trimmed++;
            if (left.isEmpty()) continue;
            ArrayNode n = o.putArray("names");
            left.forEach(n::add);
            kept.add(o);
        }
        ObjectNode notify = kept.addObject();
        ArrayNode names = notify.putArray("names");
        SUPERVISED.forEach(names::add);
        notify.put("action", "SCMP_ACT_NOTIFY");
        seccomp.set("syscalls", kept);
        seccomp.put("listenerPath", branch.seccompListener());
        seccomp.put("listenerMetadata", branch.id());
        reasons.add("seccomp: " + String.join(", ", SUPERVISED) + " are answered by puzzled's supervisor at " + branch.seccompListener()
                + " (SCMP_ACT_NOTIFY; taken out of " + trimmed + " allow rule" + (trimmed == 1 ? "" : "s") + "; metadata " + branch.id() + ")");
    }

    private static HookException refused(String message) { return new HookException(HookError.SPEC_REFUSED, message); }
}
