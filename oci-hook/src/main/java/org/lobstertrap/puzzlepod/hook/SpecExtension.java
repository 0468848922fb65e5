package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A further change to a governed container's spec, applied by {@link SpecRewriter} after the workspace
 * became an overlay over the branch. The planned ones: the init shim (bind {@code puzzle-init} read-only
 * into the container and prefix {@code process.args} with it and its Landlock rules file), and the
 * seccomp supervisor (add {@code SCMP_ACT_NOTIFY} rules to {@code linux.seccomp} and set its
 * {@code listenerPath} to the daemon's listener socket).
 */
@FunctionalInterface
public interface SpecExtension {
    /**
     * Changes {@code spec} in place for the branch, adding one sentence per change to {@code reasons};
     * throws to refuse the container.
     */
    void apply(ObjectNode spec, WorkspacePlan plan, BranchInfo branch, List<String> reasons) throws HookException;
}
