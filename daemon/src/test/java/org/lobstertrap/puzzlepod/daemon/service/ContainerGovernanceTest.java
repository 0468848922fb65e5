package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.JSON;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.daemon.gate.Quiescer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** A governance decision on a running "container" (a real process in a fresh cgroup) freezes and ends it first. */
class ContainerGovernanceTest {
    @TempDir Path tmp;
    ServiceHarness h;
    Process agent;
    Path cgroup;

    @AfterEach void cleanUp() throws Exception {
        if (h != null) h.close();
        if (agent != null) {
            agent.destroyForcibly();
            agent.waitFor(10, TimeUnit.SECONDS);
        }
        for (int i = 0; cgroup != null && i < 100 && Files.exists(cgroup); i++) {
            try {
                Files.delete(cgroup);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
    }

    @Test void commitOfARunningContainerFreezesAndKillsItFirst() throws Exception {
        h = ServiceHarness.open(tmp);
        Quiescer.CgroupMounts mounts = Quiescer.CgroupMounts.detect();
        if (mounts.unified() == null) fail("no cgroup2 mount on this machine");
        cgroup = mounts.unified().resolve("puzzlepod-agent-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.createDirectory(cgroup);
        agent = new ProcessBuilder("sleep", "600").start();
        Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(agent.pid()));

        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"running\"}");
        h.writeThrough(b, m -> Files.writeString(m.resolve("out.txt"), "result\n"));
        JsonNode att = JSON.readTree(h.service.attachGovernance(ROOT, "running",
                "{\"container_id\":\"ctr-1\",\"pid\":" + agent.pid() + ",\"cgroup\":\"/" + mounts.unified().relativize(cgroup) + "\"}"));
        assertThat(att.get("state").asText()).isEqualTo("active");
        assertThat(att.get("container_id").asText()).isEqualTo("ctr-1");
        assertThat(att.get("pid").asLong()).isEqualTo(agent.pid());

        h.service.triggerGovernance(ROOT, "running", "{\"reason\":\"manual\"}");
        JsonNode w = JSON.readTree(h.service.waitBranch(ROOT, "running", 60_000));
        assertThat(w.get("decided").asBoolean()).isTrue();
        assertThat(w.get("state").asText()).isEqualTo("committed");
        assertThat(agent.waitFor(10, TimeUnit.SECONDS)).as("the agent was ended before the commit").isTrue();
        assertThat(h.base.resolve("out.txt")).hasContent("result");
        assertThat(h.auditTypes("running")).contains("branch.attached", "governance.triggered", "gate.decision", "branch.committed");
    }
}
