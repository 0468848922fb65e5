package org.lobstertrap.puzzlepod.core.profile;

/**
 * One entry of an exec allow- or denylist: either an absolute container path ({@code /usr/bin/git}),
 * which matches exactly that program, or a bare name ({@code git}), which matches a program of that
 * name in any directory.
 */
public record ExecRule(String pattern) {
    public ExecRule {
        if (pattern == null || pattern.isEmpty()) throw new IllegalArgumentException("exec rule must not be empty");
        if (!pattern.startsWith("/") && pattern.contains("/"))
            throw new IllegalArgumentException("exec rule '" + pattern + "' must be an absolute path or a bare program name");
    }

    /** True for an absolute-path rule. */
    public boolean isPath() { return pattern.startsWith("/"); }

    /**
     * Whether a program path (as the agent executes it) is matched: an absolute rule must equal the
     * path, a bare-name rule must equal its last segment.
     */
    public boolean matches(String programPath) {
        if (programPath == null || programPath.isEmpty()) return false;
        if (isPath()) return pattern.equals(programPath);
        int slash = programPath.lastIndexOf('/');
        return pattern.equals(programPath.substring(slash + 1));
    }

    @Override public String toString() { return pattern; }
}
