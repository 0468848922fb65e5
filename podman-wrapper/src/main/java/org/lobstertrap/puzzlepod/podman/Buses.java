package org.lobstertrap.puzzlepod.podman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.lobstertrap.puzzlepod.client.BusChoice;

/**
 * The {@code --bus} option of the {@code agent} subcommands: {@code system}, {@code session}, or a D-Bus
 * address ({@code unix:path=…}); without it {@code PUZZLEPOD_BUS} (as for puzzlectl), else the system bus for
 * root and the session bus for anyone else. ({@code run} uses the hook socket, not D-Bus.)
 */
final class Buses {
    private Buses() {}

    static BusChoice choose(Optional<String> option) throws UsageException {
        return choose(option, System.getenv());
    }

    static BusChoice choose(Optional<String> option, Map<String, String> env) throws UsageException {
        String fromEnv = env.get("PUZZLEPOD_BUS");
        if (option.isEmpty() && (fromEnv == null || fromEnv.isBlank())) return BusChoice.forUid(uid());
        String v = option.isPresent() ? option.get() : fromEnv.strip();
        return switch (v) {
            case "system" -> BusChoice.system();
            case "session" -> BusChoice.session();
            default -> {
                if (!v.contains(":")) throw new UsageException("--bus takes system, session or a D-Bus address like unix:path=/run/…/bus (got '" + RunArgumentParser.clip(v) + "')");
                yield BusChoice.address(v);
            }
        };
    }

    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
