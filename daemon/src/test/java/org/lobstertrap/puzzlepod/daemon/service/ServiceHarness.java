package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.GovernanceEvents;
import org.lobstertrap.puzzlepod.daemon.commit.TreeHash;
import org.lobstertrap.puzzlepod.daemon.config.BusKind;
import org.lobstertrap.puzzlepod.daemon.config.DaemonConfig;
import org.lobstertrap.puzzlepod.daemon.config.ReviewConfig;
import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A governance service on temp dirs, with the repository's shipped policies and profiles copied in, and
 * a real kernel overlay mount standing in for the container that writes into a branch.
 */
final class ServiceHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Caller ROOT = new Caller(0, 0);
    static final Caller USER = new Caller(4242, 0);

    final Path dir;
    final Path base;
    final Path policies;
    final Path profiles;
    final DaemonConfig config;
    final Events events = new Events();
    GovernanceService service;

    /** Signals as "name id" plus their JSON. */
    static final class Events implements GovernanceEvents {
        final List<String> names = new CopyOnWriteArrayList<>();
        final List<String> payloads = new CopyOnWriteArrayList<>();

        private void add(String name, String id, String json) {
            names.add(name + " " + id);
            payloads.add(json);
        }

        @Override public void branchCreated(String id, String json) { add("BranchCreated", id, json); }
        @Override public void branchCommitted(String id, String json) { add("BranchCommitted", id, json); }
        @Override public void branchRolledBack(String id, String json) { add("BranchRolledBack", id, json); }
        @Override public void policyViolation(String id, String json) { add("PolicyViolation", id, json); }
        @Override public void reviewPending(String id, String json) { add("GovernanceReviewPending", id, json); }
    }

    ServiceHarness(Path dir, boolean review, Duration reviewTimeout) throws IOException {
        this.dir = dir;
        assertThat(dir.toString()).doesNotContain(",").doesNotContain(":");
        base = Files.createDirectories(dir.resolve("base"));
        policies = copy(Path.of("..", "policies"), dir.resolve("policies"), ".rego");
        profiles = copy(Path.of("..", "profiles"), dir.resolve("profiles"), ".yaml");
        config = new DaemonConfig(dir.resolve("branches"), profiles, policies, dir.resolve("run"), dir.resolve("audit/log"),
                BusKind.SYSTEM, 16, Duration.ofMinutes(1), new ReviewConfig(review, reviewTimeout), Duration.ofHours(1),
                Duration.ofSeconds(60), 50_000_000, new org.lobstertrap.puzzlepod.daemon.config.NetworkConfig(0, 0));
    }

    static ServiceHarness open(Path dir) throws Exception { return open(dir, false, Duration.ofHours(1)); }

    static ServiceHarness open(Path dir, boolean review, Duration reviewTimeout) throws Exception {
        ServiceHarness h = new ServiceHarness(dir, review, reviewTimeout);
        h.start();
        return h;
    }

    void start() throws Exception { service = GovernanceService.open(config, events, 0); }

    void restart() throws Exception {
        service.close();
        start();
    }

    private static Path copy(Path from, Path to, String suffix) throws IOException {
        assertThat(from).as("shipped " + from.getFileName() + " directory (tests run from the daemon module)").isDirectory();
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.filter(p -> p.toString().endsWith(suffix)).toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    JsonNode create(Caller c, String profile, String options) throws IOException {
        return JSON.readTree(service.createBranch(c, profile, base.toString(), options));
    }

    JsonNode inspect(String id) throws IOException { return JSON.readTree(service.inspectBranch(ROOT, id)); }

    JsonNode commit(String id) throws IOException { return JSON.readTree(service.commitBranch(ROOT, id)); }

    /** Mounts the branch's overlay (lower = base) on a fresh dir, runs {@code writes} on the merged view, unmounts. */
    void writeThrough(JsonNode branch, IoConsumer writes) throws Exception {
        Path mnt = Files.createTempDirectory(dir, "mnt");
        Shell.ok(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + base + ",upperdir=" + branch.get("upper").asText()
                + ",workdir=" + branch.get("work").asText(), mnt.toString()));
        try {
            writes.accept(mnt);
        } finally {
            Shell.ok(List.of("umount", mnt.toString()));
            Files.delete(mnt);
        }
    }

    @FunctionalInterface
    interface IoConsumer {
        void accept(Path merged) throws Exception;
    }

    TreeHash baseHash() throws Exception { return TreeHash.of(FileSyscalls.linux(), base); }

    JsonNode audit(String branch) throws IOException {
        return JSON.readTree(service.queryAuditEvents(ROOT, "{\"branch\":\"" + branch + "\"}")).get("events");
    }

    List<String> auditTypes(String branch) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        audit(branch).forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    static ApiError errorOf(Runnable call) {
        ApiException e = catchThrowableOfType(ApiException.class, call::run);
        assertThat(e).as("an ApiException").isNotNull();
        assertThat(e.getMessage()).as("message is for a person, short").isNotBlank().hasSizeLessThan(1200);
        return e.code();
    }

    /** Polls InspectBranch until the branch is in state (or fails after the timeout). */
    JsonNode awaitState(String id, String state, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode b;
        do {
            b = inspect(id);
            if (b.get("state").asText().equals(state)) {
                // the state is on disk first; WaitBranch returns once the run that set it has finished (audit, signals)
                return JSON.readTree(service.waitBranch(ROOT, id, timeout.toMillis()));
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        assertThat(b.get("state").asText()).as("state of " + id + " after " + timeout).isEqualTo(state);
        return b;
    }

    @Override public void close() {
        if (service != null) service.close();
    }
}
