package org.lobstertrap.puzzlepod.podman;

import java.util.List;
import java.util.Optional;

/**
 * The command line of {@code puzzle-podman run}, split into the wrapper's own options and what goes to
 * {@code podman run}. {@code podmanOptions} are the arguments before IMAGE exactly as given (a trailing
 * {@code --} included); {@code flags} is the same, read as flags for the checks.
 *
 * @param runtimeDir the {@code --runtime-dir} value (the daemon's runtime dir, whose hook socket the run uses), or
 *                empty for {@code PUZZLEPOD_RUNTIME_DIR} or the default place of the caller's uid
 * @param base    the {@code --base} value, or empty for the current directory
 */
public record RunArguments(
        boolean help,
        String profile,
        Optional<String> base,
        String workspace,
        OnExit onExit,
        Optional<String> runtimeDir,
        List<String> podmanOptions,
        List<PodmanFlag> flags,
        String image,
        List<String> command) {

    public static final String DEFAULT_PROFILE = "standard";

    public RunArguments {
        podmanOptions = List.copyOf(podmanOptions);
        flags = List.copyOf(flags);
        command = List.copyOf(command);
    }

    /** The flags with this long name, in order. */
    public List<PodmanFlag> flags(String name) {
        return flags.stream().filter(f -> f.name().equals(name)).toList();
    }

    /** Whether the user gave this podman flag at all. */
    public boolean has(String name) { return flags.stream().anyMatch(f -> f.name().equals(name)); }

    /** {@code -d}/{@code --detach}: podman returns as soon as the container runs. */
    public boolean detached() { return flags("detach").stream().reduce((a, b) -> b).map(PodmanFlag::on).orElse(false); }

    /** Whether the options end with {@code --} (then IMAGE follows it and injected options go before it). */
    public boolean endsWithDoubleDash() {
        return !podmanOptions.isEmpty() && podmanOptions.getLast().equals("--");
    }
}
