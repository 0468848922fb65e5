package org.lobstertrap.puzzlepod.daemon.seccomp;

import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;
import org.lobstertrap.puzzlepod.daemon.testsupport.Shell.Outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor behind real podman + runc: podman's default seccomp profile with execve, execveat and
 * connect turned into SCMP_ACT_NOTIFY and a listener path pointing at a socket of this JVM.
 */
@Tag("slow")
class PodmanSeccompTest {
    private static final String IMAGE = "localhost/puzzlepod-test:latest";
    private static final Path DEFAULT_PROFILE = Path.of("/usr/share/containers/seccomp.json");
    private static final List<String> SUPERVISED = List.of("execve", "execveat", "connect");
    @TempDir Path tmp;
    private Path socket, profile;


    @BeforeEach
    void writeProfile() throws IOException {
        if (!Files.isRegularFile(DEFAULT_PROFILE))
            fail("podman's default seccomp profile " + DEFAULT_PROFILE + " is missing (package golang-github-containers-common)");
        Outcome image = Shell.run(List.of("podman", "image", "exists", IMAGE));
        if (image.exit() != 0) fail("the test image " + IMAGE + " is missing; build it with .ci/setup-machine.sh");
        socket = tmp.resolve("seccomp.sock");
        profile = tmp.resolve("profile.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode p = (ObjectNode) json.readTree(DEFAULT_PROFILE.toFile());
        ArrayNode kept = json.createArrayNode();
        for (JsonNode rule : p.withArray("syscalls")) {
            ArrayNode names = json.createArrayNode();
            rule.path("names").forEach(n -> { if (!SUPERVISED.contains(n.asText())) names.add(n); });
            if (names.isEmpty()) continue;
            ((ObjectNode) rule).set("names", names);
            kept.add(rule);
        }
        ObjectNode notify = kept.addObject();
        SUPERVISED.forEach(notify.putArray("names")::add);
        notify.put("action", "SCMP_ACT_NOTIFY");
        p.set("syscalls", kept);
        p.put("listenerPath", socket.toString());
        p.put("listenerMetadata", "branch-x");
        json.writeValue(profile.toFile(), p);
    }

    private Outcome podman(String cidFile, String script) {
        List<String> cmd = new ArrayList<>(List.of("podman", "run", "--rm", "--security-opt", "seccomp=" + profile));
        if (cidFile != null) cmd.addAll(List.of("--cidfile", cidFile));
        cmd.addAll(List.of(IMAGE, "sh", "-c", script));
        return Shell.run(cmd);
    }

    @Test
    void supervisorAllowsDeniesAndRecordsContainerAndBranch() throws Exception {
        InMemoryDecisionSink sink = new InMemoryDecisionSink(10_000);
        StandardSyscallPolicy policy = new StandardSyscallPolicy(new ExecRules(List.of(), List.of("wget")),
                NetworkMode.BLOCKED, null);
        Path cid = tmp.resolve("cid");
        try (SeccompSupervisor supervisor = new SeccompSupervisor(sink, Clock.systemUTC());
             SeccompListenerSocket listener = SeccompListenerSocket.start(socket, supervisor, c -> policy)) {
            Outcome cat = podman(cid.toString(), "cat /etc/hostname && echo cat-ok");
            assertThat(cat.output()).as(cat.toString()).contains("cat-ok");
            assertThat(cat.exit()).isZero();
            String containerId = Files.readString(cid).strip();

            Outcome wget = podman(null, "wget -q -O- http://127.0.0.1:1/; echo wget-exit=$?");
            assertThat(wget.output()).as(wget.toString()).contains("Operation not permitted").contains("wget-exit=12");

            Outcome nc = podman(null, "nc 192.0.2.1 81 </dev/null; echo nc-exit=$?; nc 127.0.0.1 81 </dev/null; echo lo-exit=$?");
            assertThat(nc.output()).as(nc.toString()).contains("Operation not permitted").contains("nc-exit=1")
                    .as("loopback passes the supervisor and reaches the (closed) port").contains("Connection refused");
            await(() -> listener.acceptedCount() == 3 && supervisor.heldContainerIds().isEmpty(),
                    "three containers supervised and dropped after they exited");
        }
        List<Decision> all = sink.decisions();
        assertThat(all).allSatisfy(d -> assertThat(d.branchId()).isEqualTo("branch-x"));
        assertThat(all).anySatisfy(d -> {
            assertThat(d.containerId()).isEqualTo(containerId(cid));
            assertThat(d.reason()).isEqualTo("the container's first exec");
            assertThat(d.allowed()).isTrue();
        });
        assertThat(all).anySatisfy(d -> {
            assertThat(d.syscall()).startsWith("exec");
            assertThat(d.subject()).contains("wget");
            assertThat(d.allowed()).isFalse();
        });
        assertThat(all).anySatisfy(d -> {
            assertThat(d.syscall()).isEqualTo("connect");
            assertThat(d.subject()).isEqualTo("192.0.2.1:81");
            assertThat(d.allowed()).isFalse();
        });
        assertThat(all).anySatisfy(d -> {
            assertThat(d.syscall()).isEqualTo("connect");
            assertThat(d.subject()).isEqualTo("127.0.0.1:81");
            assertThat(d.allowed()).isTrue();
        });
    }

    @Test
    void gatedAllowsTheSteeredPortsAnywhereAndNothingElse() throws Exception {
        InMemoryDecisionSink sink = new InMemoryDecisionSink(10_000);
        StandardSyscallPolicy policy = new StandardSyscallPolicy(new ExecRules(List.of(), List.of()), NetworkMode.GATED,
                new java.net.InetSocketAddress("10.88.0.1", 18080));
        try (SeccompSupervisor supervisor = new SeccompSupervisor(sink, Clock.systemUTC());
             SeccompListenerSocket listener = SeccompListenerSocket.start(socket, supervisor, c -> policy)) {
            Outcome nc = podman(null, "nc -w 2 192.0.2.1 81 </dev/null; echo other-exit=$?; nc -w 2 192.0.2.1 80 </dev/null; echo web-exit=$?");
            assertThat(nc.output()).as(nc.toString()).contains("other-exit=1").contains("web-exit=");
            // only the port-81 connect is refused by the supervisor; port 80 goes out (where nftables would steer it)
            assertThat(nc.output().split("Operation not permitted", -1)).as(nc.toString()).hasSize(2);
        }
        assertThat(sink.decisions()).anySatisfy(d -> {
            assertThat(d.subject()).isEqualTo("192.0.2.1:80");
            assertThat(d.allowed()).isTrue();
            assertThat(d.reason()).isEqualTo("gated: port 80 is steered to the proxy: 192.0.2.1:80");
        });
        assertThat(sink.decisions()).anySatisfy(d -> {
            assertThat(d.subject()).isEqualTo("192.0.2.1:81");
            assertThat(d.allowed()).isFalse();
        });
    }

    private static String containerId(Path cid) {
        try { return Files.readString(cid).strip(); } catch (IOException e) { throw new AssertionError(e); }
    }

    @Test
    void withoutTheDaemonListeningRuncRefusesToCreateTheContainer() {
        Outcome o = podman(null, "echo ran");
        assertThat(o.exit()).as(o.toString()).isNotZero();
        assertThat(o.output()).contains("seccomp agent").doesNotContain("ran\n");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) Thread.sleep(50);
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
