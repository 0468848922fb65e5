package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Whether a host pid still names a container's init process, and not a later process that reuses the pid:
 * its cgroup path must name the container id (podman's {@code libpod-ID}, runc's own, systemd's scope all
 * carry it), and it must have started no earlier than the container's branch was made. Read from
 * {@code /proc}; open a pidfd first and check afterwards, so a signal through that pidfd reaches the
 * process that was checked.
 */
public final class ContainerInit {
    /** USER_HZ on Linux: /proc/PID/stat counts start times in 1/100 s. */
    private static final int TICKS_PER_SECOND = 100;
    /** btime is rounded to the second; the branch time and the process start are compared with this slack. */
    private static final long SLACK_SECONDS = 2;

    private ContainerInit() {}

    /**
     * Null when process {@code pid} is the init of container {@code containerId} (started at or after
     * {@code notBefore}); otherwise why not (for the log and the audit), including "gone" when there is no
     * such process.
     */
    public static String mismatch(int pid, String containerId, Instant notBefore) {
        String cgroup, stat;
        try {
            cgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup"), StandardCharsets.ISO_8859_1);
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "gone (" + e.getClass().getSimpleName() + ")";
        }
        if (containerId.isEmpty() || !cgroup.contains(containerId))
            return "pid " + pid + " is not in a cgroup of container " + containerId + " (" + cgroup.strip().lines().findFirst().orElse("") + ")";
        Instant started;
        try {
            started = startTime(stat);
        } catch (IOException | RuntimeException e) {
            return "pid " + pid + ": unreadable start time: " + e.getMessage();
        }
        if (started.isBefore(notBefore.minusSeconds(SLACK_SECONDS)))
            return "pid " + pid + " started at " + started + ", before its branch was made (" + notBefore + ")";
        return null;
    }

    /** The start time of the process whose {@code /proc/PID/stat} is {@code stat}. */
    static Instant startTime(String stat) throws IOException {
        // comm (field 2) may hold blanks and parentheses: the fields after it start after the LAST ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(f[19]); // field 22 overall
        long btime = -1;
        for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.ISO_8859_1))
            if (line.startsWith("btime ")) btime = Long.parseLong(line.substring(6).strip());
        if (btime < 0) throw new IOException("no btime in /proc/stat");
        return Instant.ofEpochSecond(btime + ticks / TICKS_PER_SECOND, (ticks % TICKS_PER_SECOND) * (1_000_000_000L / TICKS_PER_SECOND));
    }
}
