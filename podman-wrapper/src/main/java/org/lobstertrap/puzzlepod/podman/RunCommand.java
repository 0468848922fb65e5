package org.lobstertrap.puzzlepod.podman;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.hook.HookSocketClient;
import org.lobstertrap.puzzlepod.client.hook.HookSocketLocation;

/**
 * {@code puzzle-podman run}: checks the command line, creates a branch, runs {@code podman run} on it,
 * tells puzzled the container stopped (with its exit code), and reports the decision. Nothing is started
 * and no branch is created for a refused command line or an unreachable daemon. Talks to puzzled over its
 * hook socket (one connection for the whole run), so no D-Bus class is loaded on this path.
 */
final class RunCommand {
    /** The longest single {@code WaitBranch} the API allows; the wait repeats until decided. */
    private static final long WAIT_MS = 600_000;

    private final Environment env;
    private final PrintStream err;

    RunCommand(Environment env) {
        this.env = env;
        this.err = env.err();
    }

    int run(List<String> args) {
        RunArguments a;
        Path base;
        Path socket;
        String runtimeDirForHook;
        try {
            a = RunArgumentParser.parse(args);
            if (a.help()) {
                env.out().print(Help.RUN);
                return ExitCodes.OK;
            }
            base = resolveBase(a);
            RunRefusals.check(a, base);
            String explicit = a.runtimeDir().orElse(env.env().get(HookSocketLocation.RUNTIME_DIR_VARIABLE));
            if (explicit != null && !explicit.isBlank()) {
                if (!explicit.startsWith("/")) throw new UsageException(HookSocketLocation.RUNTIME_DIR_VARIABLE + " must be an absolute path (got '" + RunArgumentParser.clip(explicit) + "')");
                socket = Path.of(explicit).resolve(HookSocketLocation.SOCKET_NAME);
                runtimeDirForHook = explicit; // the hook must reach the same daemon
            } else {
                socket = HookSocketLocation.of(env.env(), Buses.uid(), uidMap());
                runtimeDirForHook = null;
            }
        } catch (UsageException e) {
            err.println("puzzle-podman: " + e.getMessage());
            err.println("See 'puzzle-podman run --help'.");
            return ExitCodes.USAGE;
        }
        try (HookSocketClient client = HookSocketClient.connect(socket)) {
            return governedRun(client, a, base, runtimeDirForHook);
        } catch (ClientException e) {
            return clientFailure(e);
        } catch (Json.DaemonAnswerException e) {
            err.println("puzzle-podman: " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
    }

    private Path resolveBase(RunArguments a) throws UsageException {
        Path given = a.base().map(env.cwd()::resolve).orElse(env.cwd());
        if (!Files.isDirectory(given)) throw new UsageException("--base " + given + " is not a directory");
        try {
            return given.toRealPath();
        } catch (IOException e) {
            throw new UsageException("--base " + given + " cannot be resolved: " + e.getMessage());
        }
    }

    private int governedRun(HookSocketClient client, RunArguments a, Path base, String runtimeDirForHook)
            throws ClientException, Json.DaemonAnswerException {
        boolean ask = a.onExit() == OnExit.ASK && !a.detached() && env.terminal().interactive();
        String onExit = switch (a.onExit()) {
            case AUTO_ROLLBACK -> "rollback";
            case AUTO_COMMIT -> "commit";
            case ASK -> ask ? "hold" : "commit";
        };
        // The profile first: an unknown profile must not leave a branch behind.
        JsonValue profile = Json.read(client.showProfile(a.profile()), "ShowProfile");
        Json.Obj options = new Json.Obj().put("workspace", a.workspace()).put("on_exit", onExit);
        if (a.onExit() == OnExit.AUTO_COMMIT) options.put("require_clean_exit", true);
        options.put("podman_seccomp", true); // the profile that lets podman contain the run without the precreate hook
        JsonValue branch = Json.read(client.createBranch(a.profile(), base.toString(), options.toString()), "CreateBranch");
        String id = Json.required(branch, "id", "CreateBranch answer");
        // null for a per-user puzzled's branches (rootless podman): the precreate hook mounts those from the
        // base annotation, and without the hook the container gets no view of the base at all
        JsonValue v = branch.get("podman_volume");
        String volume = v == null || v.isNull() ? null : Json.required(branch, "podman_volume", "CreateBranch answer");
        if (volume == null && !"userxattr".equals(branch.path("overlay").asText()))
            throw new Json.DaemonAnswerException("puzzled's CreateBranch answer has no \"podman_volume\" for a " + branch.path("overlay").asText() + " branch");
        SignalForwarder signals = env.signals();
        signals.branch(id);

        DirectContainment direct = DirectContainment.of(a, branch, volume, env.env());
        List<String> cmd = PodmanCommandLine.build(env.podman(), a, id, volume, base, profile, runtimeDirForHook, direct);
        if (signals.pending() != 0) return abandon(client, id, "interrupted before the container started", 128 + signals.pending());
        Process podman;
        try {
            podman = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            err.println("puzzle-podman: cannot run " + cmd.getFirst() + ": " + e.getMessage());
            return abandon(client, id, "podman could not be started", ExitCodes.NO_PODMAN);
        }
        signals.started(podman);
        int code = waitFor(podman);
        signals.exited();
        try {
            return afterExit(client, a, id, onExit, ask, code);
        } catch (ClientException e) {
            err.println("puzzle-podman: " + e.getMessage());
            err.println("puzzle-podman: the container exited with " + code + "; branch " + id
                    + " is kept undecided (puzzle-podman agent inspect " + id + ")");
            return e.unreachable() ? ExitCodes.UNREACHABLE : ExitCodes.DAEMON_ERROR;
        }
    }

    private int afterExit(HookSocketClient client, RunArguments a, String id, String onExit, boolean ask, int code)
            throws ClientException, Json.DaemonAnswerException {
        if (a.detached()) {
            if (code != 0) return abandon(client, id, "podman run -d failed with exit code " + code, code);
            err.println("puzzle-podman: branch " + id + " (profile " + a.profile() + ", on exit: " + onExit + ")");
            err.println("  follow it:     puzzle-podman agent inspect " + id);
            err.println("  its changes:   puzzle-podman agent diff " + id);
            err.println("  when it stops, puzzled starts the governance; a review is answered with");
            err.println("                 puzzle-podman agent approve " + id + "  |  puzzle-podman agent reject " + id);
            return ExitCodes.OK;
        }

        if (code != 0) hintIfNotAdmitted(client, id);
        Json.Obj event = new Json.Obj().put("reason", "stopped").put("exit_code", code);
        try {
            client.triggerGovernance(id, event.toString());
        } catch (ClientException e) {
            // Already triggered (an operator, or the daemon for a container without the wrapper's trigger annotation): wait for that decision.
            if (e.code() != ApiError.InvalidState) throw e;
            err.println("puzzle-podman: governance of branch " + id + " had already started (" + e.getMessage() + ")");
        }
        if (ask) return askPerson(client, id, code);
        return awaitDecision(client, id, code);
    }

    private int awaitDecision(HookSocketClient client, String id, int code) throws ClientException, Json.DaemonAnswerException {
        while (true) {
            JsonValue b = Json.read(client.waitBranch(id, WAIT_MS), "WaitBranch");
            if (b.path("decided").asBoolean(true)) return Outcome.reportBranch(b, code, err);
            err.println("puzzle-podman: still waiting for the decision on branch " + id + " (state " + Json.text(b, "state", "?") + ")");
        }
    }

    private int askPerson(HookSocketClient client, String id, int code) throws ClientException, Json.DaemonAnswerException {
        JsonValue diff = Json.read(client.diffBranch(id), "DiffBranch");
        err.println("puzzle-podman: the container exited with " + code + "; branch " + id + ": " + DiffText.summary(diff));
        while (true) {
            String answer = env.terminal().readLine("[c]ommit / [r]ollback / [i]nspect? ");
            if (answer == null) {
                err.println("puzzle-podman: no answer; branch " + id + " is held: puzzle-podman agent diff " + id
                        + ", then agent approve or reject");
                return ExitCodes.REVIEW_PENDING;
            }
            switch (answer.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "c", "commit" -> {
                    JsonValue d = Json.read(client.commitBranch(id), "CommitBranch");
                    return Outcome.reportDecision(d, id, null, code, err);
                }
                case "r", "rollback" -> {
                    JsonValue b = Json.read(client.rollbackBranch(id, "rolled back by the user at the prompt"), "RollbackBranch");
                    err.println("puzzle-podman: branch " + id + " rolled back (" + Json.text(b, "state", "?") + ")");
                    return ExitCodes.ROLLED_BACK;
                }
                case "i", "inspect" -> DiffText.print(diff, err);
                default -> err.println("answer c, r or i");
            }
        }
    }

    /**
     * A branch still ready after its container exited was never attached: puzzled refused the container at
     * admission (it was killed before its first exec) or it never started. Only the daemon knows why; say where.
     */
    private void hintIfNotAdmitted(HookSocketClient client, String id) {
        try {
            JsonValue b = Json.read(client.inspectBranch(id), "InspectBranch");
            if (!"ready".equals(Json.text(b, "state", ""))) return;
            err.println("puzzle-podman: puzzled never admitted the container to branch " + id + " (it did not start, or"
                    + " puzzled refused it); the reason is in puzzled's audit log: puzzlectl audit list --branch " + id
                    + " --type container.refused");
        } catch (ClientException | Json.DaemonAnswerException e) {
            // only a hint; the governance below reports the outcome either way
        }
    }

    /** Rolls back a branch whose container never ran, and returns {@code exit}. */
    private int abandon(HookSocketClient client, String id, String reason, int exit) {
        try {
            client.rollbackBranch(id, reason);
            err.println("puzzle-podman: " + reason + "; branch " + id + " rolled back");
        } catch (ClientException e) {
            err.println("puzzle-podman: " + reason + "; rolling back branch " + id + " failed: " + e.getMessage());
        }
        return exit;
    }

    /** A failure before the container started: nothing ran. */
    private int clientFailure(ClientException e) {
        err.println("puzzle-podman: " + e.getMessage());
        if (e.unreachable()) {
            err.println("puzzle-podman: the container was not started");
            return ExitCodes.UNREACHABLE;
        }
        return e.code() == ApiError.InvalidArgument || e.code() == ApiError.NotFound ? ExitCodes.USAGE : ExitCodes.DAEMON_ERROR;
    }

    /** This process's user-namespace map, for the socket's default place; null when unreadable. */
    private static String uidMap() {
        try {
            return Files.readString(Path.of("/proc/self/uid_map"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: the container's exit code is what governance needs
            }
        }
    }
}
