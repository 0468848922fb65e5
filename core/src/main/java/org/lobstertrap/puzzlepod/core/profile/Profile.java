package org.lobstertrap.puzzlepod.core.profile;

import java.util.List;
import java.util.Optional;

/**
 * A resolved agent profile: inheritance applied, defaults filled in, every value validated.
 *
 * @param name          the profile name (equals the file name without {@code .yaml})
 * @param extendsName   the direct parent, if any
 * @param lineage       this profile and its ancestors, nearest first ({@code [child, parent, …]})
 */
public record Profile(String name, String description, Optional<String> extendsName, List<String> lineage,
                      FailMode failMode, FilesystemRules filesystem,
                      List<ExecRule> execAllowlist, List<ExecRule> execDenylist,
                      ResourceLimits resourceLimits, NetworkRules network, BehavioralLimits behavioral,
                      EnforcementRequirements enforcement) {
    public Profile {
        lineage = List.copyOf(lineage);
        execAllowlist = List.copyOf(execAllowlist);
        execDenylist = List.copyOf(execDenylist);
    }

    /**
     * Whether the profile lets the agent execute a program: a denylist match always refuses; an empty
     * allowlist allows everything else; otherwise the program must match an allowlist entry.
     */
    public boolean mayExecute(String programPath) {
        for (ExecRule r : execDenylist) if (r.matches(programPath)) return false;
        if (execAllowlist.isEmpty()) return true;
        for (ExecRule r : execAllowlist) if (r.matches(programPath)) return true;
        return false;
    }
}
