package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.time.Duration;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Discard a branch; the base stays as it is.",
            "Rolling back a rolled-back branch succeeds and changes nothing; a committed or committing",
            "branch cannot be rolled back.",
            "The branch is gone when the message is printed; its files are then deleted before the command",
            "exits, unless --no-wait leaves them to the next gc."})
final class RollbackCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "The branch id.")
    BranchId id;

    @Option(names = "--no-wait", description = "Exit without waiting for the branch's files to be deleted.")
    boolean noWait;

    @Override public void run() {
        BranchStore store = parent.openStore();
        try {
            BranchMetadata m = store.rollback(id);
            spec.commandLine().getOut().println("rolled back " + m.id());
            spec.commandLine().getOut().flush();
        } finally {
            store.close(noWait ? Duration.ZERO : Duration.ofMinutes(10));
        }
    }
}
