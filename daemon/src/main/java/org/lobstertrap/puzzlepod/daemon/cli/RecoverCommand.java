package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.daemon.branch.BranchCommitFlow;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.branch.RecoveryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Repair the branch root after a crash or restart.",
            "Active/frozen branches become degraded; interrupted commits are completed or undone from the",
            "base's commit journal; corrupt metadata makes a branch failed; orphan dirs and leftover trash",
            "are removed (never committed)."})
final class RecoverCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Override public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (BranchStore store = parent.openStore()) {
            RecoveryReport r = store.recover();
            for (BranchMetadata m : r.degraded()) out.println("degraded: " + m.id() + " (" + m.failureReason() + ")");
            for (BranchMetadata m : r.corrupt()) out.println("failed (corrupt metadata): " + m.id() + " (" + m.failureReason() + ")");
            for (BranchMetadata m : r.missingDirs()) out.println("failed (dirs missing): " + m.id() + " (" + m.failureReason() + ")");
            for (String o : r.orphans()) out.println("orphan moved to trash: " + o);
            for (var id : r.finishedRetirements()) out.println("finished interrupted rollback/commit clean-up: " + id);
            for (String t : r.trashDeleted()) out.println("leftover trash deleted: " + t);
            for (String p : r.problems()) out.println("note: " + p);
            for (BranchCommitFlow.CommitRecovery c : BranchCommitFlow.onLinux(store).recoverCommits(r.awaitingCommitRecovery()))
                out.println("commit recovery: " + c.branch().id() + " -> " + c.branch().state() + " (" + c.outcome() + ")");
            out.println(r.summary());
        }
        out.flush();
    }
}
