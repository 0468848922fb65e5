package org.lobstertrap.puzzlepod.daemon.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.daemon.gate.ContainerRef;
import org.lobstertrap.puzzlepod.daemon.gate.Decision;

import java.time.Instant;

/**
 * What the service records about a branch beyond the store's metadata.
 *
 * @param workspace        the container path the branch is mounted at
 * @param onExit           commit | rollback | hold: what TriggerGovernance does
 * @param requireClean     with on_exit=commit: a failed agent is rolled back
 * @param container        the attached container, or null
 * @param exitCode         the exit code the last trigger reported, or null
 * @param decision         the last decision, or null
 * @param reviewDigest     digest of the changeset under review, or null
 * @param reviewSince      when the branch became review-pending, or null
 */
record GovernanceRecord(String workspace, String onExit, boolean requireClean, ContainerRef container, Integer exitCode,
                        Decision decision, String reviewDigest, Instant reviewSince) {
    static GovernanceRecord of(String workspace, String onExit, boolean requireClean) {
        return new GovernanceRecord(workspace, onExit, requireClean, null, null, null, null, null);
    }

    GovernanceRecord withContainer(ContainerRef c) {
        return new GovernanceRecord(workspace, onExit, requireClean, c, exitCode, decision, reviewDigest, reviewSince);
    }

    GovernanceRecord withOnExit(String o) {
        return new GovernanceRecord(workspace, o, requireClean, container, exitCode, decision, reviewDigest, reviewSince);
    }

    GovernanceRecord withExitCode(Integer e) {
        return new GovernanceRecord(workspace, onExit, requireClean, container, e, decision, reviewDigest, reviewSince);
    }

    GovernanceRecord withDecision(Decision d) {
        return new GovernanceRecord(workspace, onExit, requireClean, container, exitCode, d, reviewDigest, reviewSince);
    }

    GovernanceRecord withReview(String digest, Instant since) {
        return new GovernanceRecord(workspace, onExit, requireClean, container, exitCode, decision, digest, since);
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("workspace", workspace);
        o.put("on_exit", onExit);
        o.put("require_clean_exit", requireClean);
        if (container == null) o.putNull("container");
        else o.putObject("container").put("container_id", container.containerId()).put("pid", container.pid())
                .put("cgroup", container.cgroup()).put("bundle", container.bundle());
        if (exitCode == null) o.putNull("exit_code"); else o.put("exit_code", exitCode.intValue());
        if (decision == null) o.putNull("decision"); else o.set("decision", decision.toJson());
        o.put("review_digest", reviewDigest);
        o.put("review_since", reviewSince == null ? null : reviewSince.toString());
        return o;
    }

    static GovernanceRecord fromJson(JsonNode o) {
        JsonNode c = o.path("container");
        ContainerRef container = c.isObject() ? new ContainerRef(c.path("container_id").asText(), c.path("pid").asInt(),
                c.path("cgroup").isTextual() ? c.path("cgroup").asText() : null, c.path("bundle").isTextual() ? c.path("bundle").asText() : null) : null;
        return new GovernanceRecord(o.path("workspace").asText("/workspace"), o.path("on_exit").asText("commit"),
                o.path("require_clean_exit").asBoolean(false), container,
                o.path("exit_code").isIntegralNumber() ? o.path("exit_code").asInt() : null,
                o.path("decision").isObject() ? Decision.fromJson(o.path("decision")) : null,
                o.path("review_digest").isTextual() ? o.path("review_digest").asText() : null,
                o.path("review_since").isTextual() ? Instant.parse(o.path("review_since").asText()) : null);
    }
}
