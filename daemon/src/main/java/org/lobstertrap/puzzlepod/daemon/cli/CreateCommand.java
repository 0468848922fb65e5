package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.BranchMetadata;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;
import org.lobstertrap.puzzlepod.daemon.branch.BranchPaths;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.branch.NewBranch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a branch over a base directory.",
            "Prints its id, upper and work dirs and the podman volume argument that mounts it, e.g.:",
            "  podman run --rm -v BASE:/workspace:O,upperdir=UPPER,workdir=WORK IMAGE …"})
final class CreateCommand implements Runnable {
    @ParentCommand PuzzleBranchCli parent;
    @Spec CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "The workspace directory the branch overlays.")
    Path base;

    @Option(names = "--profile", defaultValue = "standard", paramLabel = "P",
            description = "Containment profile name (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--lifetime", defaultValue = "24h", paramLabel = "DURATION", converter = Converters.Lifetime.class,
            description = "How long the branch may live before gc rolls it back: 90s, 30m, 1h, 2d, 1h30m, PT1H (default: ${DEFAULT-VALUE}).")
    Duration lifetime;

    @Option(names = "--id", paramLabel = "ID", converter = Converters.Id.class,
            description = "Use this id instead of a generated one ([A-Za-z0-9_-], 1-64 characters).")
    BranchId id;

    @Option(names = "--overlay", defaultValue = "kernel", paramLabel = "FLAVOUR", converter = Converters.Overlay.class,
            description = "How the overlay will be mounted: kernel, kernel-userxattr or fuse (default: ${DEFAULT-VALUE}).")
    OverlayFlavour overlay;

    @Override public void run() {
        try (BranchStore store = parent.openStore()) {
            BranchMetadata m = store.create(new NewBranch(id, PuzzleBranchCli.currentUid(), profile, base, lifetime, overlay));
            BranchPaths p = store.paths(m.id());
            PrintWriter out = spec.commandLine().getOut();
            out.println("id: " + m.id());
            out.println("base: " + m.base());
            out.println("upper: " + p.upper());
            out.println("work: " + p.work());
            out.println("expires: " + m.expiresAt());
            out.println("podman: -v " + p.podmanVolume(m.base()));
            out.flush();
        }
    }
}
