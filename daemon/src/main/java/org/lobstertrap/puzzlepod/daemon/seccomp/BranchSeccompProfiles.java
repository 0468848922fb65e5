package org.lobstertrap.puzzlepod.daemon.seccomp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import org.lobstertrap.puzzlepod.client.seccomp.GovernedSeccomp;
import org.lobstertrap.puzzlepod.client.seccomp.SeccompProfileException;

/**
 * The text of each branch's podman seccomp profile: {@link PodmanSeccompBase}'s profile with the seccomp
 * containment ({@link GovernedSeccomp}) for the daemon's listener. Branches differ only in
 * {@code listenerMetadata}, so the transformed profile is kept and only that field changes per branch;
 * it is made again when the base file or the listener changes.
 */
public final class BranchSeccompProfiles {
    private final PodmanSeccompBase base;
    private ObjectNode governed;
    private FileTime builtFrom;
    private String builtFor;

    /** Profiles made from {@code base}. */
    public BranchSeccompProfiles(PodmanSeccompBase base) { this.base = base; }

    /** Where the base profile is. */
    public PodmanSeccompBase base() { return base; }

    /** The profile of branch {@code branchId}, whose container's notifications go to {@code listener}, as JSON text. */
    public synchronized String forBranch(String listener, String branchId) throws IOException, SeccompProfileException {
        FileTime modified = base.modified();
        if (governed == null || !modified.equals(builtFrom) || !listener.equals(builtFor)) {
            ObjectNode p = base.copy();
            GovernedSeccomp.govern(p, listener, branchId, "podman's seccomp profile " + base.file());
            governed = p;
            builtFrom = modified;
            builtFor = listener;
        }
        governed.put("listenerMetadata", branchId);
        return governed.toString();
    }
}
