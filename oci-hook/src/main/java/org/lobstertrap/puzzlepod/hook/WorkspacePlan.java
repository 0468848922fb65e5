package org.lobstertrap.puzzlepod.hook;

import java.util.List;

/**
 * What the precreate stage found in a spec before asking for a branch: the base to branch, where the
 * workspace goes in the container, and which mount the branch replaces.
 *
 * @param base the base directory (real path), the overlay's lower dir
 * @param workspace the container path the branch is mounted at
 * @param mountIndex index in {@code mounts} of the mount the branch replaces, or -1 to add one
 * @param keptOptions options of the replaced mount carried over to the overlay (ro, nosuid, propagation, …)
 * @param droppedOptions options of the replaced mount that do not apply to an overlay (rw, rbind, …)
 */
public record WorkspacePlan(String base, String workspace, int mountIndex, List<String> keptOptions,
                            List<String> droppedOptions) {
    public WorkspacePlan {
        keptOptions = List.copyOf(keptOptions);
        droppedOptions = List.copyOf(droppedOptions);
    }
}
