package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;

/**
 * Governed containers nobody supervises. A notify fd cannot be recovered after the daemon that held it
 * died: the kernel then fails the container's supervised calls with ENOSYS forever. So a restarted
 * daemon must treat every live branch that names a container whose fd it does not hold as an orphan
 * (to flag, stop or kill).
 */
public final class OrphanedContainers {
    private OrphanedContainers() {}

    /**
     * The branches of {@code branches} that are not terminal, name a container, and whose container id is
     * not in {@code heldContainerIds}.
     */
    public static List<BranchMetadata> find(Collection<BranchMetadata> branches, Set<String> heldContainerIds) {
        return branches.stream()
                .filter(m -> m.containerId() != null && !m.state().isTerminal())
                .filter(m -> !heldContainerIds.contains(m.containerId()))
                .toList();
    }
}
