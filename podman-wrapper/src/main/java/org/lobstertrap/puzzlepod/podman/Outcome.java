package org.lobstertrap.puzzlepod.podman;


import java.io.PrintStream;

/**
 * How a decided branch is reported: the lines for a person and the exit code ({@link ExitCodes}). Reads
 * a decision JSON, or a branch JSON (with its {@code decision}) as {@code WaitBranch} returns it.
 */
final class Outcome {
    private Outcome() {}

    /** Prints the decision of {@code branch} (a branch JSON) and returns the exit code. */
    static int reportBranch(JsonValue branch, int containerExit, PrintStream err) {
        JsonValue decision = branch.get("decision");
        String id = Json.text(branch, "id", "?");
        String state = Json.text(branch, "state", "?");
        if (decision == null || decision.isNull()) {
            // decided without a gate run, e.g. a plain rollback
            return switch (state) {
                case "rolled-back" -> {
                    err.println("puzzle-podman: branch " + id + " rolled back: "
                            + Json.text(branch, "failure_reason", "no reason given"));
                    yield ExitCodes.ROLLED_BACK;
                }
                case "committed" -> {
                    err.println("puzzle-podman: branch " + id + " committed");
                    yield containerExit;
                }
                case "review-pending" -> pending(id, err);
                default -> {
                    err.println("puzzle-podman: branch " + id + " is " + state + ": "
                            + Json.text(branch, "failure_reason", "no decision"));
                    yield ExitCodes.DAEMON_ERROR;
                }
            };
        }
        return reportDecision(decision, id, state, containerExit, err);
    }

    /** Prints a decision JSON and returns the exit code; {@code state} is the branch's state if known. */
    static int reportDecision(JsonValue d, String id, String state, int containerExit, PrintStream err) {
        id = Json.text(d, "branch", id);
        String outcome = Json.text(d, "outcome", "?");
        String reason = Json.text(d, "reason", null);
        for (JsonValue w : d.path("warnings")) err.println("puzzle-podman: warning: " + (w.isTextual() ? w.asText() : violation(w)));
        switch (outcome) {
            case "committed" -> {
                err.println("puzzle-podman: committed branch " + id + ": " + d.path("files").asLong() + " files, "
                        + d.path("bytes").asLong() + " bytes (" + d.path("changes").asLong() + " changes)");
                return containerExit;
            }
            case "rejected" -> {
                err.println("puzzle-podman: rejected by policy; branch " + id + " rolled back"
                        + (reason != null && !reason.equals("rejected") ? ": " + reason : ""));
                for (JsonValue v : d.path("violations")) err.println("  " + violation(v));
                return ExitCodes.REJECTED;
            }
            case "rolled-back" -> {
                err.println("puzzle-podman: branch " + id + " rolled back: " + (reason != null ? reason : "no reason given"));
                return ExitCodes.ROLLED_BACK;
            }
            case "conflict" -> {
                err.println("puzzle-podman: conflict: " + (reason != null ? reason : "another branch changed the same paths")
                        + "; branch " + id + " is kept for inspection (puzzle-podman agent diff " + id + ")");
                return ExitCodes.CONFLICT;
            }
            case "review-pending" -> { return pending(id, err); }
            case "failed" -> {
                if ("review-pending".equals(Json.text(d, "state", state))) return pending(id, err);
                err.println("puzzle-podman: the gate could not decide on branch " + id + ": "
                        + (reason != null ? reason : "no reason given") + " (branch state: " + Json.text(d, "state", state) + ")");
                return ExitCodes.DAEMON_ERROR;
            }
            default -> {
                err.println("puzzle-podman: branch " + id + ": unknown outcome '" + outcome + "'");
                return ExitCodes.INTERNAL;
            }
        }
    }

    private static int pending(String id, PrintStream err) {
        err.println("puzzle-podman: branch " + id + " waits for review: puzzle-podman agent diff " + id
                + ", then agent approve " + id + " or agent reject " + id);
        return ExitCodes.REVIEW_PENDING;
    }

    /** {@code [severity] rule: message}. */
    static String violation(JsonValue v) {
        return "[" + Json.text(v, "severity", "?") + "] " + Json.text(v, "rule", "?") + ": " + Json.text(v, "message", "");
    }
}
