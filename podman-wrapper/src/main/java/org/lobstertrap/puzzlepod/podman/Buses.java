package org.lobstertrap.puzzlepod.podman;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.lobstertrap.puzzlepod.client.BusChoice;

/**
 * The {@code --bus} option: {@code system}, {@code session}, or a D-Bus address ({@code unix:path=…}); without
 * it {@code PUZZLEPOD_BUS} (as for puzzlectl and the hooks), else the system bus for root and the session bus
 * for anyone else.
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

    /** The address the container's hooks should use to reach the same daemon, or null for their default. */
    static String forHooks(BusChoice bus, Map<String, String> env) {
        return switch (bus.kind()) {
            case SYSTEM -> null;
            case SESSION -> env.get("DBUS_SESSION_BUS_ADDRESS");
            case ADDRESS -> bus.address();
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
