package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangesetJson;
import org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.diff.DiffResult;
import org.lobstertrap.puzzlepod.daemon.diff.SkippedEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Show what a branch changed relative to its base.",
            "The branch's container should be stopped.",
            "Entries no changeset can carry (sockets) are listed on stderr as skipped."})
final class DiffCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "The branch id.")
    BranchId id;

    @Option(names = "--json", description = "Print the changeset as JSON (the policy-input form).")
    boolean json;

    @Override public void run() {
        DiffResult result;
        try (BranchStore store = parent.openStore()) {
            result = BranchCommitFlow.onLinux(store).diff(id);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ChangesetJson.toJson(result.changeset()));
        } else {
            for (Change c : result.changeset().changes()) {
                out.printf("%-15s %s%s%n", c.kind(), c.path().display(), c.directory() ? "/" : "");
            }
            out.printf("%d changes, %d bytes%n", result.changeset().size(), result.changeset().totalBytes());
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        for (SkippedEntry s : result.skipped()) err.println("skipped: " + s.path().display() + " (" + s.reason() + ")");
        err.flush();
    }
}
