package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
 * without a seccomp profile is refused like there.
 */
public final class SyscallDenyExtension implements SpecExtension {
    /** Calls that fail with EPERM whatever their arguments. */
    public static final List<String> DENIED = List.of("ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
            "process_madvise", "keyctl", "add_key", "request_key", "userfaultfd");
    /** CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET. */
    public static final List<Long> CLONE_NAMESPACES = List.of(0x20000L, 0x02000000L, 0x04000000L, 0x08000000L, 0x10000000L,
            0x20000000L, 0x40000000L);
    /** CLONE_NEWTIME: a namespace flag for unshare only (in clone's flags the bit is part of the exit signal). */
    public static final long CLONE_NEWTIME = 0x80L;
    private static final int EPERM = 1, ENOSYS = 38;
    private static final Set<String> MANAGED;
    static {
        List<String> all = new ArrayList<>(DENIED);
        all.addAll(List.of("clone", "clone3", "unshare"));
        MANAGED = Set.copyOf(all);
    }

    @Override
    public void apply(ObjectNode spec, WorkspacePlan plan, BranchInfo branch, List<String> reasons) throws HookException {
        JsonNode linux = spec.get("linux");
        JsonNode sc = linux == null ? null : linux.get("seccomp");
        if (!(sc instanceof ObjectNode seccomp))
            throw new HookException(HookError.SPEC_REFUSED, "the container has no seccomp profile (started with --security-opt "
                    + "seccomp=unconfined or --privileged?); a governed container needs one");
        ArrayNode rules = seccomp.get("syscalls") instanceof ArrayNode r ? r : seccomp.putArray("syscalls");
        ArrayNode kept = rules.arrayNode();
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            if (!(rule instanceof ObjectNode o) || !(o.get("names") instanceof ArrayNode names))
                throw new HookException(HookError.BAD_INPUT, "seccomp rule " + i + " of the spec has no \"names\" array");
            List<String> left = new ArrayList<>();
            for (JsonNode n : names) if (!MANAGED.contains(n.asText())) left.add(n.asText());
            if (left.size() == names.size()) { kept.add(o); continue; }
            if (left.isEmpty()) continue;
            ArrayNode n = o.putArray("names");
            left.forEach(n::add);
            kept.add(o);
        }
        ObjectNode denied = kept.addObject();
        DENIED.forEach(denied.putArray("names")::add);
        denied.put("action", "SCMP_ACT_ERRNO").put("errnoRet", EPERM);
        kept.addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", ENOSYS).putArray("names").add("clone3");
        namespaceRules(kept, "clone", CLONE_NAMESPACES);
        List<Long> unshareFlags = new ArrayList<>(CLONE_NAMESPACES);
        unshareFlags.add(CLONE_NEWTIME);
        namespaceRules(kept, "unshare", unshareFlags);
        seccomp.set("syscalls", kept);
        reasons.add("seccomp: " + String.join(", ", DENIED) + " fail with EPERM, clone and unshare with EPERM when they ask for a new "
                + "namespace, clone3 with ENOSYS (the C library falls back to clone)");
    }

    /** ALLOW when no flag of {@code flags} is set in argument 0, one ERRNO(EPERM) rule per flag otherwise. */
    private static void namespaceRules(ArrayNode rules, String call, List<Long> flags) {
        long mask = 0;
        for (long f : flags) mask |= f;
        ObjectNode allow = rules.addObject();
        allow.putArray("names").add(call);
        allow.put("action", "SCMP_ACT_ALLOW");
        allow.putArray("args").addObject().put("index", 0).put("value", mask).put("valueTwo", 0).put("op", "SCMP_CMP_MASKED_EQ");
        for (long f : flags) {
            ObjectNode deny = rules.addObject();
            deny.putArray("names").add(call);
            deny.put("action", "SCMP_ACT_ERRNO").put("errnoRet", EPERM);
            deny.putArray("args").addObject().put("index", 0).put("value", f).put("valueTwo", f).put("op", "SCMP_CMP_MASKED_EQ");
        }
    }
}
