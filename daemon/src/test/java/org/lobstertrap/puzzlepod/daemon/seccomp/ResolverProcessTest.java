package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.linux.Processes;

/**
 * The daemon's side of the exec path resolver: the real {@code puzzle-init --resolve-in-root} (this build's),
 * stand-ins that die, hang or answer garbage (each must resolve nothing and be killed), the sharing per user
 * namespace, and the supervisor failing closed when its resolver is gone.
 */
class ResolverProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static Path shim;
    private static final int SELF = (int) ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @BeforeAll
    static void findShim() {
        shim = Path.of("..", "init-shim", "target", "puzzle-init").toAbsolutePath().normalize();
        if (!Files.isExecutable(shim))
            fail("puzzle-init is missing at " + shim + "; build it through the reactor (mvn -pl daemon -am …)");
    }

    /** dir/bin/busybox and dir/bin/sh -> busybox (a relative link: this process's root is the host's). */
    private Path tree() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(bin.resolve("busybox"), "");
        Files.createSymbolicLink(bin.resolve("sh"), Path.of("busybox"));
        return bin.toRealPath();
    }

    @Test
    void theShimResolvesLikeTheDaemonItself() throws Exception {
        Path bin = tree();
        try (ResolverProcess r = ResolverProcess.start(shim, SELF, TIMEOUT)) {
            for (String p : List.of(bin + "/sh", bin + "/busybox", bin + "/../bin/./sh", bin.toString(), "/", bin + "/missing",
                    bin + "/busybox/not-a-dir", bin + "/two\nlines")) {
                assertThat(r.resolve(SELF, p)).as(p).isEqualTo(RootResolver.direct().resolve(SELF, p));
            }
            assertThat(r.resolve(SELF, bin + "/sh")).isEqualTo(bin + "/busybox");
            assertThat(r.resolveExec(SELF, bin + "/sh")).containsExactly(bin + "/busybox", bin.toString());
            assertThat(r.resolve(SELF, bin + "/missing")).isNull();
            assertThat(r.resolve(SELF, "relative/path")).as("only absolute paths are asked").isNull();
            assertThat(r.resolve(Integer.MAX_VALUE - 7, "/")).as("no such process").isNull();
            assertThat(r.resolve(SELF, "/" + "x".repeat(ResolverProcess.MAX_REQUEST))).as("longer than a request").isNull();
            assertThat(r.alive()).as("an errno answer leaves the resolver in step").isTrue();
            assertThat(r.resolve(SELF, bin + "/sh")).isEqualTo(bin + "/busybox");
        }
    }

    @Test
    void aResolverThatIsGoneResolvesNothing() throws Exception {
        try (ResolverProcess r = ResolverProcess.start(List.of("/bin/true"), TIMEOUT)) {
            assertThat(r.resolve(SELF, "/")).isNull();
            assertThat(r.alive()).isFalse();
            assertThat(r.resolve(SELF, "/")).isNull();
        }
    }

    @Test
    void aGarbageAnswerResolvesNothingAndEndsTheResolver() throws Exception {
        for (String answer : List.of("garbage\\0", "!x\\0", "/one\\0/two\\0", "\\0")) {
            try (ResolverProcess r = ResolverProcess.start(List.of("/bin/sh", "-c",
                    "head -c 1 >/dev/null; printf '" + answer + "'; exec sleep 30"), TIMEOUT)) {
                assertThat(r.resolve(SELF, "/")).as(answer).isNull();
                assertThat(r.alive()).as(answer).isFalse();
                // killed: without that its sleep would outlive the timeout below
                ProcessHandle.of(r.pid()).ifPresent(h -> assertThat(h.onExit().orTimeout(10, TimeUnit.SECONDS).join().isAlive()).isFalse());
            }
        }
    }

    @Test
    void aSlowResolverResolvesNothingAfterTheTimeout() throws Exception {
        try (ResolverProcess r = ResolverProcess.start(List.of("/bin/sleep", "30"), Duration.ofMillis(200))) {
            assertThat(r.resolve(SELF, "/")).isNull();
            assertThat(r.alive()).isFalse();
            ProcessHandle.of(r.pid()).ifPresent(h -> assertThat(h.onExit().orTimeout(10, TimeUnit.SECONDS).join().isAlive()).isFalse());
        }
    }

    @Test
    void containersOfTheDaemonsOwnUserNamespaceAreResolvedDirectly() {
        try (RootResolvers resolvers = new RootResolvers(shim, TIMEOUT)) {
            assertThat(resolvers.forContainer(SELF)).isSameAs(RootResolver.direct());
            assertThat(resolvers.forContainer(0)).isSameAs(RootResolver.direct());
            assertThat(resolvers.running()).isZero();
        }
    }

    @Test
    void oneResolverServesAUserNamespaceUntilItsLastContainerIsGone() throws Exception {
        Path bin = tree();
        Process other = new ProcessBuilder("unshare", "--user", "sleep", "60").start();
        try (RootResolvers resolvers = new RootResolvers(shim, TIMEOUT)) {
            int pid = (int) other.pid();
            awaitOtherNamespace(pid);
            RootResolver first = resolvers.forContainer(pid), second = resolvers.forContainer(pid);
            assertThat(first).isNotSameAs(RootResolver.direct());
            assertThat(resolvers.running()).isOne();
            // that process shares our mount namespace, so its root is ours: the answers must agree
            assertThat(first.resolve(pid, bin + "/sh")).isEqualTo(bin + "/busybox");
            assertThat(second.resolve(pid, bin + "/missing")).isNull();
            first.close();
            first.close(); // idempotent: one container, one release
            assertThat(resolvers.running()).isOne();
            assertThat(second.resolve(pid, bin + "/sh")).isEqualTo(bin + "/busybox");
            second.close();
            assertThat(resolvers.running()).isZero();
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aResolverThatDiedIsStartedAgainThroughALaterRequest() throws Exception {
        Path bin = tree();
        Process other = new ProcessBuilder("unshare", "--user", "sleep", "60").start();
        try (RootResolvers resolvers = new RootResolvers(shim, TIMEOUT)) {
            int pid = (int) other.pid();
            awaitOtherNamespace(pid);
            try (RootResolver r = resolvers.forContainer(pid)) {
                assertThat(r.resolve(pid, bin + "/sh")).isEqualTo(bin + "/busybox");
                List<ProcessHandle> started = ProcessHandle.current().children()
                        .filter(h -> h.info().arguments().map(a -> List.of(a).contains("--resolve-in-root")).orElse(false)).toList();
                assertThat(started).hasSize(1);
                started.getFirst().destroyForcibly();
                started.getFirst().onExit().get(10, TimeUnit.SECONDS);
                assertThat(resolvers.running()).isZero();
                // restarts are at most once a second: a request within that second resolves nothing (fail closed)
                String again = null;
                for (int i = 0; i < 30 && again == null; i++) {
                    again = r.resolve(pid, bin + "/sh");
                    if (again == null) Thread.sleep(100);
                }
                assertThat(again).as("started again").isEqualTo(bin + "/busybox");
                assertThat(resolvers.running()).isOne();
            }
            assertThat(resolvers.running()).isZero();
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void withoutTheShimAForeignNamespaceResolvesNothing() throws Exception {
        Process other = new ProcessBuilder("unshare", "--user", "sleep", "60").start();
        try (RootResolvers resolvers = new RootResolvers(dir.resolve("no-such-shim"), TIMEOUT)) {
            int pid = (int) other.pid();
            awaitOtherNamespace(pid);
            try (RootResolver r = resolvers.forContainer(pid)) {
                assertThat(r.resolve(pid, "/")).isNull();
                assertThat(resolvers.running()).isZero();
            }
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void theSupervisorDeniesWhenTheResolverIsGoneOrAnswersGarbage() throws Exception {
        InMemoryDecisionSink sink = new InMemoryDecisionSink(100);
        // jspawnhelper's exec is the first (always allowed); /bin/true then needs a resolved path for its basename entry
        ExecRules rules = new ExecRules(List.of("true", "jspawnhelper"), List.of());
        StandardSyscallPolicy policy = new StandardSyscallPolicy(rules, NetworkMode.BLOCKED, null);
        try (SeccompSupervisor supervisor = new SeccompSupervisor(sink, Clock.systemUTC())) {
            List<List<String>> broken = List.of(List.of("/bin/true"),
                    List.of("/bin/sh", "-c", "head -c 1 >/dev/null; printf 'garbage\\0'; exec sleep 30"));
            int n = 0;
            for (List<String> command : broken) {
                String id = "ctr-" + n++;
                try (FilteredThread t = new FilteredThread(SeccompSupervisor.NR_EXECVE, SeccompSupervisor.NR_EXECVEAT)) {
                    supervisor.register(new GovernedContainer(id, 0, "b"), t.listener(), policy, ResolverProcess.start(command, TIMEOUT));
                    assertThat(t.call(() -> {
                        try {
                            return "ran, exit " + new ProcessBuilder("/bin/true").start().waitFor();
                        } catch (IOException e) {
                            return e.getMessage();
                        }
                    })).as(command.toString()).contains("Operation not permitted");
                }
                awaitDecision(sink, id);
                assertThat(sink.decisions().stream().filter(d -> d.containerId().equals(id) && d.subject().startsWith("/bin/true")))
                        .singleElement().satisfies(d -> {
                            assertThat(d.allowed()).isFalse();
                            assertThat(d.reason()).contains("cannot be resolved in the container");
                        });
            }
            // the same rules with a working resolver allow it
            try (FilteredThread t = new FilteredThread(SeccompSupervisor.NR_EXECVE, SeccompSupervisor.NR_EXECVEAT)) {
                supervisor.register(new GovernedContainer("ctr-ok", 0, "b"), t.listener(), policy, ResolverProcess.start(shim, SELF, TIMEOUT));
                assertThat(t.call(() -> new ProcessBuilder("/bin/true").start().waitFor())).isZero();
            }
        }
    }

    private static void awaitDecision(InMemoryDecisionSink sink, String id) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (sink.decisions().stream().anyMatch(d -> d.containerId().equals(id) && d.subject().startsWith("/bin/true"))) return;
            Thread.sleep(25);
        }
        fail("no decision about /bin/true for " + id + ": " + sink.decisions());
    }

    private static void awaitOtherNamespace(int pid) throws InterruptedException {
        String own = RootResolvers.userNamespace("self");
        for (int i = 0; i < 200; i++) {
            String ns = RootResolvers.userNamespace(Integer.toString(pid));
            if (ns != null && !ns.equals(own)) return;
            Thread.sleep(10);
        }
        fail("unshare --user did not give process " + pid + " its own user namespace (unshare from util-linux is needed)");
    }

    @Test
    void pipesAreCloseOnExec() throws Exception {
        int[] p = Processes.pipe();
        try {
            assertThat(Files.readString(Path.of("/proc/self/fdinfo/" + p[0]))).containsPattern("flags:\\s+02[0-7]{6}\\b");
        } finally {
            org.lobstertrap.puzzlepod.core.linux.FileSyscalls.linux().close(p[0]);
            org.lobstertrap.puzzlepod.core.linux.FileSyscalls.linux().close(p[1]);
        }
    }
}
