package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "commit", mixinStandardHelpOptions = true,
        description = {"Commit a branch into its base, crash-safe.",
            "This tool evaluates no policy.",
            "The branch goes committing -> committed and its dirs are removed; on a refusal (e.g. the base",
            "changed underneath) it goes to failed with the reason and the base is unchanged."})
final class CommitCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "The branch id.")
    BranchId id;

    @Override public void run() {
        try (BranchStore store = parent.openStore()) {
            BranchCommitFlow.Committed done = BranchCommitFlow.onLinux(store).commit(id);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("committed %s into %s: %d changes, %d bytes%n", id, done.branch().base(),
                    done.diff().changeset().size(), done.diff().changeset().totalBytes());
            out.flush();
        }
    }
}
