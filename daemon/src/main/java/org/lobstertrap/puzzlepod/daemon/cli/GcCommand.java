package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.branch.ExpiryReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Roll back expired branches and delete leftover trash.",
            "Expired means past its lifetime while ready, active, frozen or failed; committing and",
            "review-pending branches are never touched."})
final class GcCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Override public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (BranchStore store = parent.openStore()) {
            ExpiryReport report = store.sweepExpired();
            for (BranchMetadata m : report.rolledBack()) out.println("expired, rolled back: " + m.id() + " (expired " + m.expiresAt() + ")");
            for (BranchMetadata m : report.spared()) out.println("expired, left alone: " + m.id() + " (" + m.state() + ")");
            for (String f : report.failures()) out.println("could not roll back: " + f);
            List<String> trash = store.collectTrash();
            out.printf("%d rolled back, %d left alone, %d failures, %d trash entries deleted%n", report.rolledBack().size(),
                    report.spared().size(), report.failures().size(), trash.size());
        }
        out.flush();
    }
}
