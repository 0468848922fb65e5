package org.lobstertrap.puzzlepod.podman;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookProtocol;
import org.lobstertrap.puzzlepod.daemon.hooksocket.HookSocketServer;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/**
 * A private session bus with a {@link StandInManager} exported on it and served on the daemon's real hook
 * socket in {@link #runtimeDir()} (or neither, for "daemon not running"), and a way to run
 * {@code puzzle-podman} in-process against it with captured output.
 */
final class StandInBus implements AutoCloseable {
    final DbusDaemon bus;
    final DBusConnection server;
    final StandInManager manager;
    final HookSocketServer hookSocket;
    private final Path runtimeDir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private StandInBus(DbusDaemon bus, DBusConnection server, StandInManager manager, HookSocketServer hookSocket, Path runtimeDir) {
        this.bus = bus;
        this.server = server;
        this.manager = manager;
        this.hookSocket = hookSocket;
        this.runtimeDir = runtimeDir;
    }

    /** A bus with the stand-in daemon; its branches live under {@code dir/branches}. */
    static StandInBus start(Path dir, boolean withDaemon) throws IOException, DBusException {
        DbusDaemon bus = DbusDaemon.startSession(dir.resolve("bus"), false);
        Path runtimeDir = dir.resolve("run");
        if (!withDaemon) return new StandInBus(bus, null, null, null, runtimeDir);
        DBusConnection server = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
        StandInManager m = new StandInManager(dir.resolve("branches"));
        server.requestBusName(Manager1.BUS_NAME);
        server.exportObject(Manager1.OBJECT_PATH, m);
        HookSocketServer hooks = HookSocketServer.start(runtimeDir.resolve(HookSocketServer.SOCKET_NAME), new HookProtocol(new StandInHookApi(m)), 0);
        return new StandInBus(bus, server, m, hooks, runtimeDir);
    }

    String address() { return bus.address(); }

    /** The runtime dir whose hook.sock serves the stand-in ({@code run --runtime-dir}). */
    String runtimeDir() { return runtimeDir.toString(); }

    /** Runs {@code puzzle-podman ARGS} in this JVM with podman from {@code podman} and the given answers at the prompt. */
    int run(Path cwd, List<String> podman, List<String> answers, List<String> args) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Terminal t = answers == null ? Terminal.none() : scripted(answers, e);
        return PuzzlePodman.run(args, new Environment(o, e, t, podman, cwd, Map.of(), new SignalForwarder(e)));
    }

    String out() { return out.toString(StandardCharsets.UTF_8); }

    String err() { return err.toString(StandardCharsets.UTF_8); }

    private static Terminal scripted(List<String> answers, PrintStream echo) {
        Deque<String> q = new ArrayDeque<>(answers);
        return new Terminal() {
            @Override public boolean interactive() { return true; }
            @Override public String readLine(String prompt) {
                echo.print(prompt);
                String a = q.poll();
                echo.println(a == null ? "<EOF>" : a);
                return a;
            }
        };
    }

    @Override
    public void close() {
        if (hookSocket != null) {
            try {
                hookSocket.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (server != null) server.disconnect();
        bus.close();
    }
}
