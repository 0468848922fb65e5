package org.lobstertrap.puzzlepod.quadlet;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of this checkout that the tests read: the shipped units, hooks, profiles, policies and bus policy. */
final class RepoFiles {
    private RepoFiles() {}

    /** The checkout's root: the parent of this module's directory (surefire runs in the module). */
    static Path root() {
        Path module = Path.of("").toAbsolutePath();
        Path root = module.getParent();
        if (root == null || !Files.isDirectory(root.resolve("quadlets")) || !Files.isDirectory(root.resolve("hooks.d"))) {
            throw new IllegalStateException("cannot find the checkout's quadlets/ and hooks.d/ above " + module);
        }
        return root;
    }

    static Path quadlets() { return root().resolve("quadlets"); }

    static Path systemdUnits() { return root().resolve("daemon/src/main/resources/systemd"); }
}
