package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code exec_allowlist} / {@code exec_denylist} matching. An entry containing a slash matches a full
 * path, any other entry matches a basename. The denylist wins; an empty allowlist allows everything
 * not denied.
 *
 * <p>Which names of an exec are checked: against the denylist, the requested path, the resolved path
 * and argv[0] (multi-call binaries such as busybox pick the program by argv[0], so {@code wget} must be
 * caught even when the file is {@code /bin/busybox} or {@code /proc/self/exe}). Against the allowlist,
 * the requested or resolved path, plus argv[0] only for a {@code /proc/self/exe} re-exec (argv[0] is
 * the caller's to choose, so it may not unlock anything on its own).
 */
public final class ExecRules {
    private final Set<String> allow;
    private final Set<String> deny;

    public ExecRules(List<String> allowlist, List<String> denylist) {
        this.allow = checked(allowlist, "exec_allowlist");
        this.deny = checked(denylist, "exec_denylist");
    }

    private static Set<String> checked(List<String> entries, String what) {
        Set<String> out = new LinkedHashSet<>();
        for (String e : entries) {
            if (e == null || e.isBlank() || e.indexOf('\0') >= 0)
                throw new IllegalArgumentException(what + ": entry " + (e == null ? "null" : "'" + e + "'")
                        + " is not a path or a program name");
            if (e.endsWith("/")) throw new IllegalArgumentException(what + ": entry '" + e + "' names a directory");
            out.add(e);
        }
        return Set.copyOf(out);
    }

    /** The verdict for {@code request}. */
    public Verdict decide(ExecRequest request) {
        List<String> denyNames = new ArrayList<>(List.of(request.path()));
        if (request.resolvedPath() != null) denyNames.add(request.resolvedPath());
        if (request.argv0() != null && !request.argv0().isEmpty()) denyNames.add(request.argv0());
        for (String name : denyNames) {
            String hit = match(deny, name);
            if (hit != null) return Verdict.deny("exec_denylist entry '" + hit + "' matches " + name);
        }
        if (allow.isEmpty()) return Verdict.allow("not denied, no allowlist");
        List<String> allowNames = new ArrayList<>(List.of(request.path()));
        if (request.resolvedPath() != null) allowNames.add(request.resolvedPath());
        if (request.selfReexec() && request.argv0() != null && !request.argv0().isEmpty()) allowNames.add(request.argv0());
        for (String name : allowNames) {
            String hit = match(allow, name);
            if (hit != null) return Verdict.allow("exec_allowlist entry '" + hit + "' matches " + name);
        }
        return Verdict.deny("not in exec_allowlist: " + request.path());
    }

    private static String match(Set<String> entries, String name) {
        if (entries.contains(name)) return name;
        String base = ExecRequest.basename(name);
        return entries.contains(base) && !base.isEmpty() ? base : null;
    }
}
