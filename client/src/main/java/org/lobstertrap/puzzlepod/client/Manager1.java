package org.lobstertrap.puzzlepod.client;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * The D-Bus interface {@code org.lobstertrap.PuzzlePod1.Manager} of puzzled, object
 * {@link #OBJECT_PATH} on bus name {@link #BUS_NAME}. The daemon exports an implementation; clients get a
 * proxy. Method names are the D-Bus member names, hence capitalised.
 *
 * <p>Every argument that carries structure is a JSON string and every result is a JSON string (shapes in
 * {@code client/API.md}). An empty string stands for "no options". Failures are D-Bus errors named
 * {@code org.lobstertrap.PuzzlePod1.Error.<Code>} (see {@link ApiError}); their message is for people.
 */
@DBusInterfaceName(Manager1.INTERFACE)
public interface Manager1 extends DBusInterface {
    String BUS_NAME = "org.lobstertrap.PuzzlePod1";
    String OBJECT_PATH = "/org/lobstertrap/PuzzlePod1/Manager";
    String INTERFACE = "org.lobstertrap.PuzzlePod1.Manager";

    /** Creates a branch of {@code base} for a container running under {@code profile}. → branch JSON. */
    String CreateBranch(String profile, String base, String optionsJson);

    /** → branch JSON (with its last decision, if any). */
    String InspectBranch(String id);

    /** → {@code {"branches":[branch…]}}; the filter may name a state and/or a base. */
    String ListBranches(String filterJson);

    /** The branch's changeset, read from its upper dir. → diff JSON. */
    String DiffBranch(String id);

    /** Runs the governance gate now (quiesce, diff, policy, conflicts, commit or roll back). → decision JSON. */
    String CommitBranch(String id);

    /** Discards the branch. → branch JSON. */
    String RollbackBranch(String id, String reason);

    /** Commits a review-pending branch (after re-checking it). → decision JSON. */
    String ApproveBranch(String id, String comment);

    /** Rolls back a review-pending branch. → decision JSON. */
    String RejectBranch(String id, String reason);

    /** Registers the container running on the branch ({@code container_id, pid, cgroup, bundle}). → branch JSON. */
    String AttachGovernance(String id, String containerJson);

    /**
     * The container stopped (or an operator asks for a decision): schedules the gate and returns at once
     * ({@code {"branch","accepted","state"}}). The event may carry {@code exit_code}, {@code oom_killed},
     * {@code timed_out}.
     */
    String TriggerGovernance(String id, String eventJson);

    /**
     * Waits until the branch is decided (committed, rolled-back, review-pending or failed) or
     * {@code timeoutMillis} passes; → branch JSON (with {@code "decided": false} on timeout).
     */
    String WaitBranch(String id, UInt32 timeoutMillis);

    /** Recompiles the policies and reloads the profiles; swaps both atomically or keeps the old ones. */
    String ReloadPolicy();

    /** → {@code {"events":[record…]}} for a query {@code {branch, types, from, to, limit}}. */
    String QueryAuditEvents(String queryJson);

    /** Checks the audit log's HMAC chain. → {@code {"ok", "records", "files", "problems":[…]}}. */
    String VerifyAudit();

    /** → {@code {"profiles":[{name, description, extends}]}}. */
    String ListProfiles();

    /** The resolved profile (inheritance applied). → profile JSON. */
    String ShowProfile(String name);

    /** Validates a profile document without installing it. → {@code {"valid", "name", "errors":[…]}}. */
    String ValidateProfile(String yaml);

    /** Evaluates the loaded policies on a changeset (diff JSON or {@code {"changes":[…]}}) for a profile. → decision JSON. */
    String TestPolicy(String changesetJson, String profile);

    /** → status JSON (version, branches per state, policy digest, profiles, limits). */
    String Status();

    /** A branch was created. */
    final class BranchCreated extends DBusSignal {
        private final String id, json;
        public BranchCreated(String path, String id, String json) throws DBusException { super(path, id, json); this.id = id; this.json = json; }
        public String id() { return id; }
        public String json() { return json; }
    }

    /** A branch's changes reached its base. {@code json} is the decision. */
    final class BranchCommitted extends DBusSignal {
        private final String id, json;
        public BranchCommitted(String path, String id, String json) throws DBusException { super(path, id, json); this.id = id; this.json = json; }
        public String id() { return id; }
        public String json() { return json; }
    }

    /** A branch was discarded. {@code json} is the decision or the rollback reason. */
    final class BranchRolledBack extends DBusSignal {
        private final String id, json;
        public BranchRolledBack(String path, String id, String json) throws DBusException { super(path, id, json); this.id = id; this.json = json; }
        public String id() { return id; }
        public String json() { return json; }
    }

    /** The policy rejected a changeset. {@code json} is the decision with its violations. */
    final class PolicyViolation extends DBusSignal {
        private final String id, json;
        public PolicyViolation(String path, String id, String json) throws DBusException { super(path, id, json); this.id = id; this.json = json; }
        public String id() { return id; }
        public String json() { return json; }
    }

    /** An approved changeset waits for a person (ApproveBranch / RejectBranch). {@code json} is the decision. */
    final class GovernanceReviewPending extends DBusSignal {
        private final String id, json;
        public GovernanceReviewPending(String path, String id, String json) throws DBusException { super(path, id, json); this.id = id; this.json = json; }
        public String id() { return id; }
        public String json() { return json; }
    }
}
