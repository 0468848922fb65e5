package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.lobstertrap.puzzlepod.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code puzzlectl branch …}: the branches puzzled governs. */
@Command(name = "branch", mixinStandardHelpOptions = true,
        description = "Create, list, inspect, diff, commit, approve, reject and roll back branches.",
        subcommands = {BranchCommand.List.class, BranchCommand.Inspect.class, BranchCommand.Diff.class,
            BranchCommand.Commit.class, BranchCommand.Approve.class, BranchCommand.Reject.class, BranchCommand.Rollback.class,
            BranchCommand.Create.class})
final class BranchCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List branches, newest first (as text: ID STATE PROFILE OWNER BASE CREATED).")
    static final class List extends DaemonCommand {
        @Option(names = "--state", paramLabel = "STATE", completionCandidates = BranchStates.class,
                converter = BranchStates.Converter.class, description = "Only branches in this state: ${COMPLETION-CANDIDATES}.")
        String state;

        @Option(names = "--base", paramLabel = "DIR", converter = Arguments.Directory.class,
                description = "Only branches of this base directory.")
        String base;

        @Override int run() throws ClientException {
            ObjectNode filter = Json.object();
            if (state != null) filter.put("state", state);
            if (base != null) filter.put("base", base);
            show(daemon().listBranches(Json.argument(filter)), BranchView::list);
            return ExitCodes.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show one branch and its last decision.")
    static final class Inspect extends DaemonCommand {
        @Parameters(paramLabel = "ID", converter = Arguments.BranchId.class, description = "The branch.")
        String id;

        @Override int run() throws ClientException {
            show(daemon().inspectBranch(id), BranchView::details);
            return ExitCodes.OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Show a branch's changes against its base, one line per change: A path (12 B).",
                "Letters: A added, M modified, D deleted, P mode/owner changed, L symlink, H hardlink, "
                        + "B block device, C char device, F fifo."})
    static final class Diff extends DaemonCommand {
        @Parameters(paramLabel = "ID", converter = Arguments.BranchId.class, description = "The branch.")
        String id;

        @Override int run() throws ClientException {
            show(daemon().diffBranch(id), DiffView::print);
            return ExitCodes.OK;
        }
    }

    @Command(name = "commit", mixinStandardHelpOptions = true,
            description = {"Run the governance gate on a branch now (diff, policy, conflicts) and commit it or roll it back.",
                "Exits 0 when committed or waiting for review, 6 on a conflict, 1 when rejected, rolled back or failed."})
    static final class Commit extends DaemonCommand {
        @Parameters(paramLabel = "ID", converter = Arguments.BranchId.class, description = "The branch.")
        String id;

        @Override int run() throws ClientException {
            JsonNode d = show(daemon().commitBranch(id), DecisionView::print);
            return switch (Json.text(d, "outcome")) {
                case "committed", "review-pending" -> ExitCodes.OK;
                case "conflict" -> ExitCodes.CONFLICT;
                default -> ExitCodes.REJECTED;
            };
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = {"Approve a review-pending branch: puzzled re-checks it and commits it.",
                "Exits 0 when committed, 6 on a conflict, 1 for any other outcome."})
    static final class Approve extends DaemonCommand {
        @Parameters(paramLabel = "ID", converter = Arguments.BranchId.class, description = "The branch.")
        String id;

        @Option(names = "--comment", paramLabel = "TEXT", description = "Why it is approved (goes to the audit log).")
        String comment;

        @Override int run() throws ClientException {
            JsonNode d = show(daemon().approveBranch(id, comment), DecisionView::print);
            return switch (Json.text(d, "outcome")) {
                case "committed" -> ExitCodes.OK;
                case "conflict" -> ExitCodes.CONFLICT;
                default -> ExitCodes.REJECTED;
            };
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject a review-pending branch: puzzled rolls it back.")
    static final class Reject extends DaemonCommand {
        @Parameters(paramLabel = "ID", converter = Arguments.BranchId.class, description = "The branch.")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why it is rejected (goes to the audit log).")
        String reason;

        @Override int run() throws ClientException {
            show(daemon().rejectBranch(id, reason), DecisionView::print);
            return ExitCodes.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Discard a branch: its changes never reach the base.")
    static final class Rollback extends DaemonCommand {
        @Parameters(paramLabel = "ID", converter = Arguments.BranchId.class, description = "The branch.")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (goes to the audit log).")
        String reason;

        @Override int run() throws ClientException {
            show(daemon().rollbackBranch(id, reason), BranchView::details);
            return ExitCodes.OK;
        }
    }

    /** What a branch does when its container stops. */
    enum OnExit { commit, rollback, hold }

    /** How podman mounts the branch. */
    enum Overlay { kernel, userxattr, fuse }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a branch of a base directory for an agent run under a profile.",
                "Prints the branch, including the podman -v argument that mounts it."})
    static final class Create extends DaemonCommand {
        @Option(names = "--profile", required = true, paramLabel = "PROFILE", converter = Arguments.ProfileName.class,
                description = "The agent profile, e.g. standard.")
        String profile;

        @Option(names = "--base", required = true, paramLabel = "DIR", converter = Arguments.Directory.class,
                description = "The workspace directory the branch is taken of.")
        String base;

        @Option(names = "--id", paramLabel = "ID", converter = Arguments.BranchId.class,
                description = "The branch id (default: a fresh one).")
        String id;

        @Option(names = "--lifetime", paramLabel = "DURATION", converter = Arguments.Lifetime.class,
                description = "How long the branch may live: 90s, 30m, 1h, 2d, 1h30m, PT1H (default and cap: the daemon's).")
        Duration lifetime;

        @Option(names = "--on-exit", paramLabel = "ACTION",
                description = "When the container stops: ${COMPLETION-CANDIDATES} (default: the daemon's, commit).")
        OnExit onExit;

        @Option(names = "--require-clean-exit", negatable = true,
                description = "With --on-exit commit: roll back when the agent exits non-zero or is killed "
                        + "(default: the daemon's).")
        Boolean requireCleanExit;

        @Option(names = "--workspace", paramLabel = "PATH", converter = Arguments.ContainerPath.class,
                description = "Where the container sees the branch (default /workspace).")
        String workspace;

        @Option(names = "--overlay", paramLabel = "KIND",
                description = "How podman mounts it: ${COMPLETION-CANDIDATES} (default kernel).")
        Overlay overlay;

        @Override int run() throws ClientException {
            ObjectNode options = Json.object();
            if (id != null) options.put("id", id);
            if (workspace != null) options.put("workspace", workspace);
            if (lifetime != null) options.put("lifetime_seconds", Math.max(1, lifetime.toSeconds()));
            if (onExit != null) options.put("on_exit", onExit.name());
            if (requireCleanExit != null) options.put("require_clean_exit", requireCleanExit);
            if (overlay != null) options.put("overlay", overlay.name());
            show(daemon().createBranch(profile, base, Json.argument(options)), BranchView::details);
            return ExitCodes.OK;
        }
    }
}
