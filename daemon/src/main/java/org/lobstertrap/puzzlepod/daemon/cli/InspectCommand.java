package org.lobstertrap.puzzlepod.daemon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.daemon.branch.BranchMetadataJson;
import org.lobstertrap.puzzlepod.daemon.branch.BranchPaths;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a branch's record as JSON; live branches also show their upper and work dirs.")
final class InspectCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", converter = Converters.Id.class, description = "The branch id.")
    BranchId id;

    @Override public void run() {
        try (BranchStore store = parent.openStore()) {
            BranchMetadata m = store.get(id);
            ObjectNode tree = BranchMetadataJson.toTree(m);
            if (!m.state().isTerminal()) {
                BranchPaths p = store.paths(id);
                tree.put("upper", p.upper().toString());
                tree.put("work", p.work().toString());
                if (m.base() != null) tree.put("podman_volume", p.podmanVolume(m.base()));
            }
            spec.commandLine().getOut().println(tree.toPrettyString());
            spec.commandLine().getOut().flush();
        }
    }
}
