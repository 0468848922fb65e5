package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.UnixSockets;

/**
 * The supervisor on the real kernel without containers: a Java platform thread filters its own execve,
 * execveat and connect calls, and the supervisor answers them under a real policy.
 */
class SeccompSupervisorTest {
    private static final int[] SUPERVISED = {SeccompSupervisor.NR_EXECVE, SeccompSupervisor.NR_EXECVEAT,
            SeccompSupervisor.NR_CONNECT};
    private final InMemoryDecisionSink sink = new InMemoryDecisionSink(1000);
    private SeccompSupervisor supervisor;

    @BeforeEach
    void start() throws Exception {
        supervisor = new SeccompSupervisor(sink, Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        supervisor.close();
    }

    private static StandardSyscallPolicy policy(List<String> deny) {
        return new StandardSyscallPolicy(new ExecRules(List.of(), deny), NetworkMode.BLOCKED, null);
    }

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) Thread.sleep(50);
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private List<Decision> decisions(String syscallPrefix) {
        return sink.decisions().stream().filter(d -> d.syscall().startsWith(syscallPrefix)).toList();
    }

    @Test
    void execsAreAllowedOrDeniedByTheListsAndRecorded() throws Exception {
        GovernedContainer c = new GovernedContainer("ctr-exec", 0, "branch-exec");
        try (FilteredThread t = new FilteredThread(SUPERVISED)) {
            supervisor.register(c, t.listener(), policy(List.of("false")));
            assertThat(t.call(() -> run("/bin/true"))).isZero();
            String error = t.call(() -> {
                try {
                    run("/bin/false");
                    return "ran";
                } catch (IOException e) {
                    return e.getMessage();
                }
            });
            assertThat(error).contains("Operation not permitted");
        }
        // decisions are reported after the answer is delivered, so the caller may be faster than the report
        await(() -> decisions("exec").stream().anyMatch(d -> d.subject().startsWith("/bin/false")), "denial reported");
        List<Decision> execs = decisions("exec");
        assertThat(execs).allSatisfy(d -> {
            assertThat(d.containerId()).isEqualTo("ctr-exec");
            assertThat(d.branchId()).isEqualTo("branch-exec");
        });
        assertThat(execs).anySatisfy(d -> {
            assertThat(d.subject()).startsWith("/bin/true").contains("argv=[/bin/true]");
            assertThat(d.allowed()).isTrue();
        });
        assertThat(execs).anySatisfy(d -> {
            assertThat(d.subject()).startsWith("/bin/false");
            assertThat(d.allowed()).isFalse();
            assertThat(d.reason()).contains("exec_denylist entry 'false'");
        });
        assertThat(execs.getFirst().reason()).as("the first exec is the container's entrypoint")
                .isEqualTo("the container's first exec");
        await(() -> supervisor.heldContainerIds().isEmpty(), "the container is dropped once its processes are gone");
        assertThat(supervisor.failureCount()).isZero();
    }

