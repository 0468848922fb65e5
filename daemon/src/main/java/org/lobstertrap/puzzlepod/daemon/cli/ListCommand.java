package org.lobstertrap.puzzlepod.daemon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.daemon.branch.BranchMetadataJson;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List all branches, live and finished, oldest first.")
final class ListCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print a JSON array of branch records.")
    boolean json;

    @Override public void run() {
        List<BranchMetadata> all;
        try (BranchStore store = parent.openStore()) {
            all = store.list();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode array = new ObjectMapper().createArrayNode();
            for (BranchMetadata m : all) array.add(BranchMetadataJson.toTree(m));
            out.println(array.toPrettyString());
        } else {
            out.printf("%-24s %-14s %-12s %-6s %-24s %s%n", "ID", "STATE", "PROFILE", "OWNER", "EXPIRES", "BASE");
            for (BranchMetadata m : all) {
                out.printf("%-24s %-14s %-12s %-6d %-24s %s%n", m.id(), m.state(), m.profile(), m.ownerUid(),
                        m.expiresAt(), m.base() == null ? "-" : m.base());
            }
        }
        out.flush();
    }
}
