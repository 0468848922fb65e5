package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A process's cgroup path as {@code /proc/PID/cgroup} names it. */
public final class ProcCgroups {
    private ProcCgroups() {}

    /**
     * The unified (v2) path if there is one, else systemd's v1 hierarchy, else the first line's; throws when
     * the file cannot be read or names no cgroup.
     */
    public static String of(Path proc, long pid) throws IOException {
        List<String> lines = Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"));
        String systemd = null, first = null;
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) return f[2];
            if (f[1].equals("name=systemd")) systemd = f[2];
            if (first == null) first = f[2];
        }
        if (systemd != null) return systemd;
        if (first != null) return first;
        throw new IOException("process " + pid + " is in no cgroup");
    }
}
