package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Discard a branch: the base stays as it is. Rolling back a rolled-back branch succeeds",
            "and changes nothing; a committed branch cannot be rolled back."})
final class RollbackCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "The branch id.")
    BranchId id;

    @Override public void run() {
        try (BranchStore store = parent.openStore()) {
            BranchMetadata m = store.rollback(id);
            spec.commandLine().getOut().println("rolled back " + m.id());
            spec.commandLine().getOut().flush();
        }
    }
}
