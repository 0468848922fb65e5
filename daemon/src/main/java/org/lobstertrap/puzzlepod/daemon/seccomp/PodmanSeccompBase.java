package org.lobstertrap.puzzlepod.daemon.seccomp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Podman's default seccomp profile (containers/common's JSON format), the one a plain {@code podman run}
 * gets: the base of the profile puzzled writes per branch for {@code puzzle-podman run}. Its path is
 * containers.conf's {@code seccomp_profile} (the {@code [containers]} table of the system files, the last
 * one setting it wins), else {@link #DEFAULT}. Read again whenever the file changes.
 */
public final class PodmanSeccompBase {
    /** containers/common's default profile path. */
    public static final Path DEFAULT = Path.of("/usr/share/containers/seccomp.json");
    /** The containers.conf files podman reads as root, in order (a drop-in dir's files sorted by name). */
    private static final List<Path> CONF = List.of(Path.of("/usr/share/containers/containers.conf"),
            Path.of("/etc/containers/containers.conf"));
    private static final Path CONF_D = Path.of("/etc/containers/containers.conf.d");
    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([A-Za-z0-9_.-]+)\\s*]\\s*(#.*)?$");
    private static final Pattern KEY = Pattern.compile("^\\s*seccomp_profile\\s*=\\s*(\"([^\"\\\\]*)\"|'([^']*)')\\s*(#.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private FileTime loadedAt;
    private ObjectNode loaded;

    /** The profile at {@code file}. */
    public PodmanSeccompBase(Path file) { this.file = file; }

    /** The profile containers.conf names for root's podman. */
    public static PodmanSeccompBase fromContainersConf() {
        List<Path> files = new ArrayList<>(CONF);
        if (Files.isDirectory(CONF_D)) {
            try (var s = Files.list(CONF_D)) {
                s.filter(p -> p.getFileName().toString().endsWith(".conf")).sorted().forEach(files::add);
            } catch (IOException e) {
                // an unreadable drop-in dir: podman would not start either; the default stands
            }
        }
        Path found = DEFAULT;
        for (Path f : files) {
            String v = seccompProfile(f);
            if (v != null) found = Path.of(v);
        }
        return new PodmanSeccompBase(found);
    }

    /** The {@code seccomp_profile} a containers.conf file sets in its {@code [containers]} table; null if none (or unreadable). */
    static String seccompProfile(Path conf) {
        List<String> lines;
        try {
            lines = Files.readAllLines(conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
        return seccompProfile(lines);
    }

    /** The {@code seccomp_profile} of a containers.conf text given as lines; null if it sets none. */
    public static String seccompProfile(List<String> lines) {
        String table = "", value = null;
        for (String line : lines) {
            Matcher t = TABLE.matcher(line);
            if (t.matches()) { table = t.group(1); continue; }
            if (!table.equals("containers")) continue;
            Matcher k = KEY.matcher(line);
            if (k.matches()) value = k.group(2) != null ? k.group(2) : k.group(3);
        }
        return value == null || value.isEmpty() ? null : value;
    }

    /** Where the profile is. */
    public Path file() { return file; }

    /** When the profile file was last changed; throws when it is not there. */
    public FileTime modified() throws IOException { return Files.getLastModifiedTime(file); }

    /** A fresh copy of the profile, to be changed by the caller; throws when it cannot be read or is not a JSON object. */
    public synchronized ObjectNode copy() throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        if (loaded == null || !mtime.equals(loadedAt)) {
            if (!(JSON.readTree(file.toFile()) instanceof ObjectNode o)) throw new IOException(file + " is not a JSON object");
            loaded = o;
            loadedAt = mtime;
        }
        return loaded.deepCopy();
    }
}
