package org.lobstertrap.puzzlepod.daemon.gate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.ChangesetJson;
import org.lobstertrap.puzzlepod.core.profile.Profile;
import org.lobstertrap.puzzlepod.core.profile.ProfileJson;

/**
 * The policy input of one gate run: the changeset in {@link ChangesetJson} form ({@code changes},
 * {@code total_bytes_changed}, {@code total_changes}, {@code counts}) plus the profile, the workspace root,
 * the profile's quotas, {@code allow_symlinks} and the agent's exit code (see {@code policies/README.md}).
 */
public final class PolicyInputBuilder {
    private PolicyInputBuilder() {}

    /**
     * @param workspace the container path the branch is mounted at
     * @param exitCode  the agent's exit code, or null when unknown (then the key is absent)
     */
    public static ObjectNode build(Changeset changeset, Profile profile, String workspace, Integer exitCode) {
        ObjectNode input = ChangesetJson.toTree(changeset);
        input.set("profile", ProfileJson.toTree(profile));
        input.put("workspace_root", workspace);
        input.put("storage_quota_bytes", profile.resourceLimits().storageQuotaBytes());
        input.put("inode_quota", profile.resourceLimits().inodeQuota());
        // profiles have no switch for symlinks (yet): they are denied, as the policy does when the key is not true
        input.put("allow_symlinks", false);
        if (exitCode != null) input.put("exit_code", exitCode.intValue());
        return input;
    }
}
