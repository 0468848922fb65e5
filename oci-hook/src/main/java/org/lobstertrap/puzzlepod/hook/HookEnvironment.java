package org.lobstertrap.puzzlepod.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/**
 * What a stage may use besides its stdin: the process environment, the caller's uid, and the way it
 * reaches puzzled.
 *
 * @param env the environment ({@code PUZZLEPOD_BUS} names the bus when no annotation does)
 * @param uid the uid the hook runs as (root talks to the system bus, anyone else to the session bus)
 * @param connector opens a client on a bus
 */
public record HookEnvironment(Map<String, String> env, int uid, Connector connector) {
    /** The environment variable that names the bus when the container's annotation does not. */
    public static final String BUS_VARIABLE = "PUZZLEPOD_BUS";

    public HookEnvironment {
        env = Map.copyOf(env);
        Objects.requireNonNull(connector, "connector");
    }

    /** Opens a client on a bus. */
    @FunctionalInterface
    public interface Connector {
        PuzzlePodClient connect(BusChoice bus) throws ClientException;
    }

    /** This process: its environment, its uid (from /proc/self/status), real D-Bus connections. */
    public static HookEnvironment ofThisProcess() {
        return new HookEnvironment(System.getenv(), currentUid(), PuzzlePodClient::connect);
    }

    /**
     * The bus: the container's {@code bus} annotation, else {@code PUZZLEPOD_BUS}, else the system bus for
     * uid 0 and the user's session bus for anyone else.
     */
    public BusChoice bus(Optional<String> annotation) throws HookException {
        String word = annotation.orElse(null);
        if (word == null) {
            String v = env.get(BUS_VARIABLE);
            if (v != null && !v.isEmpty()) word = GovernanceAnnotations.requireBus(BUS_VARIABLE, v);
        }
        if (word == null) word = uid == 0 ? "system" : "session";
        return switch (word) {
            case "system" -> BusChoice.system();
            case "session" -> session();
            default -> BusChoice.address(word);
        };
    }

    /**
     * The session bus. podman gives a hook only the environment its hooks.d file lists, so
     * {@code DBUS_SESSION_BUS_ADDRESS} is usually missing; the user's bus is then the standard socket
     * {@code $XDG_RUNTIME_DIR/bus}, i.e. {@code /run/user/UID/bus}.
     */
    private BusChoice session() {
        String address = env.get("DBUS_SESSION_BUS_ADDRESS");
        if (address != null && !address.isEmpty()) return BusChoice.session();
        String runtimeDir = env.getOrDefault("XDG_RUNTIME_DIR", "/run/user/" + uid);
        return BusChoice.address("unix:path=" + runtimeDir + "/bus");
    }

    /** The real uid of this process, from the "Uid:" line of /proc/self/status (no native call needed). */
    static int currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // fall through: without /proc the hook cannot tell, and the system bus is the safe default
        }
        return 0;
    }
}
