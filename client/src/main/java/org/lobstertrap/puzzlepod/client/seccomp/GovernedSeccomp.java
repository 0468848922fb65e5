package org.lobstertrap.puzzlepod.client.seccomp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The seccomp part of a governed container's containment, applied to a seccomp profile in place. The same
 * code serves both ways a governed container gets its profile: the precreate hook applies it to the OCI
 * spec's {@code linux.seccomp}, and puzzled applies it to podman's default profile (containers/common's
 * JSON format, given to {@code podman run --security-opt seccomp=FILE}). Both formats keep their rules in
 * {@code syscalls}, each with {@code names} (containers/common also accepts a single {@code name}),
 * {@code action}, optional {@code errnoRet} and {@code args}; containers/common rules may also carry
 * {@code includes}/{@code excludes} conditions, which are left as they are: names are only ever taken out
 * of rules, and the rules added here carry no condition, so they apply whatever podman resolves.
 * <ol>
 *   <li>{@link #supervise}: {@link #SUPERVISED} calls go to puzzled's supervisor ({@code SCMP_ACT_NOTIFY},
 *       {@code listenerPath} = its socket, {@code listenerMetadata} = the branch id).</li>
 *   <li>{@link #denyKernelSide}: {@link #DENIED} fail with EPERM, {@code clone}/{@code unshare} with EPERM
 *       when they ask for a new namespace, {@code clone3} with ENOSYS (the C libraries fall back to
 *       {@code clone}, whose flags seccomp can read).</li>
 * </ol>
 */
public final class GovernedSeccomp {
    private GovernedSeccomp() {}

    /** The calls the supervisor answers. */
    public static final List<String> SUPERVISED = List.of("execve", "execveat", "connect");
    /** Calls that fail with EPERM whatever their arguments. */
    public static final List<String> DENIED = List.of("ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp",
            "process_madvise", "keyctl", "add_key", "request_key", "userfaultfd");
    /** CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET. */
    public static final List<Long> CLONE_NAMESPACES = List.of(0x20000L, 0x02000000L, 0x04000000L, 0x08000000L, 0x10000000L,
            0x20000000L, 0x40000000L);
    /** CLONE_NEWTIME: a namespace flag for unshare only (in clone's flags the bit is part of the exit signal). */
    public static final long CLONE_NEWTIME = 0x80L;
    /** Rule actions that merely let a call through; the supervised names are taken out of these. */
    private static final Set<String> PASSING = Set.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG");
    private static final int EPERM = 1, ENOSYS = 38;
    private static final Set<String> MANAGED;
    static {
        List<String> all = new ArrayList<>(DENIED);
        all.addAll(List.of("clone", "clone3", "unshare"));
        MANAGED = Set.copyOf(all);
    }

    /** Both steps, in order: the whole seccomp containment of a governed container. */
    public static void govern(ObjectNode profile, String listener, String branchId, String source) throws SeccompProfileException {
        supervise(profile, listener, branchId, source);
        denyKernelSide(profile, source);
    }

    /**
     * Takes {@link #SUPERVISED} out of every rule of {@code profile} (refused when a rule naming them does
     * more than let them through), adds one {@code SCMP_ACT_NOTIFY} rule for them, and sets the listener.
     * Refused when the profile already has a listener. {@code source} names the profile in messages
     * (e.g. "the spec"). Returns how many rules the supervised names were taken out of.
     */
    public static int supervise(ObjectNode profile, String listener, String branchId, String source) throws SeccompProfileException {
        if (profile.hasNonNull("listenerPath") && !profile.get("listenerPath").asText().isEmpty())
            throw refused(source + "'s seccomp profile already has a listener (\"" + profile.get("listenerPath").asText()
                    + "\"); a governed container's listener is puzzled's");
        ArrayNode rules = rules(profile);
        ArrayNode kept = rules.arrayNode();
        int trimmed = 0;
        for (int i = 0; i < rules.size(); i++) {
            ObjectNode rule = rule(rules, i, source);
            List<String> names = names(rule, i, source);
            List<String> left = new ArrayList<>();
            for (String n : names) if (!SUPERVISED.contains(n)) left.add(n);
            if (left.size() == names.size()) { kept.add(rule); continue; }
            String action = rule.path("action").asText("");
            if (!PASSING.contains(action))
                throw refused("seccomp rule " + i + " of " + source + " gives " + String.join("/", SUPERVISED) + " the action \"" + action
                        + "\", which cannot be combined with the supervisor's notification");
            trimmed++;
            if (!left.isEmpty()) kept.add(withNames(rule, left));
        }
        ObjectNode notify = kept.addObject();
        SUPERVISED.forEach(notify.putArray("names")::add);
        notify.put("action", "SCMP_ACT_NOTIFY");
        profile.set("syscalls", kept);
        profile.put("listenerPath", listener);
        profile.put("listenerMetadata", branchId);
        return trimmed;
    }

    /**
     * Takes {@link #DENIED}, {@code clone}, {@code clone3} and {@code unshare} out of every rule (whatever
     * its action, so the result does not depend on how the runtime merges rules that disagree) and adds
     * the denials.
     */
    public static void denyKernelSide(ObjectNode profile, String source) throws SeccompProfileException {
        ArrayNode rules = rules(profile);
        ArrayNode kept = rules.arrayNode();
        for (int i = 0; i < rules.size(); i++) {
            ObjectNode rule = rule(rules, i, source);
            List<String> names = names(rule, i, source);
            List<String> left = new ArrayList<>();
            for (String n : names) if (!MANAGED.contains(n)) left.add(n);
            if (left.size() == names.size()) { kept.add(rule); continue; }
            if (!left.isEmpty()) kept.add(withNames(rule, left));
        }
        ObjectNode denied = kept.addObject();
        DENIED.forEach(denied.putArray("names")::add);
        denied.put("action", "SCMP_ACT_ERRNO").put("errnoRet", EPERM);
        kept.addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", ENOSYS).putArray("names").add("clone3");
        namespaceRules(kept, "clone", CLONE_NAMESPACES);
        List<Long> unshareFlags = new ArrayList<>(CLONE_NAMESPACES);
        unshareFlags.add(CLONE_NEWTIME);
        namespaceRules(kept, "unshare", unshareFlags);
        profile.set("syscalls", kept);
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

    private static ArrayNode rules(ObjectNode profile) {
        return profile.get("syscalls") instanceof ArrayNode r ? r : profile.putArray("syscalls");
    }

    private static ObjectNode rule(ArrayNode rules, int i, String source) throws SeccompProfileException {
        if (!(rules.get(i) instanceof ObjectNode o))
            throw new SeccompProfileException(SeccompProfileException.Problem.MALFORMED, "seccomp rule " + i + " of " + source + " is not an object");
        return o;
    }

    /** The rule's names: its {@code names} array plus a single {@code name} (containers/common's format). */
    private static List<String> names(ObjectNode rule, int i, String source) throws SeccompProfileException {
        JsonNode names = rule.get("names"), name = rule.get("name");
        boolean hasNames = names instanceof ArrayNode, hasName = name != null && name.isTextual() && !name.asText().isEmpty();
        if (!hasNames && !hasName)
            throw new SeccompProfileException(SeccompProfileException.Problem.MALFORMED,
                    "seccomp rule " + i + " of " + source + " has no \"names\" array");
        List<String> out = new ArrayList<>();
        if (hasNames) for (JsonNode n : names) out.add(n.asText());
        if (hasName) out.add(name.asText());
        return out;
    }

    /** The rule with exactly {@code names} (a single {@code name} folded into the array). */
    private static ObjectNode withNames(ObjectNode rule, List<String> names) {
        rule.remove("name");
        ArrayNode n = rule.putArray("names");
        names.forEach(n::add);
        return rule;
    }

    private static SeccompProfileException refused(String message) {
        return new SeccompProfileException(SeccompProfileException.Problem.REFUSED, message);
    }
}
