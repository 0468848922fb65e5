package org.lobstertrap.puzzlepod.daemon.hooksocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.core.linux.UnixSockets;
import org.lobstertrap.puzzlepod.daemon.api.Caller;

/**
 * puzzled's hook socket {@code RUNTIME_DIR/hook.sock}: the local channel of the container toolchain (OCI
 * hook, {@code puzzle-podman run}), which would otherwise pay dbus-java's start-up on every container
 * start. A Unix stream socket, mode 0600 (only the daemon's own uid connects: root's hooks for the root
 * daemon, the user's rootless hooks for a per-user daemon). Each connection's caller is its SO_PEERCRED uid;
 * lines go through {@link HookProtocol}.
 *
 * <p>Bounded: at most {@link #MAX_CONNECTIONS} connections at once (more get one {@code Unavailable} line
 * and are closed), request lines of at most {@link HookProtocol#MAX_LINE_BYTES} (a longer one gets an
 * error and its connection is closed, since the stream cannot be resynchronised), and a connection that
 * sends nothing for {@link #IDLE_TIMEOUT_MS} is closed. Each connection has its own platform thread, so a
 * blocking {@code WaitBranch} holds only its own connection.
 */
public final class HookSocketServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HookSocketServer.class.getName());
    /** The socket's file name in the runtime directory. */
    public static final String SOCKET_NAME = "hook.sock";
    /** Most connections served at once. */
    public static final int MAX_CONNECTIONS = 64;
    /** A connection idle this long between requests (or within one) is closed. */
    public static final int IDLE_TIMEOUT_MS = 30_000;
    private static final FileSyscalls SYS = FileSyscalls.linux();
    private static final int CHUNK = 64 * 1024;

    private final Path path;
    private final int listenFd, wakeRead, wakeWrite, daemonUid;
    private final HookProtocol protocol;
    private final Semaphore slots;
    private final int idleTimeoutMs;
    private final AtomicLong served = new AtomicLong(), refused = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    private HookSocketServer(Path path, int listenFd, HookProtocol protocol, int daemonUid, int maxConnections, int idleTimeoutMs)
            throws LinuxException {
        this.path = path;
        this.listenFd = listenFd;
        this.protocol = protocol;
        this.daemonUid = daemonUid;
        this.slots = new Semaphore(maxConnections);
        this.idleTimeoutMs = idleTimeoutMs;
        int[] pair = UnixSockets.socketpair();
        wakeRead = pair[0];
        wakeWrite = pair[1];
        thread = Thread.ofPlatform().name("hook-socket").daemon(true).start(this::loop);
    }

    /** Listens on {@code path} with mode 0600 and the product's bounds. */
    public static HookSocketServer start(Path path, HookProtocol protocol, int daemonUid) throws IOException {
        return start(path, protocol, daemonUid, "rw-------", MAX_CONNECTIONS, IDLE_TIMEOUT_MS);
    }

    /**
     * Binds {@code path} (creating its directory; replacing a stale socket, refusing to replace anything
     * else) under a temporary name, sets {@code mode} and listens, then renames it into place, so the
     * socket is never reachable with a looser mode and clients never see it before it accepts.
     */
    public static HookSocketServer start(Path path, HookProtocol protocol, int daemonUid, String mode, int maxConnections,
                                         int idleTimeoutMs) throws IOException {
        Objects.requireNonNull(protocol, "protocol");
        Path abs = path.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)
                && !Files.readAttributes(abs, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
            throw new IOException("hook socket path " + abs + " exists and is not a socket; not replacing it");
        }
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        int fd = UnixSockets.socket();
        try {
            UnixSockets.bind(fd, tmp.toString().getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(mode));
            UnixSockets.listen(fd, 64);
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return new HookSocketServer(abs, fd, protocol, daemonUid, maxConnections, idleTimeoutMs);
        } catch (IOException | RuntimeException e) {
            SYS.close(fd);
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** The socket's path. */
    public Path path() { return path; }

    /** Connections accepted and served (or being served). */
    public long servedCount() { return served.get(); }

    /** Connections turned away because all slots were taken. */
    public long refusedCount() { return refused.get(); }

    private void loop() {
        while (!stopping) {
            try {
                short[] r = Processes.poll(new int[] {listenFd, wakeRead}, Processes.POLLIN, -1);
                if (r[1] != 0 || stopping) return;
                if ((r[0] & Processes.POLLIN) == 0) continue;
                int conn = UnixSockets.accept(listenFd);
                if (!slots.tryAcquire()) {
                    refused.incrementAndGet();
                    try {
                        writeAll(conn, HookProtocol.lineBytes(HookProtocol.error(ApiError.Unavailable,
                                "puzzled already serves " + MAX_CONNECTIONS + " hook socket connections; retry later")));
                    } catch (LinuxException e) {
                        // the peer is gone; nothing to tell
                    } finally {
                        SYS.close(conn);
                    }
                    continue;
                }
                served.incrementAndGet();
                try {
                    Thread.ofPlatform().name("hook-socket-conn").daemon(true).start(() -> serveAndClose(conn));
                } catch (RuntimeException | OutOfMemoryError e) {
                    slots.release();
                    SYS.close(conn);
                    throw e;
                }
            } catch (LinuxException | RuntimeException e) {
                if (!stopping) LOG.log(System.Logger.Level.ERROR, "hook socket " + path + ": " + e.getMessage());
            }
        }
    }

    private void serveAndClose(int conn) {
        try {
            UnixSockets.PeerCredentials peer = UnixSockets.peerCredentials(conn);
            serve(conn, new Caller(peer.uid(), daemonUid));
        } catch (LinuxException | RuntimeException e) {
            if (!stopping) LOG.log(System.Logger.Level.WARNING, "hook socket connection: " + e.getMessage());
        } finally {
            try {
                SYS.close(conn);
            } catch (LinuxException e) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
            }
            slots.release();
        }
    }

    /** Reads lines until the peer closes, idles too long, or sends an oversized line. */
    private void serve(int conn, Caller caller) throws LinuxException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(CHUNK);
            while (!stopping) {
                if (Processes.poll(new int[] {conn}, Processes.POLLIN, idleTimeoutMs)[0] == 0) return; // idle: close
                long n = SYS.read(conn, buf, CHUNK);
                if (n <= 0) return;
                byte[] chunk = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                int start = 0;
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] != '\n') continue;
                    line.write(chunk, start, i - start);
                    start = i + 1;
                    byte[] request = line.toByteArray();
                    line.reset();
                    writeAll(conn, HookProtocol.lineBytes(protocol.handle(request, caller)));
                }
                line.write(chunk, start, chunk.length - start);
                if (line.size() > HookProtocol.MAX_LINE_BYTES) {
                    writeAll(conn, HookProtocol.lineBytes(HookProtocol.error(ApiError.InvalidArgument,
                            "request line is longer than " + HookProtocol.MAX_LINE_BYTES + " bytes; closing the connection")));
                    return;
                }
            }
        }
    }

    /** Sends all of {@code data} (MSG_NOSIGNAL: a peer that left gives EPIPE, never SIGPIPE). */
    private static void writeAll(int fd, byte[] data) throws LinuxException {
        int off = 0;
        while (off < data.length) {
            off += (int) UnixSockets.sendWithFds(fd, off == 0 ? data : java.util.Arrays.copyOfRange(data, off, data.length), new int[0]);
        }
    }

    /** Stops accepting and removes the socket file; open connections end at their next request or idle timeout. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (stopping) return;
        stopping = true;
        try (Arena arena = Arena.ofConfined()) {
            SYS.write(wakeWrite, arena.allocate(1), 1);
        }
        thread.join();
        SYS.close(listenFd);
        SYS.close(wakeRead);
        SYS.close(wakeWrite);
        Files.deleteIfExists(path);
    }
}
