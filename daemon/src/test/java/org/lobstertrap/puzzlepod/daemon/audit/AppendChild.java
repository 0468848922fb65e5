package org.lobstertrap.puzzlepod.daemon.audit;

import java.nio.file.Path;
import java.util.Map;

/** Child process for {@link AuditKillTest}: appends records (some large) until it is killed. */
public final class AppendChild {
    private AppendChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        AuditKey key = AuditKey.load(Path.of(args[1]));
        String big = "k".repeat(256 * 1024);
        try (AuditLog log = AuditLog.open(dir, key, java.time.Clock.systemUTC(), 4L << 20)) {
            for (long i = 0; ; i++) {
                log.append("network.decision", "child", 0L, Map.of("i", i, "pad", i % 5 == 0 ? big : "x"));
                if (i == 10) System.out.println("appending");
            }
        }
    }
}
