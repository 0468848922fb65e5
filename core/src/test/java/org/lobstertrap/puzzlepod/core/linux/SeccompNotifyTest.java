package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seccomp user notification on the real kernel, without containers: a dedicated thread installs a
 * filter that hands mkdirat(2) to a listener, and the test thread acts as the supervisor.
 */
class SeccompNotifyTest {
    private static final int NR_MKDIRAT = 258;
    private final FileSyscalls sys = FileSyscalls.linux();
    @TempDir Path tmp;
    private int dir;

    @BeforeEach
    void openDir() throws LinuxException {
        dir = sys.open(tmp.toString().getBytes(StandardCharsets.UTF_8), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    }

    @AfterEach
    void closeDir() throws LinuxException {
        sys.close(dir);
    }

    /** A platform thread that filters its own mkdirat calls and then makes them, one per name. */
    private static final class Target {
        final CompletableFuture<int[]> listenerAndTid = new CompletableFuture<>();
        final List<Integer> errnos = new ArrayList<>();
        final Thread thread;

        Target(int dir, String... names) {
            thread = Thread.ofPlatform().name("seccomp-target").start(() -> {
                try {
                    int listener = SeccompNotify.installFilter(SeccompFilter.notifyOn(NR_MKDIRAT));
                    listenerAndTid.complete(new int[] {listener, Processes.gettid()});
                } catch (Throwable e) {
                    listenerAndTid.completeExceptionally(e);
                    return;
                }
                for (String name : names) {
                    try {
                        FileSyscalls.linux().mkdirat(dir, name.getBytes(StandardCharsets.UTF_8), 0755);
                        synchronized (errnos) { errnos.add(0); }
                    } catch (LinuxException e) {
                        synchronized (errnos) { errnos.add(e.errno()); }
                    }
                }
            });
        }

        int listener() throws Exception { return listenerAndTid.get(10, TimeUnit.SECONDS)[0]; }

        int tid() throws Exception { return listenerAndTid.get(10, TimeUnit.SECONDS)[1]; }

        List<Integer> finish() throws InterruptedException {
            assertThat(thread.join(java.time.Duration.ofSeconds(10))).as("target thread finished").isTrue();
            synchronized (errnos) { return List.copyOf(errnos); }
        }
    }

    private static SeccompNotification next(int listener) throws LinuxException {
        short[] revents = Processes.poll(new int[] {listener}, Processes.POLLIN, 10_000);
        assertThat(revents[0] & Processes.POLLIN).as("a notification arrived within 10 s").isNotZero();
        return SeccompNotify.receive(listener).orElseThrow(() -> new AssertionError("notification cancelled"));
    }

    @Test
    void kernelReportsTheStructSizesThisClassUses() throws LinuxException {
        assertThat(SeccompNotify.sizes()).isEqualTo(new SeccompNotify.Sizes(80, 24, 64));
    }

    @Test
    void supervisorDeniesOnePathAndLetsAnotherContinue() throws Exception {
        Target target = new Target(dir, "denied", "allowed");
        int listener = target.listener();
        try {
            SeccompNotification first = next(listener);
            assertThat(first.syscall()).isEqualTo(NR_MKDIRAT);
            assertThat(first.arch()).isEqualTo(SeccompNotification.AUDIT_ARCH_X86_64);
            assertThat(first.pid()).isEqualTo(target.tid());
            assertThat((int) first.arg(0)).isEqualTo(dir);
            assertThat(first.arg(2) & 07777).isEqualTo(0755L);
            assertThat(SeccompNotify.readCString(first.pid(), first.arg(1), 4096)).isEqualTo(bytes("denied"));
            assertThat(SeccompNotify.isIdValid(listener, first.id())).isTrue();
            assertThat(SeccompNotify.deny(listener, first.id(), Errno.EPERM)).isEqualTo(SeccompNotify.Reply.DELIVERED);
            // answered: the id is gone, and a second answer is reported as cancelled, not thrown
            assertThat(SeccompNotify.isIdValid(listener, first.id())).isFalse();
            assertThat(SeccompNotify.deny(listener, first.id(), Errno.EPERM)).isEqualTo(SeccompNotify.Reply.CANCELLED);

            SeccompNotification second = next(listener);
            assertThat(second.id()).isNotEqualTo(first.id());
            assertThat(SeccompNotify.readCString(second.pid(), second.arg(1), 4096)).isEqualTo(bytes("allowed"));
            assertThat(SeccompNotify.allow(listener, second.id())).isEqualTo(SeccompNotify.Reply.DELIVERED);
            assertThat(target.finish()).containsExactly(Errno.EPERM, 0);
        } finally {
            sys.close(listener); // releases a still-blocked target with ENOSYS
        }
        assertThat(Files.exists(tmp.resolve("denied"))).isFalse();
        assertThat(Files.isDirectory(tmp.resolve("allowed"))).isTrue();
        // the filter applies to the target thread only
        sys.mkdirat(dir, bytes("from-test-thread"), 0755);
    }

    @Test
    void supervisorCanInjectAnFdAndCompleteTheCallWithAValue() throws Exception {
        Files.writeString(tmp.resolve("source"), "content");
        int source = sys.openat(dir, bytes("source"), O_RDONLY | O_CLOEXEC, 0);
        Target target = new Target(dir, "x");
        int listener = target.listener();
        try {
            SeccompNotification n = next(listener);
            int injected = SeccompNotify.addFd(listener, n.id(), source, 0, 0, true).orElseThrow();
            try {
                // the target is a thread of this process, so the new fd is in our own table
                assertThat(sys.fstat(injected).ino()).isEqualTo(sys.fstat(source).ino());
            } finally {
                sys.close(injected);
            }
            assertThat(SeccompNotify.succeed(listener, n.id(), 0)).isEqualTo(SeccompNotify.Reply.DELIVERED);
            assertThat(target.finish()).containsExactly(0);
            assertThat(SeccompNotify.addFd(listener, n.id(), source, 0, 0, true)).isEmpty();
        } finally {
            sys.close(listener);
            sys.close(source);
        }
        assertThat(Files.exists(tmp.resolve("x"))).as("succeed() completes the call without running it").isFalse();
    }

    @Test
    void readProcessMemoryReadsAndReportsUnmappedAddresses() throws Exception {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var segment = arena.allocateFrom("hello\0world", StandardCharsets.US_ASCII);
            int pid = Processes.getpid();
            assertThat(SeccompNotify.readProcessMemory(pid, segment.address(), 5)).isEqualTo(bytes("hello"));
            assertThat(SeccompNotify.readCString(pid, segment.address(), 100)).isEqualTo(bytes("hello"));
            assertThatThrownBy(() -> SeccompNotify.readCString(pid, segment.address() + 6, 3))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENAMETOOLONG));
        }
        assertThatThrownBy(() -> SeccompNotify.readProcessMemory(Processes.getpid(), 8, 16))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EFAULT);
                    assertThat(e.call()).isEqualTo("process_vm_readv");
                });
    }

    @Test
    void filterProgramShapeIsChecked() {
        assertThatThrownBy(SeccompFilter::notifyOn).isInstanceOf(IllegalArgumentException.class);
        assertThat(SeccompFilter.notifyOn(1, 2, 3).instructions()).hasSize(11);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
