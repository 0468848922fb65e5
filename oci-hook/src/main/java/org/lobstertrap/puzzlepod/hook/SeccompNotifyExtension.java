package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.lobstertrap.puzzlepod.client.seccomp.GovernedSeccomp;
import org.lobstertrap.puzzlepod.client.seccomp.SeccompProfileException;

/**
 * Puts a governed container's {@code execve}, {@code execveat} and {@code connect} under puzzled's seccomp
 * supervisor: removes those names from the spec's allow rules, adds one {@code SCMP_ACT_NOTIFY} rule for
 * them, and sets {@code linux.seccomp.listenerPath} to the daemon's listener socket with the branch id as
 * {@code listenerMetadata} (runc hands the notify fd there; the daemon picks the policy from the branch's
 * profile). Refused: a spec without a seccomp profile ({@code --security-opt seccomp=unconfined},
 * {@code --privileged}), one with a listener of its own, one whose non-allow rules name the supervised calls,
 * or a daemon that runs no listener. The transformation itself is {@link GovernedSeccomp#supervise}, shared
 * with the profile puzzled writes for {@code puzzle-podman run}.
 */
public final class SeccompNotifyExtension implements SpecExtension {
    /** The calls the supervisor answers. */
    public static final List<String> SUPERVISED = GovernedSeccomp.SUPERVISED;

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
        int trimmed;
        try {
            trimmed = GovernedSeccomp.supervise(seccomp, branch.seccompListener(), branch.id(), "the spec");
        } catch (SeccompProfileException e) {
            throw translate(e);
        }
        reasons.add("seccomp: " + String.join(", ", SUPERVISED) + " are answered by puzzled's supervisor at " + branch.seccompListener()
                + " (SCMP_ACT_NOTIFY; taken out of " + trimmed + " allow rule" + (trimmed == 1 ? "" : "s") + "; metadata " + branch.id() + ")");
    }

    /** The shared transformation's refusal as the hook's error. */
    static HookException translate(SeccompProfileException e) {
        return new HookException(e.problem() == SeccompProfileException.Problem.MALFORMED ? HookError.BAD_INPUT : HookError.SPEC_REFUSED,
                e.getMessage());
    }

    private static HookException refused(String message) { return new HookException(HookError.SPEC_REFUSED, message); }
}
