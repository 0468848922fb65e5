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
 * wrapper says it triggers; before that, its final spec must not expose the base writable outside the branch.
 * A real process stands in for the container's init and a bundle dir with a config.json for its spec.
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

    private RuncSeccompMessage message(String branch, String containerId, Map<String, String> annotations) throws Exception {
        return message(branch, containerId, annotations, bundle(branch, ""));
    }

    private RuncSeccompMessage message(String branch, String containerId, Map<String, String> annotations, Path bundle) {
        return new RuncSeccompMessage("1.0.2", (int) init.pid(), branch, containerId, "creating", bundle.toString(), annotations);
    }

    /**
     * A bundle dir whose config.json is shaped as podman writes it on the hookless path: the branch as an overlay
     * volume at /workspace, the usual kernel file systems, a read-only bind of the base (allowed), plus
     * {@code extraMounts} (JSON objects, comma-separated, may be empty).
     */
    private Path bundle(String branch, String extraMounts) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bundle-" + branch));
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        String upper = "", work = "";
        try {
            JsonNode b = h.inspect(branch);
            upper = b.path("upper").asText();
            work = b.path("work").asText();
        } catch (RuntimeException e) {
            // no such branch: the spec is never read
        }
        String base = h.base.toString();
        String spec = """
                {"ociVersion":"1.0.2-dev","root":{"path":"%s"},"mounts":[
                 {"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]},
                 {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
                 {"destination":"/workspace","type":"overlay","source":"overlay",
                  "options":["lowerdir=%s","upperdir=%s","workdir=%s","private"]},
                 {"destination":"/reference","type":"bind","source":"%s","options":["rbind","ro","private"]}%s]}
                """.formatted(rootfs, base, upper, work, base, extraMounts.isEmpty() ? "" : "," + extraMounts);
        Files.writeString(dir.resolve("config.json"), spec);
        return dir;
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
    void aSpecWithAWritableBindOfTheBaseIsRefusedBeforeTheAttach() throws Exception {
        h = ServiceHarness.open(tmp);
        h.create(ROOT, "standard", "{\"id\":\"exposed\"}");
        init = new ProcessBuilder("sleep", "60").start();
        Path bundle = bundle("exposed", "{\"destination\":\"/other\",\"type\":\"bind\",\"source\":\"" + h.base
                + "\",\"options\":[\"rbind\",\"rprivate\"]}");
        int pidfd = Processes.pidfdOpen((int) init.pid());
        try {
            assertThatThrownBy(() -> h.service.admitContainer(message("exposed", "e".repeat(64), Map.of(), bundle), pidfd, 0))
                    .isInstanceOfSatisfying(SeccompMessageException.class, e -> {
                        assertThat(e.code()).isEqualTo(SeccompMessageException.Code.NOT_ADMITTED);
                        assertThat(e.getMessage()).contains("AccessDenied").contains("outside its branch")
                                .contains("mount 4 binds \"" + h.base + "\" read-write at \"/other\"");
                    });
        } finally {
            FileSyscalls.linux().close(pidfd);
        }
        assertThat(h.auditTypes("exposed")).contains("container.refused").doesNotContain("branch.attached");
        assertThat(h.audit("exposed").toString()).contains("read-write at");
        assertThat(h.inspect("exposed").path("state").asText()).isEqualTo("ready");
    }

    @Test
    void anOverlayWritingIntoTheBaseOrAWorkspaceOverlayOfAnotherUpperIsRefused() throws Exception {
        h = ServiceHarness.open(tmp);
        h.create(ROOT, "standard", "{\"id\":\"upper\"}");
        init = new ProcessBuilder("sleep", "60").start();
        Path inside = Files.createDirectories(h.base.resolve("up"));
        Path bundle = bundle("upper", "{\"destination\":\"/cache\",\"type\":\"overlay\",\"source\":\"overlay\",\"options\":"
                + "[\"lowerdir=/usr\",\"upperdir=" + inside + "\",\"workdir=" + tmp + "\"]}");
        int pidfd = Processes.pidfdOpen((int) init.pid());
        try {
            assertThatThrownBy(() -> h.service.admitContainer(message("upper", "f".repeat(64), Map.of(), bundle), pidfd, 0))
                    .isInstanceOf(SeccompMessageException.class).hasMessageContaining("writes its overlay into \"" + inside + "\"");
        } finally {
            FileSyscalls.linux().close(pidfd);
        }
        assertThat(h.auditTypes("upper")).contains("container.refused").doesNotContain("branch.attached");
    }

    @Test
    void aMissingOrMalformedSpecRefusesTheContainer() throws Exception {
        h = ServiceHarness.open(tmp);
        h.create(ROOT, "standard", "{\"id\":\"nospec\"}");
        init = new ProcessBuilder("sleep", "60").start();
        Path bundle = bundle("nospec", "");
        int pidfd = Processes.pidfdOpen((int) init.pid());
        try {
            Files.delete(bundle.resolve("config.json"));
            assertThatThrownBy(() -> h.service.admitContainer(message("nospec", "1".repeat(64), Map.of(), bundle), pidfd, 0))
                    .isInstanceOf(SeccompMessageException.class).hasMessageContaining("InvalidArgument").hasMessageContaining("does not exist");
            Files.writeString(bundle.resolve("config.json"), "{\"mounts\":[");
            assertThatThrownBy(() -> h.service.admitContainer(message("nospec", "2".repeat(64), Map.of(), bundle), pidfd, 0))
                    .isInstanceOf(SeccompMessageException.class).hasMessageContaining("is not valid JSON");
            Files.writeString(bundle.resolve("config.json"), "{\"mounts\":{}}");
            assertThatThrownBy(() -> h.service.admitContainer(message("nospec", "3".repeat(64), Map.of(), bundle), pidfd, 0))
                    .isInstanceOf(SeccompMessageException.class).hasMessageContaining("\"mounts\" in the spec is not an array");
            Files.writeString(bundle.resolve("config.json"), " ".repeat(AdmittedSpec.MAX_BYTES + 1));
            assertThatThrownBy(() -> h.service.admitContainer(message("nospec", "4".repeat(64), Map.of(), bundle), pidfd, 0))
                    .isInstanceOf(SeccompMessageException.class).hasMessageContaining("is larger than");
            assertThatThrownBy(() -> h.service.admitContainer(
                    new RuncSeccompMessage("1.0.2", (int) init.pid(), "nospec", "5".repeat(64), "creating", "", Map.of()), pidfd, 0))
                    .isInstanceOf(SeccompMessageException.class).hasMessageContaining("named no bundle");
        } finally {
            FileSyscalls.linux().close(pidfd);
        }
        assertThat(h.auditTypes("nospec")).contains("container.refused").doesNotContain("branch.attached");
        assertThat(h.inspect("nospec").path("state").asText()).isEqualTo("ready");
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
