package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Map;
import org.lobstertrap.puzzlepod.client.ClientException;
import picocli.CommandLine.Command;

/** {@code puzzlectl status}: what the daemon is doing. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the daemon's version, branches per state, policy, profiles, review and gate.")
final class StatusCommand extends DaemonCommand {
    @Override int run() throws ClientException {
        show(daemon().status(), StatusCommand::print);
        return ExitCodes.OK;
    }

    static void print(JsonNode s, PrintWriter out) {
        out.println("puzzled " + Json.text(s, "version") + " (uid " + Json.text(s, "daemon_uid") + ", "
                + Json.text(s, "bus") + " bus), up " + uptime(s.path("uptime_seconds").asLong(0)));
        JsonNode b = s.path("branches");
        java.util.List<String> perState = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            if (!e.getKey().equals("total") && e.getValue().asLong(0) != 0) perState.add(e.getKey() + " " + e.getValue().asText());
        }
        out.println("branches: " + Json.text(b, "total") + " of at most " + Json.text(s, "max_branches")
                + (perState.isEmpty() ? "" : " (" + String.join(", ", perState) + ")"));
        JsonNode p = s.path("policy");
        if (p.path("loaded").asBoolean(false)) {
            out.println("policy: loaded, digest " + Json.text(p, "digest") + ", " + p.path("modules").size()
                    + " modules, at " + Json.text(p, "loaded_at"));
        } else {
            out.println("policy: NOT LOADED");
        }
        if (!Json.text(p, "error").equals("-")) out.println("policy error: " + Json.text(p, "error"));
        out.println("profiles: " + Json.text(s, "profiles"));
        JsonNode r = s.path("review");
        out.println("review: " + (r.path("enabled").asBoolean(false)
                ? "enabled, timeout " + Json.text(r, "timeout_seconds") + " s" : "disabled"));
        JsonNode g = s.path("gate");
        out.println("gate: " + Json.text(g, "running") + " running, " + Json.text(g, "queued") + " queued, "
                + Json.text(g, "decisions") + " decisions");
        out.println("seccomp listener: " + Json.text(s, "seccomp_listener"));
    }

    /** "3d 4h 5m", "2h 0m", "42s". */
    static String uptime(long seconds) {
        if (seconds < 60) return seconds + "s";
        long d = seconds / 86_400, h = seconds % 86_400 / 3600, m = seconds % 3600 / 60;
        return (d > 0 ? d + "d " : "") + (d > 0 || h > 0 ? h + "h " : "") + m + "m";
    }
}
