package org.lobstertrap.puzzlepod.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;

/** Waiting for a branch's state through a stack's daemon, shared by the rootful and the rootless stack. */
interface BranchWaits {
    long DECIDE_SECONDS = 300;
    long ATTACH_SECONDS = 30;

    /** One call to the stack's puzzled, parsed. */
    JsonNode call(GovernedStack.ClientCall c) throws Exception;

    /** Waits until the branch is decided. */
    default JsonNode awaitDecided(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DECIDE_SECONDS);
        while (System.nanoTime() < deadline) {
            JsonNode b = call(c -> c.waitBranch(id, 10_000));
            if (b.path("decided").asBoolean(false)) return b;
        }
        throw new AssertionError("branch " + id + " was not decided within " + DECIDE_SECONDS + " s: " + call(c -> c.inspectBranch(id)));
    }

    /**
     * The branch once the daemon attached its container. runc hands the container over and returns; the
     * daemon attaches it before the container's first exec, which may be a moment after {@code podman run -d}
     * returned, so a test that looks at once can still see the branch before its container is attached.
     */
    default JsonNode awaitActive(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ATTACH_SECONDS);
        JsonNode branch = call(c -> c.inspectBranch(id));
        while (!branch.path("state").asText().equals("active") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            branch = call(c -> c.inspectBranch(id));
        }
        if (!branch.path("state").asText().equals("active"))
            throw new AssertionError("branch " + id + " did not become active within " + ATTACH_SECONDS + " s: " + branch);
        return branch;
    }
}
