package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** pidfds, signals, setns and poll on the real kernel. */
class ProcessesTest {
    private final FileSyscalls sys = FileSyscalls.linux();

    @Test
    void pidfdBecomesReadableWhenTheChildExits() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        int pidfd = Processes.pidfdOpen((int) sleeper.pid());
        try {
            assertThat(Processes.poll(new int[] {pidfd}, Processes.POLLIN, 0)[0]).as("running: not readable").isZero();
            Processes.pidfdSendSignal(pidfd, Processes.SIGKILL);
            short revents = Processes.poll(new int[] {pidfd}, Processes.POLLIN, 10_000)[0];
            assertThat(revents & Processes.POLLIN).as("exited: readable").isNotZero();
            assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            sys.close(pidfd);
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void killAndPidsOfThisProcess() throws Exception {
        assertThat(Processes.getpid()).isEqualTo((int) ProcessHandle.current().pid());
        Processes.kill(Processes.getpid(), 0);
        assertThatThrownBy(() -> Processes.kill(Integer.MAX_VALUE, 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ESRCH);
                    assertThat(e.getMessage()).isEqualTo("kill(pid 2147483647, signal 0): No such process (ESRCH)");
                });
        assertThatThrownBy(() -> Processes.pidfdOpen(Integer.MAX_VALUE))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.call()).isEqualTo("pidfd_open"));
        int otherTid = CompletableFuture.supplyAsync(Processes::gettid, r -> Thread.ofPlatform().start(r))
                .get(10, TimeUnit.SECONDS);
        assertThat(otherTid).isNotEqualTo(Processes.gettid());
        assertThat(Processes.noNewPrivs()).isFalse();
    }

    @Test
    void setnsIntoOurOwnNetNamespaceSucceedsOnADedicatedThread() throws Exception {
        int ns = sys.open("/proc/self/ns/net".getBytes(StandardCharsets.UTF_8), O_RDONLY | O_CLOEXEC, 0);
        try {
            CompletableFuture<Integer> result = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    Processes.setns(ns, Processes.CLONE_NEWNET);
                    result.complete(0);
                } catch (LinuxException e) {
                    result.complete(e.errno());
                }
            });
            assertThat(result.get(10, TimeUnit.SECONDS)).isZero();
            assertThatThrownBy(() -> Processes.setns(ns, Processes.CLONE_NEWUTS))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        } finally {
            sys.close(ns);
        }
    }

    @Test
    void pollTimesOutWithZeroEventsAndSeesReadableSockets() throws Exception {
        int[] pair = UnixSockets.socketpair();
        try {
            assertThat(Processes.poll(pair, Processes.POLLIN, 10)).containsExactly((short) 0, (short) 0);
            UnixSockets.sendWithFds(pair[0], new byte[] {1}, new int[0]);
            short[] revents = Processes.poll(pair, Processes.POLLIN, 10_000);
            assertThat(revents[0]).isZero();
            assertThat(revents[1] & Processes.POLLIN).isNotZero();
        } finally {
            sys.close(pair[0]);
            sys.close(pair[1]);
        }
        assertThat(Processes.poll(new int[] {Integer.MAX_VALUE}, Processes.POLLIN, 0)[0] & Processes.POLLNVAL).isNotZero();
    }
}