    @Test
    void connectUnderBlockedReachesLoopbackOnly() throws Exception {
        ServerSocket server = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        try (server; FilteredThread t = new FilteredThread(SUPERVISED)) {
            supervisor.register(new GovernedContainer("ctr-net", 0, "branch-net"), t.listener(), policy(List.of()));
            assertThat(t.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port));
                    return s.isConnected();
                }
            })).isTrue();
            // TEST-NET-1: never routed, so only the supervisor's answer can make this fail fast with EPERM
            String error = t.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("192.0.2.1", 80));
                    return "connected";
                } catch (SocketException e) {
                    return e.getMessage();
                }
            });
            assertThat(error).contains("Operation not permitted");
        }
        await(() -> decisions("connect").size() == 2, "both connects reported");
        List<Decision> connects = decisions("connect");
        assertThat(connects).anySatisfy(d -> {
            assertThat(d.subject()).matches("(\\[::ffff:)?127\\.0\\.0\\.1]?:" + port);
            assertThat(d.allowed()).isTrue();
        });
        assertThat(connects).anySatisfy(d -> {
            // the JDK connects IPv6 sockets to IPv4-mapped addresses when IPv6 is available
            assertThat(d.subject()).isIn("192.0.2.1:80", "[::ffff:192.0.2.1]:80");
            assertThat(d.allowed()).isFalse();
            assertThat(d.reason()).isEqualTo("network blocked: " + d.subject());
            assertThat(d.branchId()).isEqualTo("branch-net");
        });
    }

    @Test
    void execPathsAreResolvedInsideTheRootAndArgvIsRead(@TempDir Path tmp) throws Exception {
        // an ABSOLUTE symlink: resolved from the caller's root, never the supervisor's view of /proc/PID/root
        Path link = tmp.resolve("tru");
        Files.createSymbolicLink(link, Path.of("/bin/true"));
        try (FilteredThread t = new FilteredThread(SUPERVISED)) {
            supervisor.register(new GovernedContainer("ctr-link", 0, "b"), t.listener(), policy(List.of("sleep")));
            assertThat(t.call(() -> run("/bin/true", "first"))).isZero();
            String error = t.call(() -> {
                try {
                    run(link.toString(), "x".repeat(5000), "second");
                    return "ran";
                } catch (IOException e) {
                    return e.getMessage();
                }
            });
            assertThat(error).as("allowed exec of a symlink to /bin/true").isEqualTo("ran");
        }
        await(() -> decisions("exec").stream().anyMatch(d -> d.subject().startsWith(link.toString())), "reported");
        Decision viaLink = decisions("exec").stream().filter(d -> d.subject().startsWith(link.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no decision for the link: " + sink.decisions()));
        String real = Path.of("/bin/true").toRealPath().toString();
        assertThat(viaLink.subject()).contains("(" + real + ")").contains("(truncated)").contains("second");
        assertThat(viaLink.allowed()).isTrue();
    }

    @Test
    void aClientThatSendsNothingDoesNotHoldUpTheNextContainer(@TempDir Path tmp) throws Exception {
        Path sock = tmp.resolve("seccomp.sock");
        try (SeccompListenerSocket listener = SeccompListenerSocket.start(sock, supervisor, c -> policy(List.of()));
             FilteredThread t = new FilteredThread(SUPERVISED);
             java.nio.channels.SocketChannel silent = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock))) {
            int notifyFd = t.listener();
            String good = "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":" + t.tid()
                    + ",\"metadata\":\"branch-next\",\"state\":{\"id\":\"ctr-next\",\"status\":\"creating\",\"bundle\":\"/b\"}}";
            send(sock, good, new int[] {notifyFd});
            await(() -> supervisor.heldContainerIds().contains("ctr-next"), "the next container registered");
            // served while the silent connection still waits for its message (it is refused only at its deadline)
            assertThat(listener.refusedCount()).isZero();
            assertThat(silent.isConnected()).isTrue();
            FileSyscalls.linux().close(notifyFd);
        }
    }

    @Test
    void manyAndLongArgumentsAreReadWholeOrMarkedTruncated() throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/true"));
        command.add("m".repeat(300)); // longer than the first read of an argument
        command.add("n".repeat(3000));
        for (int i = 0; i < 300; i++) command.add("a" + i);
        try (FilteredThread t = new FilteredThread(SUPERVISED)) {
            supervisor.register(new GovernedContainer("ctr-args", 0, "b"), t.listener(), policy(List.of("sleep")));
            assertThat(t.call(() -> run("/bin/true", "first"))).isZero();
            assertThat(t.call(() -> run(command.toArray(String[]::new)))).isZero();
        }
        await(() -> decisions("exec").stream().anyMatch(d -> d.subject().contains("a0")), "reported");
        Decision d = decisions("exec").stream().filter(x -> x.subject().contains("a0")).findFirst().orElseThrow();
        assertThat(d.subject()).contains("m".repeat(300) + ",").contains("n".repeat(3000) + ",").contains("a252]").doesNotContain("a253")
                .endsWith("(truncated)"); // 256 arguments are read: the program, two long ones, a0 … a252
    }

    @Test
    void aCopyOfAnAllowlistedProgramInAWritableLocationIsRefused(@TempDir Path tmp) throws Exception {
        Path copy = Files.copy(Path.of("/bin/true"), tmp.resolve("true"));
        copy.toFile().setExecutable(true);
        String helper = Path.of(System.getProperty("java.home"), "lib", "jspawnhelper").toRealPath().toString();
        StandardSyscallPolicy allowTrue = new StandardSyscallPolicy(new ExecRules(List.of("true", helper), List.of(),
                List.of(tmp.toString())), NetworkMode.BLOCKED, null);
        try (FilteredThread t = new FilteredThread(SUPERVISED)) {
            supervisor.register(new GovernedContainer("ctr-copy", 0, "b"), t.listener(), allowTrue);
            assertThat(t.call(() -> run("/bin/true", "first"))).isZero();
            assertThat(t.call(() -> run("/bin/true", "image"))).as("the image's true").isZero();
            String error = t.call(() -> {
                try {
                    return "ran " + run(copy.toString());
                } catch (IOException e) {
                    return e.getMessage();
                }
            });
            assertThat(error).as("a copy named true in a writable location").isNotEqualTo("ran 0");
        }
        await(() -> decisions("exec").stream().anyMatch(x -> !x.allowed()), "a refusal reported");
        assertThat(decisions("exec").stream().filter(x -> !x.allowed()).findFirst().orElseThrow().reason())
                .contains("writable location " + tmp);
    }

    @Test
    void listenerSocketHandsRuncsMessageToTheSupervisorAndRefusesBadOnes(@TempDir Path tmp) throws Exception {
        Path sock = tmp.resolve("seccomp.sock");
        try (SeccompListenerSocket listener = SeccompListenerSocket.start(sock, supervisor, c -> policy(List.of()));
             FilteredThread t = new FilteredThread(SUPERVISED)) {
            assertThat(Files.getPosixFilePermissions(sock)).hasSize(6);
            int notifyFd = t.listener();
            String good = "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"],\"pid\":" + t.tid()
                    + ",\"metadata\":\"branch-sock\",\"state\":{\"id\":\"ctr-sock\",\"status\":\"creating\",\"bundle\":\"/b\"}}";
            send(sock, "{oops", new int[] {notifyFd});
            await(() -> listener.refusedCount() == 1, "bad JSON refused");
            assertThat(listener.lastRefusal().code()).isEqualTo(SeccompMessageException.Code.BAD_JSON);
            send(sock, good, new int[0]);
            await(() -> listener.refusedCount() == 2, "message without fd refused");
            assertThat(listener.lastRefusal().code()).isEqualTo(SeccompMessageException.Code.NO_FD);
            send(sock, good, new int[] {notifyFd, notifyFd});
            await(() -> listener.refusedCount() == 3, "two fds refused");
            assertThat(listener.lastRefusal().code()).isEqualTo(SeccompMessageException.Code.TOO_MANY_FDS);
            send(sock, "x".repeat(SeccompListenerSocket.MAX_MESSAGE + 10), new int[] {notifyFd});
            await(() -> listener.refusedCount() == 4, "huge message refused");
            assertThat(listener.lastRefusal().code()).isEqualTo(SeccompMessageException.Code.TOO_LARGE);

            send(sock, good, new int[] {notifyFd});
            await(() -> supervisor.heldContainerIds().contains("ctr-sock"), "container registered");
            // the listener counts an acceptance after handing the fd over, so the count may lag the registration
            await(() -> listener.acceptedCount() == 1, "acceptance counted");
            FileSyscalls.linux().close(notifyFd); // the supervisor holds its own copy now
            assertThat(t.call(() -> run("/bin/true"))).isZero();
        }
        assertThat(Files.exists(sock)).as("socket removed on close").isFalse();
        await(() -> !decisions("exec").isEmpty(), "exec reported");
        assertThat(decisions("exec")).allSatisfy(d -> {
            assertThat(d.containerId()).isEqualTo("ctr-sock");
            assertThat(d.branchId()).isEqualTo("branch-sock");
        });
    }

    @Test
    void listenerSocketNeverReplacesSomethingThatIsNotASocket(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("run/puzzled/seccomp.sock");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "keep me");
        assertThatThrownBy(() -> SeccompListenerSocket.start(file, supervisor, c -> policy(List.of())))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a socket");
        assertThat(Files.readString(file)).isEqualTo("keep me");
        Path fresh = tmp.resolve("new/dir/seccomp.sock");
        try (SeccompListenerSocket listener = SeccompListenerSocket.start(fresh, supervisor, c -> policy(List.of()))) {
            assertThat(listener.path()).isEqualTo(fresh);
            assertThat(Files.getPosixFilePermissions(fresh)).containsExactlyInAnyOrderElementsOf(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        // a stale socket file left by a daemon that died is replaced
        int leftover = UnixSockets.socket();
        try {
            UnixSockets.bind(leftover, fresh.toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            FileSyscalls.linux().close(leftover);
        }
        assertThat(Files.exists(fresh, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as("stale socket file left behind").isTrue();
        try (SeccompListenerSocket again = SeccompListenerSocket.start(fresh, supervisor, c -> policy(List.of()))) {
            assertThat(again.path()).isEqualTo(fresh);
        }
    }

    private static void send(Path sock, String message, int[] fds) throws Exception {
        int fd = UnixSockets.socket();
        try {
            UnixSockets.connect(fd, sock.toString().getBytes(StandardCharsets.UTF_8));
            byte[] data = message.getBytes(StandardCharsets.UTF_8);
            long sent = UnixSockets.sendWithFds(fd, data, fds);
            while (sent < data.length) {
                sent += UnixSockets.sendWithFds(fd, java.util.Arrays.copyOfRange(data, (int) sent, data.length), new int[0]);
            }
        } finally {
            FileSyscalls.linux().close(fd);
        }
    }
}
