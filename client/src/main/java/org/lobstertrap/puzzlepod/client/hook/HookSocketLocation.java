package org.lobstertrap.puzzlepod.client.hook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where puzzled's hook socket ({@value #SOCKET_NAME}) is, seen from the process that wants to reach it:
 * <ol>
 *   <li>{@value #RUNTIME_DIR_VARIABLE} names the daemon's runtime directory (private stacks, tests);</li>
 *   <li>else root outside a user namespace reaches the root daemon in {@value #ROOT_RUNTIME_DIR};</li>
 *   <li>else the per-user daemon of the host uid U: {@code /run/user/U/puzzled}. Rootless podman runs the
 *       hooks inside the user's namespace as "root", so U comes from {@code /proc/self/uid_map}, not from
 *       the uid the process sees; outside a namespace {@code XDG_RUNTIME_DIR}, when set, is used instead of
 *       {@code /run/user/U} (the same place the per-user daemon picks).</li>
 * </ol>
 * The one rule for the hook and {@code puzzle-podman run}; nothing here loads D-Bus.
 */
public final class HookSocketLocation {
    /** The environment variable naming the daemon's runtime directory (the socket is in it). */
    public static final String RUNTIME_DIR_VARIABLE = "PUZZLEPOD_RUNTIME_DIR";
    /** The socket's file name in the runtime directory. */
    public static final String SOCKET_NAME = "hook.sock";
    /** The root daemon's runtime directory. */
    public static final String ROOT_RUNTIME_DIR = "/run/puzzled";

    private HookSocketLocation() {}

    /** The socket for this process: its environment, its uid and its {@code /proc/self/uid_map}. */
    public static Path ofThisProcess() {
        return of(System.getenv(), currentUid(), readUidMap());
    }

    /**
     * The socket for a process with environment {@code env}, uid {@code uid} (as the process sees it) and
     * user-namespace map {@code uidMap} (the text of {@code /proc/self/uid_map}; null when unreadable, taken
     * as no namespace).
     */
    public static Path of(Map<String, String> env, int uid, String uidMap) {
        String dir = env.get(RUNTIME_DIR_VARIABLE);
        if (dir != null && !dir.isBlank()) return Path.of(dir).resolve(SOCKET_NAME);
        boolean namespaced = uidMap != null && !isInitialNamespace(uidMap);
        long hostUid = namespaced ? hostUid(uidMap, uid).orElse(-1) : uid;
        if (hostUid == 0) return Path.of(ROOT_RUNTIME_DIR, SOCKET_NAME);
        if (hostUid < 0) {
            // an unmapped uid cannot be anyone's daemon; name the place the user's would be for the message
            return Path.of("/run/user/" + Integer.toUnsignedString(uid), "puzzled", SOCKET_NAME);
        }
        String xdg = env.get("XDG_RUNTIME_DIR");
        if (!namespaced && xdg != null && xdg.startsWith("/")) return Path.of(xdg, "puzzled", SOCKET_NAME);
        return Path.of("/run/user/" + hostUid, "puzzled", SOCKET_NAME);
    }

    /** The initial namespace maps every uid to itself: {@code 0 0 4294967295}. */
    static boolean isInitialNamespace(String uidMap) {
        String[] lines = uidMap.strip().split("\n");
        if (lines.length != 1) return false;
        String[] f = lines[0].strip().split("\\s+");
        return f.length == 3 && f[0].equals("0") && f[1].equals("0") && f[2].equals("4294967295");
    }

    /** The host uid of namespace uid {@code uid} by the map's lines {@code inside outside count}; empty when unmapped. */
    static OptionalLong hostUid(String uidMap, long uid) {
        for (String line : uidMap.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 3) continue;
            try {
                long inside = Long.parseLong(f[0]), outside = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
                if (uid >= inside && uid < inside + count) return OptionalLong.of(outside + (uid - inside));
            } catch (NumberFormatException e) {
                // not a map line; the kernel writes none such, so skip it
            }
        }
        return OptionalLong.empty();
    }

    private static String readUidMap() {
        try {
            return Files.readString(Path.of("/proc/self/uid_map"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The real uid of this process, from the "Uid:" line of /proc/self/status (no native call needed). */
    public static int currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // fall through: without /proc the process cannot tell, and root's socket is the fail-closed default
        }
        return 0;
    }
}
