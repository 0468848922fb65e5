package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AF_UNIX sockets and SCM_RIGHTS on the real kernel. */
class UnixSocketsTest {
    private final FileSyscalls sys = FileSyscalls.linux();
    @TempDir Path tmp;

    private static byte[] bytes(Object s) { return s.toString().getBytes(StandardCharsets.UTF_8); }

    private String readThrough(int fd) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(100);
            long n = sys.pread(fd, buf, 100, 0);
            return new String(buf.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    private static boolean isCloseOnExec(int fd) throws Exception {
        // fdinfo "flags:" is octal open flags; O_CLOEXEC = 02000000
        String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
                .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow().substring(6).trim();
        return (Integer.parseInt(flags, 8) & O_CLOEXEC) != 0;
    }

    @Test
    void fdPassedAcrossASocketpairReadsTheSameFile() throws Exception {
        Files.writeString(tmp.resolve("f"), "through the socket");
        int[] pair = UnixSockets.socketpair();
        int file = sys.open(bytes(tmp.resolve("f")), O_RDONLY | O_CLOEXEC, 0);
        try {
            assertThat(UnixSockets.sendWithFds(pair[0], bytes("hi"), new int[] {file})).isEqualTo(2);
            sys.close(file);
            UnixSockets.Message m = UnixSockets.recvWithFds(pair[1], 64, 4);
            assertThat(m.data()).isEqualTo(bytes("hi"));
            assertThat(m.fds()).hasSize(1);
            assertThat(m.fdsTruncated()).isFalse();
            int received = m.fds()[0];
            try {
                assertThat(readThrough(received)).isEqualTo("through the socket");
                assertThat(isCloseOnExec(received)).as("received fd is close-on-exec").isTrue();
            } finally {
                sys.close(received);
            }
        } finally {
            sys.close(pair[0]);
            sys.close(pair[1]);
        }
    }

    @Test
    void moreFdsThanRoomIsReportedAndEndOfStreamIsEmptyData() throws Exception {
        int[] pair = UnixSockets.socketpair();
        int[] devNulls = new int[3];
        for (int i = 0; i < 3; i++) devNulls[i] = sys.open(bytes("/dev/null"), O_RDONLY | O_CLOEXEC, 0);
        try {
            UnixSockets.sendWithFds(pair[0], bytes("x"), devNulls);
            UnixSockets.Message m = UnixSockets.recvWithFds(pair[1], 64, 1);
            assertThat(m.fds()).hasSize(1);
            assertThat(m.fdsTruncated()).isTrue();
            sys.close(m.fds()[0]);
            sys.close(pair[0]);
            UnixSockets.Message eof = UnixSockets.recvWithFds(pair[1], 64, 1);
            assertThat(eof.data()).isEmpty();
            assertThat(eof.fds()).isEmpty();
        } finally {
            for (int fd : devNulls) sys.close(fd);
            sys.close(pair[1]);
        }
        assertThatThrownBy(() -> UnixSockets.sendWithFds(0, new byte[0], new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listeningSocketAcceptsAClientAndKnowsItsCredentials() throws Exception {
        byte[] path = bytes(tmp.resolve("s.sock"));
        int server = UnixSockets.socket();
        try {
            UnixSockets.bind(server, path);
            UnixSockets.listen(server, 4);
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try {
                    int conn = UnixSockets.accept(server);
                    try {
                        UnixSockets.PeerCredentials peer = UnixSockets.peerCredentials(conn);
                        UnixSockets.Message m = UnixSockets.recvWithFds(conn, 64, 0);
                        return new String(m.data(), StandardCharsets.UTF_8) + " from pid " + peer.pid() + " uid " + peer.uid();
                    } finally {
                        sys.close(conn);
                    }
                } catch (LinuxException e) {
                    throw new RuntimeException(e);
                }
            });
            int client = UnixSockets.socket();
            try {
                UnixSockets.connect(client, path);
                UnixSockets.sendWithFds(client, bytes("ping"), new int[0]);
                assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("ping from pid " + Processes.getpid() + " uid 0");
            } finally {
                sys.close(client);
            }
            assertThatThrownBy(() -> UnixSockets.bind(UnixSockets.socket(), path))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE));
        } finally {
            sys.close(server);
        }
    }

    @Test
    void badAddressesGetClearErrors() throws Exception {
        int s = UnixSockets.socket();
        try {
            byte[] tooLong = new byte[108];
            java.util.Arrays.fill(tooLong, (byte) 'a');
            assertThatThrownBy(() -> UnixSockets.connect(s, tooLong))
                    .isInstanceOfSatisfying(LinuxException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ENAMETOOLONG);
                        assertThat(e.call()).isEqualTo("connect");
                    });
            assertThatThrownBy(() -> UnixSockets.connect(s, bytes(tmp.resolve("nobody.sock"))))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        } finally {
            sys.close(s);
        }
    }

    @Test
    void abstractSocketNamesWork() throws Exception {
        byte[] name = bytes("\0puzzlepod-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        int server = UnixSockets.socket();
        int client = UnixSockets.socket();
        try {
            UnixSockets.bind(server, name);
            UnixSockets.listen(server, 1);
            UnixSockets.connect(client, name);
            int conn = UnixSockets.accept(server);
            sys.close(conn);
        } finally {
            sys.close(client);
            sys.close(server);
        }
    }
}
