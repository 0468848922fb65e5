package org.lobstertrap.puzzlepod.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.hook.HookSocketClient;
import org.lobstertrap.puzzlepod.client.hook.HookSocketLocation;

/**
 * What a stage may use besides its stdin: the process environment, the caller's uid and user-namespace
 * map, and the way it reaches puzzled (its hook socket, never D-Bus).
 *
 * @param env the environment ({@code PUZZLEPOD_RUNTIME_DIR} names the daemon's runtime dir when no annotation does)
 * @param uid the uid the hook runs as (as it sees it)
 * @param uidMap the text of {@code /proc/self/uid_map} (rootless podman runs hooks in the user's namespace); null if unreadable
 * @param connector opens a client on a socket
 */
public record HookEnvironment(Map<String, String> env, int uid, String uidMap, Connector connector) {
    public HookEnvironment {
        env = Map.copyOf(env);
        Objects.requireNonNull(connector, "connector");
    }

    /** Opens a client on the hook socket. */
    @FunctionalInterface
    public interface Connector {
        HookSocketClient connect(Path socket) throws ClientException;
    }

    /**
     * Real connections to the hook socket. One constant for every user, so that the AOT training run links the
     * same lambda a container start uses (a lambda the cache lacks is spun at run time, ~4 ms).
     */
    public static final Connector HOOK_SOCKET = HookSocketClient::connect;

    /** This process: its environment, uid and uid map, real socket connections. */
    public static HookEnvironment ofThisProcess() {
        return new HookEnvironment(System.getenv(), HookSocketLocation.currentUid(), readUidMap(), HOOK_SOCKET);
    }

    /**
     * The hook socket: in the runtime dir of the container's {@code runtime-dir} annotation, else where
     * {@link HookSocketLocation} says for this process.
     */
    public Path socket(Optional<String> runtimeDirAnnotation) {
        if (runtimeDirAnnotation.isPresent()) return Path.of(runtimeDirAnnotation.get()).resolve(HookSocketLocation.SOCKET_NAME);
        return HookSocketLocation.of(env, uid, uidMap);
    }

    private static String readUidMap() {
        try {
            return Files.readString(Path.of("/proc/self/uid_map"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
