package org.lobstertrap.puzzlepod.daemon.branch;

import java.nio.file.Path;

/**
 * Where a live branch lives: {@code <root>/<id>/} with {@code upper/} (the overlay upper dir, the
 * branch's changes), {@code work/} (the overlay work dir) and {@code branch.json} (its metadata).
 */
public record BranchPaths(Path dir, Path upper, Path work, Path metadata) {
    static BranchPaths of(Path branchDir) {
        return new BranchPaths(branchDir, branchDir.resolve("upper"), branchDir.resolve("work"), branchDir.resolve("branch.json"));
    }

    /** The podman volume argument that mounts {@code base} at {@code /workspace} over this branch. */
    public String podmanVolume(Path base) {
        return base + ":/workspace:O,upperdir=" + upper + ",workdir=" + work;
    }
}
