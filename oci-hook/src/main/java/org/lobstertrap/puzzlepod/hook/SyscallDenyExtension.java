package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.lobstertrap.puzzlepod.client.seccomp.GovernedSeccomp;
import org.lobstertrap.puzzlepod.client.seccomp.SeccompProfileException;

/**
 * Denies, in the kernel's own seccomp filter of a governed container, the calls an agent has no use for
 * and that reach past its own process: podman's default profile allows them to any container.
 * <ul>
 *   <li>{@link #DENIED} fail with EPERM: {@code ptrace}, {@code process_vm_readv}/{@code writev},
 *       {@code pidfd_getfd}, {@code kcmp}, {@code process_madvise} (reading or steering another process of
 *       the container, e.g. an agent's own supervisor or a tool holding a token), {@code keyctl},
 *       {@code add_key}, {@code request_key} (the kernel keyrings), {@code userfaultfd} (the classic
 *       aid to kernel races).</li>
 *   <li>{@code clone} and {@code unshare} fail with EPERM when their flags ask for any new namespace
 *       ({@link #CLONE_NAMESPACES}; a new user namespace would hand the agent capabilities there, a new
 *       mount namespace inside it its own mounts); every other clone (fork, threads) is allowed.</li>
 *   <li>{@code clone3} fails with ENOSYS: its flags sit in a struct seccomp cannot read, and ENOSYS makes
 *       the C libraries fall back to {@code clone}, whose flags the rule above checks.</li>
 * </ul>
 * The names are first taken out of every rule of the spec (whatever its action), so the result does not
 * depend on how the runtime merges rules that disagree. Applied after {@link SeccompNotifyExtension}; a spec
 * without a seccomp profile is refused like there. The transformation itself is
 * {@link GovernedSeccomp#denyKernelSide}, shared with the profile puzzled writes for {@code puzzle-podman run}.
 */
public final class SyscallDenyExtension implements SpecExtension {
    /** Calls that fail with EPERM whatever their arguments. */
    public static final List<String> DENIED = GovernedSeccomp.DENIED;
    /** CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET. */
    public static final List<Long> CLONE_NAMESPACES = GovernedSeccomp.CLONE_NAMESPACES;
    /** CLONE_NEWTIME: a namespace flag for unshare only (in clone's flags the bit is part of the exit signal). */
    public static final long CLONE_NEWTIME = GovernedSeccomp.CLONE_NEWTIME;

    @Override
    public void apply(ObjectNode spec, WorkspacePlan plan, BranchInfo branch, List<String> reasons) throws HookException {
        JsonNode linux = spec.get("linux");
        JsonNode sc = linux == null ? null : linux.get("seccomp");
        if (!(sc instanceof ObjectNode seccomp))
            throw new HookException(HookError.SPEC_REFUSED, "the container has no seccomp profile (started with --security-opt "
                    + "seccomp=unconfined or --privileged?); a governed container needs one");
        try {
            GovernedSeccomp.denyKernelSide(seccomp, "the spec");
        } catch (SeccompProfileException e) {
            throw SeccompNotifyExtension.translate(e);
        }
        reasons.add("seccomp: " + String.join(", ", DENIED) + " fail with EPERM, clone and unshare with EPERM when they ask for a new "
                + "namespace, clone3 with ENOSYS (the C library falls back to clone)");
    }
}
