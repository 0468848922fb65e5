package org.lobstertrap.puzzlepod.daemon.hooksocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.hook.HookSocketClient;

/** The hook socket on a real AF_UNIX socket, with the real client, and a real {@code nobody} process as a caller. */
class HookSocketServerTest {
    @TempDir Path tmp;
    private Path dir;
    private final RecordingApi api = new RecordingApi();
    private final List<HookSocketServer> servers = new ArrayList<>();

    @BeforeEach
    void openDir() throws IOException {
        // nobody must be able to reach the socket's directory
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void close() throws Exception {
        for (HookSocketServer s : servers) s.close();
    }

    private HookSocketServer start(String mode, int maxConnections, int idleMs) throws IOException {
        HookSocketServer s = HookSocketServer.start(dir.resolve("hook.sock"), new HookProtocol(api), 0, mode, maxConnections, idleMs);
        servers.add(s);
        return s;
    }

    @Test
    void the_client_round_trips_and_errors_keep_their_code() throws Exception {
        HookSocketServer s = HookSocketServer.start(dir.resolve("hook.sock"), new HookProtocol(api), 0);
        servers.add(s);
        assertThat(Files.getPosixFilePermissions(s.path())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (HookSocketClient c = HookSocketClient.connect(s.path())) {
            assertThat(c.createBranch("standard", "/srv/p", "{\"on_exit\":\"commit\"}")).isEqualTo("{\"method\":\"CreateBranch\",\"uid\":0}");
            assertThat(c.waitBranch("b1", 5)).contains("WaitBranch");
            assertThat(c.rollbackBranch("b1", "quote \" and newline \n ü")).contains("RollbackBranch");
            assertThatThrownBy(() -> c.diffBranch("missing")).isInstanceOfSatisfying(ClientException.class, e -> {
                assertThat(e.code()).isEqualTo(ApiError.NotFound);
                assertThat(e.unreachable()).isFalse();
                assertThat(e.getMessage()).isEqualTo("no branch missing");
            });
            assertThat(c.inspectBranch("b2")).contains("InspectBranch"); // the connection survives an error
        }
        assertThat(api.calls).contains("RollbackBranch(0; b1; quote \" and newline \n ü)", "WaitBranch(0; b1; 5)");
    }

    @Test
    void a_missing_socket_is_unreachable_with_a_clear_message() {
        assertThatThrownBy(() -> HookSocketClient.connect(dir.resolve("hook.sock"))).isInstanceOfSatisfying(ClientException.class, e -> {
            assertThat(e.unreachable()).isTrue();
            assertThat(e.getMessage()).contains("not reachable on its hook socket").contains("is puzzled running?");
        });
    }

    @Test
    void restarting_replaces_a_stale_socket_but_never_another_file() throws Exception {
        start("rw-------", 4, 30_000).close();
        servers.clear();
        UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(dir.resolve("stale.sock"));
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(addr); // a socket file nobody listens on once closed
        }
        Files.move(dir.resolve("stale.sock"), dir.resolve("hook.sock"));
        start("rw-------", 4, 30_000);
        servers.getFirst().close();
        servers.clear();
        Files.writeString(dir.resolve("hook.sock"), "not a socket");
        assertThatThrownBy(() -> start("rw-------", 4, 30_000)).hasMessageContaining("is not a socket; not replacing it");
        assertThat(Files.readString(dir.resolve("hook.sock"))).isEqualTo("not a socket");
    }

    @Test
    void an_oversized_line_gets_an_error_and_the_connection_is_closed() throws Exception {
        start("rw-------", 4, 30_000);
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("hook.sock")))) {
            byte[] big = new byte[HookProtocol.MAX_LINE_BYTES + 10];
            java.util.Arrays.fill(big, (byte) 'x');
            ByteBuffer b = ByteBuffer.wrap(big);
            try {
                while (b.hasRemaining()) ch.write(b);
            } catch (IOException e) {
                // the daemon may close before everything is written; its error line is already there
            }
            String answer = readAll(ch);
            assertThat(answer).contains("\"code\":\"InvalidArgument\"").contains("longer than").endsWith("\n");
        }
        assertThat(api.calls).isEmpty();
    }

    @Test
    void idle_connections_are_closed_and_excess_connections_are_turned_away() throws Exception {
        HookSocketServer s = start("rw-------", 1, 300);
        UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(s.path());
        try (SocketChannel first = SocketChannel.open(addr)) {
            first.write(ByteBuffer.wrap("{\"op\":\"InspectBranch\",\"id\":\"b\"}\n".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer one = ByteBuffer.allocate(4096);
            first.read(one); // served: this connection holds the only slot
            try (SocketChannel second = SocketChannel.open(addr)) {
                assertThat(readAll(second)).contains("\"code\":\"Unavailable\"").contains("retry later");
            }
            assertThat(s.refusedCount()).isEqualTo(1);
            assertThat(readAll(first)).isEmpty(); // then closed for idling
        }
    }

    @Test
    void a_nobody_caller_is_refused_by_the_socket_mode_and_by_ownership() throws Exception {
        start("rw-------", 4, 30_000);
        String line = "{\"op\":\"InspectBranch\",\"id\":\"root-owned\"}";
        assertThat(asNobody(line)).contains("connect failed").contains("Permission denied");
        servers.getFirst().close();
        servers.clear();
        // a socket others may open (as a test of the second line of defence): the uid still decides
        start("rw-rw-rw-", 4, 30_000);
        assertThat(asNobody(line)).contains("\"code\":\"AccessDenied\"");
        assertThat(asNobody("{\"op\":\"InspectBranch\",\"id\":\"own\"}")).contains("\"uid\":65534");
        assertThat(api.calls).containsExactly("InspectBranch(65534; own)");
    }

    /** Sends one line from a separate JVM running as uid/gid 65534 and returns what it printed. */
    private String asNobody(String line) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/setpriv"))) throw new AssertionError("/usr/bin/setpriv is missing (package util-linux)");
        Path src = tmp.resolve("NobodyCall.java");
        Files.writeString(src, """
                import java.net.UnixDomainSocketAddress;
                import java.nio.ByteBuffer;
                import java.nio.channels.SocketChannel;
                public class NobodyCall {
                    public static void main(String[] a) throws Exception {
                        SocketChannel ch;
                        try { ch = SocketChannel.open(UnixDomainSocketAddress.of(a[0])); }
                        catch (Exception e) { System.out.println("connect failed: " + e.getMessage()); return; }
                        ch.write(ByteBuffer.wrap((a[1] + "\\n").getBytes("UTF-8")));
                        ByteBuffer b = ByteBuffer.allocate(65536);
                        while (ch.read(b) > 0 && b.get(b.position() - 1) != '\\n') {}
                        System.out.print(new String(b.array(), 0, b.position(), "UTF-8"));
                    }
                }
                """);
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rw-r--r--"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java,
                src.toString(), dir.resolve("hook.sock").toString(), line).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the nobody caller did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String readAll(SocketChannel ch) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(65536);
        while (true) {
            b.clear();
            int n;
            try {
                n = ch.read(b);
            } catch (IOException e) {
                break; // reset by the daemon after its last line
            }
            if (n < 0) break;
            out.write(b.array(), 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
