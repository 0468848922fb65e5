package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code puzzle-branch}: a developer tool for the branch core on one machine, without the daemon.
 * It creates, inspects, diffs, commits and rolls back branches in a branch root.
 */
@Command(name = "puzzle-branch", mixinStandardHelpOptions = true, version = "puzzle-branch 0.1.0",
        description = {
            "Developer tool for PuzzlePod branches on this machine (no daemon needed).",
            "A branch is an overlay upper dir over a base workspace: the agent's writes land in the branch, "
                    + "the base stays untouched until the branch is committed; a rollback discards the branch."},
        subcommands = {CreateCommand.class, ListCommand.class, InspectCommand.class, DiffCommand.class,
            CommitCommand.class, RollbackCommand.class, RecoverCommand.class, GcCommand.class,
            CompletionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:internal error (a bug; see the message)",
            "2:bad usage: unknown option, invalid branch id, lifetime or overlay flavour",
            "3:no such branch",
            "4:refused: illegal state change, id already used, branch already finished",
            "5:branch root or base directory unusable, or another I/O failure",
            "6:diff or commit failed (the branch is marked failed; the base is unchanged)"})
public final class PuzzleBranchCli implements Runnable {
    /** The branch root used by root when {@code --root} is not given. */
    public static final String SYSTEM_ROOT = "/var/lib/puzzled/branches";

    @Spec CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Branch root (default: " + SYSTEM_ROOT + " as root, ~/.local/state/puzzled/branches otherwise).")
    Path root;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** The command line with this tool's error handling; callers may redirect its out and err. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PuzzleBranchCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof BranchException be) {
                err.println("puzzle-branch: " + be.getMessage() + " [" + be.code() + "]");
                err.flush();
                return ExitCodes.of(be);
            }
            if (e instanceof IOException io) {
                err.println("puzzle-branch: " + io.getMessage() + " [io]");
                err.flush();
                return ExitCodes.UNUSABLE;
            }
            err.println("puzzle-branch: internal error: " + e);
            e.printStackTrace(err);
            err.flush();
            return ExitCodes.INTERNAL;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Opens the branch store at {@code --root} (or the default). */
    BranchStore openStore() {
        return BranchStore.open(effectiveRoot());
    }

    Path effectiveRoot() {
        if (root != null) return root;
        if (currentUid() == 0) return Path.of(SYSTEM_ROOT);
        return Path.of(System.getProperty("user.home"), ".local", "state", "puzzled", "branches");
    }

    /** The uid of this process (the owner recorded for branches it creates). */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read this process's uid from /proc/self: " + e.getMessage(), e);
        }
    }
}
