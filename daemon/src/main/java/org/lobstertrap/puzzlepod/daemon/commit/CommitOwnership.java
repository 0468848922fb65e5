package org.lobstertrap.puzzlepod.daemon.commit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Which owners this process may give the objects it commits. Root may give any; any other user (a per-user
 * puzzled) only itself and its own groups, so a changeset with objects owned by someone else (in a rootless
 * container, files made by a non-root user of the container belong to one of the user's subordinate uids) is
 * refused before anything is staged, instead of failing half-way through a commit.
 *
 * @param uid    the effective uid
 * @param gids   the effective gid and the supplementary groups
 */
record CommitOwnership(int uid, Set<Integer> gids) {
    /** Read from {@code /proc/self/status}. */
    static CommitOwnership ofThisProcess() {
        int uid = 0;
        Set<Integer> gids = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                String[] f = line.split("\\s+");
                if (line.startsWith("Uid:") && f.length > 2) uid = Integer.parseInt(f[2]);
                if (line.startsWith("Gid:") && f.length > 2) gids.add(Integer.parseInt(f[2]));
                if (line.startsWith("Groups:")) for (int i = 1; i < f.length; i++) gids.add(Integer.parseInt(f[i]));
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read this process's credentials from /proc/self/status: " + e.getMessage(), e);
        }
        return new CommitOwnership(uid, Set.copyOf(gids));
    }

    /** Refuses the plan when it gives an object an owner this process cannot set; nothing has been touched yet. */
    void check(CommitPlan plan) throws CommitException {
        if (uid == 0) return;
        for (CommitPlan.StagedObject s : plan.staged()) check(s.change().path().display(), s.change().uid(), s.change().gid());
        for (CommitOp op : plan.ops()) if (op instanceof CommitOp.SetMetadata m) check(m.path().display(), m.uid(), m.gid());
    }

    private void check(String path, int ownerUid, int ownerGid) throws CommitException {
        if (ownerUid != uid)
            throw new CommitException(CommitError.OWNERSHIP, path + " is owned by uid " + ownerUid + " in the branch, and this puzzled"
                    + " runs as uid " + uid + ", which cannot give files away (in a rootless container, files made by a non-root"
                    + " user of the container belong to a subordinate uid); the base is unchanged");
        if (!gids.contains(ownerGid))
            throw new CommitException(CommitError.OWNERSHIP, path + " has group " + ownerGid + " in the branch, which uid " + uid
                    + " is not a member of; the base is unchanged");
    }
}
