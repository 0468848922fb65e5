package org.lobstertrap.puzzlepod.daemon.api;

/**
 * Where the service announces what happened; the D-Bus layer turns each call into the signal of the same
 * name. {@code json} is the branch JSON (created) or the decision JSON (the others). Implementations must
 * not block and must not throw.
 */
public interface GovernanceEvents {
    void branchCreated(String id, String json);

    void branchCommitted(String id, String json);

    void branchRolledBack(String id, String json);

    void policyViolation(String id, String json);

    void reviewPending(String id, String json);

    /** Drops every event (tests, tools without a bus). */
    GovernanceEvents NONE = new GovernanceEvents() {
        @Override public void branchCreated(String id, String json) {}
        @Override public void branchCommitted(String id, String json) {}
        @Override public void branchRolledBack(String id, String json) {}
        @Override public void policyViolation(String id, String json) {}
        @Override public void reviewPending(String id, String json) {}
    };
}
