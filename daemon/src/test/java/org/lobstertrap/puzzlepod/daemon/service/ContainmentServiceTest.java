package org.lobstertrap.puzzlepod.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.service.ServiceHarness.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.daemon.main.SeccompContainment;
import org.lobstertrap.puzzlepod.daemon.seccomp.Decision;
import org.lobstertrap.puzzlepod.daemon.seccomp.ExecRequest;
import org.lobstertrap.puzzlepod.daemon.seccomp.GovernedContainer;
import org.lobstertrap.puzzlepod.daemon.seccomp.PodmanSeccompBase;
import org.lobstertrap.puzzlepod.daemon.seccomp.SyscallPolicy;

/**
 * The daemon's containment side without a container: CreateBranch writes the branch's read-only
 * puzzle-init rules; the seccomp listener is a 0600 socket in the runtime dir that Status and every branch
 * name; a container's syscall policy comes from its branch's profile; decisions are audited.
 */
class ContainmentServiceTest {
    @TempDir Path tmp;
    ServiceHarness h;

    @AfterEach void close() throws Exception { if (h != null) h.close(); }

    @Test
    void createBranchWritesReadOnlyShimRulesFromTheProfile() throws Exception {
        h = ServiceHarness.open(tmp);
        h.service.gatedProxy(new InetSocketAddress("10.88.0.1", 18080));
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"rules1\"}");
        Path rules = Path.of(b.get("shim_rules").asText());
        assertThat(rules).isEqualTo(h.config.runtimeDir().resolve("shim/rules1.rules")).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rules))).isEqualTo("r--r--r--");
        assertThat(Files.readString(rules)).contains("version 1\n", "require landlock\n", "write /workspace\n",
                "tcp-connect 80 443 53 18080\n", "# deny /etc/shadow: dropped");
        assertThat(b.get("seccomp_listener").isNull()).as("no listener started in this test").isTrue();

        JsonNode blocked = h.create(ROOT, "restricted", "{\"id\":\"rules2\",\"workspace\":\"/src\"}");
        assertThat(Files.readString(Path.of(blocked.get("shim_rules").asText()))).contains("tcp-connect none\n", "write /src\n");
    }

    @Test
    void rulesOfFinishedBranchesAreRemovedAtTheNextCreate() throws Exception {
        h = ServiceHarness.open(tmp);
        Path first = Path.of(h.create(ROOT, "restricted", "{\"id\":\"old1\"}").get("shim_rules").asText());
        h.service.rollbackBranch(ROOT, "old1", "done");
        assertThat(h.inspect("old1").get("shim_rules").isNull()).isTrue();
        Path second = Path.of(h.create(ROOT, "restricted", "{\"id\":\"new1\"}").get("shim_rules").asText());
        assertThat(first).doesNotExist();
        assertThat(second).exists();
    }

    @Test
    void listenerIsAPrivateSocketShownByStatusAndBranches() throws Exception {
        h = ServiceHarness.open(tmp);
        Path socket = SeccompContainment.start(h.service, h.config.runtimeDir(), 0);
        assertThat(socket).isEqualTo(h.config.runtimeDir().resolve("seccomp.sock"));
        assertThat(Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThat(ServiceHarness.JSON.readTree(h.service.status(ROOT)).get("seccomp_listener").asText()).isEqualTo(socket.toString());
        assertThat(h.create(ROOT, "standard", "{\"id\":\"l1\"}").get("seccomp_listener").asText()).isEqualTo(socket.toString());
        h.service.close();
        assertThat(socket).as("the socket goes with the service").doesNotExist();
    }

    @Test
    void policyComesFromTheBranchProfileAndDecisionsAreAudited() throws Exception {
        h = ServiceHarness.open(tmp);
        h.service.gatedProxy(new InetSocketAddress("10.88.0.1", 18080));
        h.create(ROOT, "standard", "{\"id\":\"pol1\"}");
        SyscallPolicy p = h.service.seccompPolicy(new GovernedContainer("c1", 1, "pol1"));
        assertThat(p).isNotNull();
        GovernedContainer c = new GovernedContainer("c1", 1, "pol1");
        assertThat(p.decideExec(c, new ExecRequest("/workspace/nsenter", "/workspace/nsenter", List.of("nsenter"), false, false)).allowed()).isFalse();
        assertThat(p.decideExec(c, new ExecRequest("/bin/sh", "/bin/sh", List.of("sh"), false, false)).allowed()).isTrue();

        assertThat(h.service.seccompPolicy(new GovernedContainer("c2", 1, "no-such-branch"))).isNull();
        assertThat(h.service.seccompPolicy(new GovernedContainer("c3", 1, "../etc"))).isNull();
        h.service.rollbackBranch(ROOT, "pol1", "test");
        assertThat(h.service.seccompPolicy(new GovernedContainer("c1", 1, "pol1"))).as("a finished branch gets no container").isNull();

        h.create(ROOT, "standard", "{\"id\":\"pol2\"}");
        h.service.seccompAuditSink().record(new Decision(Instant.now(), "c9", "pol2", 77, "execve", "/workspace/nsenter [nsenter]",
                false, "exec_denylist entry 'nsenter' matches /workspace/nsenter"));
        JsonNode found = null;
        for (int i = 0; i < 100 && found == null; i++) {
            for (JsonNode e : h.audit("pol2")) if (e.get("type").asText().equals("seccomp.decision")) found = e.get("data");
            if (found == null) Thread.sleep(20);
        }
        assertThat(found).as("seccomp.decision in the audit log").isNotNull();
        assertThat(found.get("allowed").asBoolean()).isFalse();
        assertThat(found.get("syscall").asText()).isEqualTo("execve");
        assertThat(found.get("container_id").asText()).isEqualTo("c9");
    }

    @Test
    void gatedProfileWithoutProxyGetsNoPolicy() throws Exception {
        h = ServiceHarness.open(tmp);
        h.create(ROOT, "standard", "{\"id\":\"np\"}");
        assertThat(h.service.seccompPolicy(new GovernedContainer("c", 1, "np"))).isNull();
        assertThat(h.create(ROOT, "restricted", "{\"id\":\"bl\"}")).isNotNull();
        assertThat(h.service.seccompPolicy(new GovernedContainer("c", 1, "bl"))).isNotNull();
    }

    @Test
    void createBranchWritesAPodmanSeccompProfileWithTheListenerAndTheBranchId() throws Exception {
        h = ServiceHarness.open(tmp);
        Path base = Files.writeString(tmp.resolve("podman-seccomp.json"), """
                {"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","execve","clone","ptrace"],"action":"SCMP_ACT_ALLOW",
                 "includes":{},"excludes":{}}]}""");
        h.service.podmanSeccompBase(new PodmanSeccompBase(base));
        assertThat(h.create(ROOT, "standard", "{\"id\":\"nolisten\",\"podman_seccomp\":true}").get("seccomp_profile").isNull())
                .as("without a listener the hook does the work").isTrue();

        Path socket = SeccompContainment.start(h.service, h.config.runtimeDir(), 0);
        assertThat(h.create(ROOT, "standard", "{\"id\":\"hook\"}").get("seccomp_profile").isNull())
                .as("not asked for: the precreate hook's branches need no file").isTrue();
        JsonNode b = h.create(ROOT, "standard", "{\"id\":\"sp1\",\"podman_seccomp\":true}");
        Path profile = Path.of(b.get("seccomp_profile").asText());
        assertThat(profile).isEqualTo(h.config.runtimeDir().resolve("seccomp/sp1.json")).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(profile))).isEqualTo("r--r--r--");
        JsonNode p = ServiceHarness.JSON.readTree(profile.toFile());
        assertThat(p.get("listenerPath").asText()).isEqualTo(socket.toString());
        assertThat(p.get("listenerMetadata").asText()).isEqualTo("sp1");
        assertThat(p.get("syscalls").get(0).get("names").toString()).isEqualTo("[\"read\"]");
        assertThat(p.get("syscalls").toString()).contains("SCMP_ACT_NOTIFY", "\"errnoRet\":38");
        assertThat(h.inspect("sp1").get("seccomp_profile").asText()).isEqualTo(profile.toString());

        h.service.rollbackBranch(ROOT, "sp1", "done");
        assertThat(h.inspect("sp1").get("seccomp_profile").isNull()).isTrue();
        Path second = Path.of(h.create(ROOT, "standard", "{\"id\":\"sp2\",\"podman_seccomp\":true}").get("seccomp_profile").asText());
        assertThat(profile).as("pruned with its branch at the next create").doesNotExist();
        JsonNode p2 = ServiceHarness.JSON.readTree(second.toFile());
        assertThat(p2.get("listenerMetadata").asText()).as("each branch's own id").isEqualTo("sp2");
        assertThat(((com.fasterxml.jackson.databind.node.ObjectNode) p2.deepCopy()).put("listenerMetadata", "sp1")).isEqualTo(p);

        h.service.podmanSeccompBase(new PodmanSeccompBase(tmp.resolve("missing.json")));
        assertThat(h.create(ROOT, "standard", "{\"id\":\"sp3\",\"podman_seccomp\":true}").get("seccomp_profile").isNull())
                .as("an unreadable base profile leaves the run to the hook").isTrue();
    }

    @Test
    void podmansProfilePathIsContainersConfsSeccompProfileInTheContainersTable() {
        assertThat(PodmanSeccompBase.seccompProfile(List.of("[engine]", "seccomp_profile = \"/no\"", "[containers]",
                "# seccomp_profile = \"/commented\"", "seccomp_profile = \"/etc/my-seccomp.json\"  # ours", "[network]"))).isEqualTo("/etc/my-seccomp.json");
        assertThat(PodmanSeccompBase.seccompProfile(List.of("[containers]", "seccomp_profile='/x.json'"))).isEqualTo("/x.json");
        assertThat(PodmanSeccompBase.seccompProfile(List.of("[containers]", "#seccomp_profile = \"/usr/share/containers/seccomp.json\""))).isNull();
    }
}
