package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trigger without an exit status (the poststop hook's) takes it from the service's exit-status source
 * (podman's died events in puzzled): require_clean_exit then decides on the real status.
 */
class ExitStatusSourceTest {
    @TempDir Path tmp;
    ServiceHarness h;

    @AfterEach void close() { if (h != null) h.close(); }

    /** Statuses by container id, as the conmon bridge would report them. */
    static final class Known implements GovernanceService.ExitStatuses {
        final Map<String, Integer> codes = new ConcurrentHashMap<>();
        volatile boolean closed;
        @Override public OptionalInt await(String id, Duration timeout) {
            Integer c = codes.get(id);
            return c == null ? OptionalInt.empty() : OptionalInt.of(c);
        }
        @Override public void close() { closed = true; }
    }

    /** A pid that has certainly exited, so the gate finds the container stopped. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private void attach(String id, String container) throws Exception {
        h.service.attachGovernance(ROOT, id, "{\"container_id\":\"" + container + "\",\"pid\":" + deadPid() + "}");
    }

    @Test void theStatusFromTheSourceDecides() throws Exception {
        h = ServiceHarness.open(tmp);
        Known known = new Known();
        h.service.exitStatuses(known);
        Files.writeString(h.base.resolve("README.md"), "hello\n");

        JsonNode failing = h.create(ROOT, "standard", "{\"id\":\"failing\",\"require_clean_exit\":true}");
        h.writeThrough(failing, m -> Files.writeString(m.resolve("half.txt"), "half\n"));
        attach("failing", "c".repeat(64));
        known.codes.put("c".repeat(64), 3);
        h.service.triggerGovernance(ROOT, "failing", "{\"reason\":\"stopped\"}");
        JsonNode w = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "failing", 30_000));
        assertThat(w.get("state").asText()).isEqualTo("rolled-back");
        assertThat(w.get("decision").get("exit_code").asInt()).isEqualTo(3);
        assertThat(w.get("decision").get("reason").asText()).contains("exit code 3");
        assertThat(h.base.resolve("half.txt")).doesNotExist();
        assertThat(h.auditTypes("failing")).contains("governance.exit-status");

        JsonNode clean = h.create(ROOT, "standard", "{\"id\":\"clean\",\"require_clean_exit\":true}");
        h.writeThrough(clean, m -> Files.writeString(m.resolve("done.txt"), "done\n"));
        attach("clean", "d".repeat(64));
        known.codes.put("d".repeat(64), 0);
        h.service.triggerGovernance(ROOT, "clean", "{\"reason\":\"stopped\"}");
        JsonNode w2 = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "clean", 30_000));
        assertThat(w2.get("state").asText()).isEqualTo("committed");
        assertThat(w2.get("decision").get("exit_code").asInt()).isZero();
        assertThat(h.base.resolve("done.txt")).hasContent("done");
    }

    @Test void noStatusAtAllIsNotAClean() throws Exception {
        h = ServiceHarness.open(tmp);
        Known known = new Known();
        h.service.exitStatuses(known);
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"silent\",\"require_clean_exit\":true}");
        h.writeThrough(b, m -> Files.writeString(m.resolve("x.txt"), "x\n"));
        attach("silent", "e".repeat(64));
        h.service.triggerGovernance(ROOT, "silent", "{\"reason\":\"stopped\"}");
        JsonNode w = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "silent", 30_000));
        assertThat(w.get("state").asText()).isEqualTo("rolled-back");
        assertThat(w.get("decision").get("reason").asText()).contains("exit status unknown");
        h.close();
        h = null;
        assertThat(known.closed).as("the service closes its exit-status source").isTrue();
    }
}
