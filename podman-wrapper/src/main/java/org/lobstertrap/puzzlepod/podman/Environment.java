package org.lobstertrap.puzzlepod.podman;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a command runs with: its output streams, the terminal, the podman executable, the current
 * directory and the environment variables. {@link #system} is the real process's.
 */
record Environment(PrintStream out, PrintStream err, Terminal terminal, List<String> podman, Path cwd,
                   Map<String, String> env, SignalForwarder signals) {

    /** The process's own; podman from {@code PUZZLEPOD_PODMAN} or {@code podman} on the PATH. */
    static Environment system() {
        Map<String, String> env = System.getenv();
        String podman = env.getOrDefault("PUZZLEPOD_PODMAN", "podman");
        return new Environment(System.out, System.err, Terminal.system(), List.of(podman),
                Path.of("").toAbsolutePath(), env, new SignalForwarder(System.err));
    }
}
