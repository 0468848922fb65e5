package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Landlock on the real kernel. Landlock restricts one thread, so each test enforces its ruleset on a
 * fresh platform thread and checks that the test thread itself stays unrestricted.
 */
class LandlockTest {
    private static final FileSyscalls sys = FileSyscalls.linux();
    private static int abi;
    @TempDir Path tmp;

    @BeforeAll
    static void landlockIsAvailable() throws LinuxException {
        abi = Landlock.abiVersion();
        assertThat(abi).as("Landlock ABI of this kernel (these tests need ABI 6 or later: Linux 6.12+)")
                .isGreaterThanOrEqualTo(6);
        // Load the classes the restricted threads use while file access is still unrestricted.
        assertThatThrownBy(() -> sys.openat(AT_FDCWD, bytes("/nonexistent-landlock-probe"), O_RDONLY, 0))
                .isInstanceOf(LinuxException.class);
    }

    private static byte[] bytes(Object s) { return s.toString().getBytes(StandardCharsets.UTF_8); }

    /** Runs {@code work} on a new platform thread after {@code restrict} ran there. */
    private static <T> T onRestrictedThread(Callable<Void> restrict, Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("landlocked").start(() -> {
            try {
                restrict.call();
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        T value = result.get(30, TimeUnit.SECONDS);
        thread.join();
        return value;
    }

    private static int errnoOfOpen(Path file) {
        try {
            sys.close(sys.openat(AT_FDCWD, bytes(file), O_RDONLY | O_CLOEXEC, 0));
            return 0;
        } catch (LinuxException e) {
            return e.errno();
        }
    }

    @Test
    void abiVersionAndRightsPerAbi() {
        assertThat(Landlock.fsAccessFor(1)).isEqualTo(0x1fffL);
        assertThat(Landlock.fsAccessFor(3)).isEqualTo(0x7fffL);
        assertThat(Landlock.fsAccessFor(abi)).isEqualTo(0xffffL);
        assertThat(Landlock.netAccessFor(3)).isZero();
        assertThat(Landlock.netAccessFor(abi)).isEqualTo(3L);
        assertThat(Landlock.scopesFor(abi)).isEqualTo(3L);
    }

    @Test
    void restrictedThreadGetsEaccesOutsideTheAllowlistWhileTheTestThreadDoesNot() throws Exception {
        Path allowed = Files.createDirectory(tmp.resolve("allowed"));
        Path denied = Files.createDirectory(tmp.resolve("denied"));
        Files.writeString(allowed.resolve("f"), "ok");
        Files.writeString(denied.resolve("f"), "secret");
        int ruleset = Landlock.createRuleset(Landlock.fsAccessFor(abi), 0, 0);
        int allowedFd = sys.open(bytes(allowed), O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        try {
            Landlock.allowBeneath(ruleset, allowedFd, Landlock.fsAccessFor(abi));
            int[] errnos = onRestrictedThread(() -> {
                Landlock.restrictCurrentThread(ruleset);
                return null;
            }, () -> new int[] {errnoOfOpen(allowed.resolve("f")), errnoOfOpen(denied.resolve("f")),
                    Processes.noNewPrivs() ? 1 : 0});
            assertThat(errnos[0]).as("open inside the allowlist").isZero();
            assertThat(errnos[1]).as("open outside the allowlist").isEqualTo(Errno.EACCES);
            assertThat(errnos[2]).as("no_new_privs on the restricted thread").isEqualTo(1);
        } finally {
            sys.close(allowedFd);
            sys.close(ruleset);
        }
        assertThat(errnoOfOpen(denied.resolve("f"))).as("the test thread stays unrestricted").isZero();
        assertThat(Processes.noNewPrivs()).isFalse();
    }

    @Test
    void tcpBindIsLimitedToTheAllowedPort() throws Exception {
        int allowedPort = freePort(), otherPort = freePort();
        int ruleset = Landlock.createRuleset(0, Landlock.ACCESS_NET_BIND_TCP, 0);
        try {
            Landlock.allowPort(ruleset, allowedPort, Landlock.ACCESS_NET_BIND_TCP);
            String[] outcomes = onRestrictedThread(() -> {
                Landlock.restrictCurrentThread(ruleset);
                return null;
            }, () -> new String[] {bindOutcome(allowedPort), bindOutcome(otherPort)});
            assertThat(outcomes[0]).isEqualTo("bound");
            assertThat(outcomes[1]).containsIgnoringCase("permission denied");
        } finally {
            sys.close(ruleset);
        }
        assertThat(bindOutcome(otherPort)).isEqualTo("bound");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String bindOutcome(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return "bound";
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    @Test
    void signalScopeStopsSignalsToProcessesOutsideTheDomain() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            int pid = (int) sleeper.pid();
            int ruleset = Landlock.createRuleset(0, 0, Landlock.SCOPE_SIGNAL);
            try {
                int errno = onRestrictedThread(() -> {
                    Landlock.restrictCurrentThread(ruleset);
                    return null;
                }, () -> {
                    try {
                        Processes.kill(pid, Processes.SIGTERM);
                        return 0;
                    } catch (LinuxException e) {
                        return e.errno();
                    }
                });
                assertThat(errno).isEqualTo(Errno.EPERM);
            } finally {
                sys.close(ruleset);
            }
            assertThat(sleeper.isAlive()).isTrue();
            Processes.kill(pid, 0); // the unrestricted test thread may still signal it
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void rightsUnknownToTheAbiAreRefusedWithEinval() {
        assertThatThrownBy(() -> Landlock.createRuleset(1L << 40, 0, 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.getMessage()).startsWith("landlock_create_ruleset(fs 0x10000000000");
                });
    }
}
