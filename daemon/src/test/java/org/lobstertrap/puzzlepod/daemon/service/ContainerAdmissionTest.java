package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.Annotations;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.daemon.seccomp.InitExitWatcher;
import org.lobstertrap.puzzlepod.daemon.seccomp.RuncSeccompMessage;
import org.lobstertrap.puzzlepod.daemon.seccomp.SeccompMessageException;

/**
 * What the seccomp listener asks of the service for each container runc hands over: attach it for the uid
 * runc runs as (the D-Bus ownership rule), then trigger governance when its init exits, unless the
 * wrapper says it triggers. A real process stands in for the container's init.
 */
class ContainerAdmissionTest {
    @TempDir Path tmp;
    ServiceHarness h;
    Process init;

    @AfterEach
    void close() {
        if (init != null) init.destroyForcibly();
        if (h != null) h.close();
    }

    private RuncSeccompMessage message(String branch, String containerId, Map<String, String> annotations) {
        return new RuncSeccompMessage("1.0.2", (int) init.pid(), branch, containerId, "creating", "", annotations);
    }

    @Test
    void anotherUsersRuncIsRefusedAndTheRefusalAudited() throws Exception {
        h = ServiceHarness.open(tmp);
        h.create(ROOT, "standard", "{\"id\":\"roots\"}");
        init = new ProcessBuilder("sleep", "60").start();
        int pidfd = Processes.pidfdOpen((int) init.pid());
        try {
            assertThatThrownBy(() -> h.service.admitContainer(message("roots", "a".repeat(64), Map.of()), pidfd, 65534))
                    .isInstanceOfSatisfying(SeccompMessageException.class, e -> {
                        assertThat(e.code()).isEqualTo(SeccompMessageException.Code.NOT_ADMITTED);
                        assertThat(e.getMessage()).contains("AccessDenied").contains("belongs to another user");
                    });
        } finally {
            FileSyscalls.linux().close(pidfd); // on a refusal the listener keeps the pidfd (it kills the init through it)
        }
        assertThat(h.auditTypes("roots")).contains("container.refused").doesNotContain("branch.attached");
        assertThat(ServiceHarness.JSON.readTree(h.service.inspectBranch(ROOT, "roots")).path("state").asText()).isEqualTo("ready");
        assertThatThrownBy(() -> h.service.admitContainer(message("no-such-branch", "b".repeat(64), Map.of()),
                Processes.pidfdOpen((int) init.pid()), 0)).isInstanceOf(SeccompMessageException.class).hasMessageContaining("NotFound");
    }

    @Test
    void anAdmittedContainerIsAttachedAndGovernedWhenItsInitExits() throws Exception {
        h = ServiceHarness.open(tmp);
        h.service.initExits(new InitExitWatcher());
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"plain\"}");
        h.writeThrough(b, m -> Files.writeString(m.resolve("made.txt"), "made\n"));
        init = new ProcessBuilder("sleep", "60").start();
        h.service.admitContainer(message("plain", "c".repeat(64), Map.of()), Processes.pidfdOpen((int) init.pid()), 0);
        JsonNode attached = ServiceHarness.JSON.readTree(h.service.inspectBranch(ROOT, "plain"));
        assertThat(attached.path("state").asText()).isEqualTo("active");
        assertThat(attached.path("container_id").asText()).isEqualTo("c".repeat(64));
        assertThat(h.auditTypes("plain")).contains("branch.attached").doesNotContain("governance.triggered");

        init.destroyForcibly().waitFor();
        JsonNode decided = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "plain", 30_000));
        assertThat(decided.path("decided").asBoolean()).as(decided.toString()).isTrue();
        assertThat(decided.path("state").asText()).isEqualTo("committed");
        assertThat(h.base.resolve("made.txt")).hasContent("made");
        assertThat(h.auditTypes("plain")).contains("governance.triggered", "gate.decision");
    }

    @Test
    void whenTheWrapperTriggersTheDaemonLeavesTheTriggerToIt() throws Exception {
        h = ServiceHarness.open(tmp);
        h.service.initExits(new InitExitWatcher());
        h.create(ROOT, "standard", "{\"id\":\"wrapped\"}");
        init = new ProcessBuilder("sleep", "60").start();
        h.service.admitContainer(message("wrapped", "d".repeat(64), Map.of(Annotations.TRIGGER, Annotations.TRIGGER_WRAPPER)),
                Processes.pidfdOpen((int) init.pid()), 0);
        init.destroyForcibly().waitFor();
        JsonNode after = ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "wrapped", 1_500));
        assertThat(after.path("decided").asBoolean()).isFalse();
        assertThat(after.path("state").asText()).isEqualTo("active");
        assertThat(h.auditTypes("wrapped")).doesNotContain("governance.triggered");
        h.service.triggerGovernance(ROOT, "wrapped", "{\"reason\":\"stopped\",\"exit_code\":0}");
        assertThat(ServiceHarness.JSON.readTree(h.service.waitBranch(ROOT, "wrapped", 30_000)).path("state").asText()).isEqualTo("committed");
    }
}
