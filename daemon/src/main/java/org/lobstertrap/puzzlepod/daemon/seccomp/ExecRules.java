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
 * <p><b>Denylist</b>: the requested path, the resolved path and argv[0] are checked (multi-call binaries
 * such as busybox pick the program by argv[0], so {@code wget} must be caught even when the file is
 * {@code /bin/busybox} or {@code /proc/self/exe}). More names only deny more.
 *
 * <p><b>Allowlist — identity, not just a name.</b> A name the agent can create proves nothing, so:
 * <ul>
 *   <li>A full-path entry allows exactly that path (requested or resolved), wherever it lies: the profile
 *       author chose that file, even in a writable location.</li>
 *   <li>A basename entry only allows a file that lies <em>outside every writable location</em> (the
 *       profile's {@code write_allowlist} and the workspace, which Landlock keeps the agent from writing
 *       elsewhere): a program the image brought. A copy, a hard link or a renamed binary in the workspace
 *       or {@code /tmp} never matches a basename entry, whatever it is called; an fd that names no path
 *       (a memfd, a deleted file) cannot be resolved and is refused too.</li>
 *   <li>The name that counts is the resolved file's own, or, when the call went through a symlink (the
 *       busybox pattern {@code /bin/cat -> busybox}), the symlink's name, but only if the symlink itself
 *       lies outside every writable location (an agent's {@code /tmp/cat -> /usr/bin/nc.real} counts as
 *       {@code nc.real}); for a {@code /proc/self/exe} re-exec it is argv[0].</li>
 *   <li>argv[0] must then be that name, the file's own name, or another allowlisted name (one leading
 *       {@code -}, a login shell's mark, is ignored): a multi-call binary runs the program argv[0] names,
 *       so {@code exec("/bin/cat", argv0="dd")} is refused.</li>
 * </ul>
 */
public final class ExecRules {
    private final Set<String> allow;
    private final Set<String> deny;
    private final List<String> writable;

    /** Rules without writable locations (every location counts as the image's; for tests of the matching alone). */
    public ExecRules(List<String> allowlist, List<String> denylist) {
        this(allowlist, denylist, List.of());
    }

    /**
     * @param writable the container directories the agent can write (absolute; the profile's
     *                 {@code write_allowlist} plus the workspace)
     */
    public ExecRules(List<String> allowlist, List<String> denylist, List<String> writable) {
        this.allow = checked(allowlist, "exec_allowlist");
        this.deny = checked(denylist, "exec_denylist");
        List<String> w = new ArrayList<>();
        for (String d : writable) {
            if (d == null || !d.startsWith("/")) throw new IllegalArgumentException("writable location " + d + " is not an absolute path");
            String t = d;
            while (t.length() > 1 && t.endsWith("/")) t = t.substring(0, t.length() - 1);
            w.add(t);
        }
        this.writable = List.copyOf(w);
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

    /** The directories the agent can write, as given. */
    public List<String> writable() { return writable; }

    /** The verdict for {@code request}. */
    public Verdict decide(ExecRequest request) {
        String hit = denied(request.path());
        if (hit == null && request.resolvedPath() != null) hit = denied(request.resolvedPath());
        if (hit == null && request.argv0() != null && !request.argv0().isEmpty()) hit = denied(request.argv0());
        if (hit != null) return Verdict.deny(hit);
        if (allow.isEmpty()) return Verdict.allow("not denied, no allowlist");

        String resolved = request.resolvedPath();
        if (!request.selfReexec() && allow.contains(request.path()))
            return Verdict.allow("exec_allowlist entry '" + request.path() + "' names this path");
        if (resolved != null && allow.contains(resolved))
            return Verdict.allow("exec_allowlist entry '" + resolved + "' names this path");
        if (resolved == null)
            return Verdict.deny("not in exec_allowlist: " + request.path() + " (the file cannot be resolved in the container, so only a "
                    + "full-path entry could allow it)");
        String w = writableLocation(resolved);
        if (w != null)
            return Verdict.deny("not in exec_allowlist: " + resolved + " lies in the writable location " + w
                    + ", where a basename entry allows nothing (list its full path)");

        String name;
        if (request.selfReexec()) {
            name = request.argv0() == null || request.argv0().isEmpty() ? ExecRequest.basename(resolved) : ExecRequest.basename(request.argv0());
        } else {
            String called = ExecRequest.basename(request.path());
            boolean viaLink = !called.equals(ExecRequest.basename(resolved));
            name = viaLink && request.nameDirectory() != null && writableLocation(request.nameDirectory() + "/") == null
                    ? called : ExecRequest.basename(resolved);
        }
        if (!allow.contains(name))
            return Verdict.deny("not in exec_allowlist: " + request.path() + (name.equals(ExecRequest.basename(request.path())) ? "" : " (runs as " + name + ")"));
        if (!request.selfReexec() && request.argv0() != null && !request.argv0().isEmpty()) {
            String a = ExecRequest.basename(request.argv0());
            if (a.startsWith("-") && a.length() > 1) a = a.substring(1);
            if (!a.equals(name) && !a.equals(ExecRequest.basename(resolved)) && !allow.contains(a))
                return Verdict.deny("not in exec_allowlist: argv[0] " + request.argv0() + " of " + request.path()
                        + " (a multi-call binary would run it)");
        }
        return Verdict.allow("exec_allowlist entry '" + name + "' matches " + resolved);
    }

    private String denied(String name) {
        if (deny.contains(name)) return "exec_denylist entry '" + name + "' matches " + name;
        String base = ExecRequest.basename(name);
        return !base.isEmpty() && deny.contains(base) ? "exec_denylist entry '" + base + "' matches " + name : null;
    }

    /** The writable location {@code path} lies in (or is), or null. */
    private String writableLocation(String path) {
        for (String w : writable) {
            if (w.equals("/")) return w;
            if (path.equals(w) || path.startsWith(w + "/")) return w;
        }
        return null;
    }
}
