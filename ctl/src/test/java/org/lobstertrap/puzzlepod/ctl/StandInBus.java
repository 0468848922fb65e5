package org.lobstertrap.puzzlepod.ctl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import picocli.CommandLine;

/**
 * A real private session bus with a {@link StandInManager} exported under puzzled's name, and a way to run
 * puzzlectl in-process against it with captured output.
 */
final class StandInBus implements AutoCloseable {
    /** What one puzzlectl run did. */
    record Run(int exit, String out, String err) {}

    final StandInManager manager = new StandInManager();
    private final DbusDaemon bus;
    private final DBusConnection server;

    StandInBus(Path dir) throws IOException, DBusException {
        bus = DbusDaemon.startSession(dir, false);
        try {
            server = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build();
            server.requestBusName(Manager1.BUS_NAME);
            server.exportObject(Manager1.OBJECT_PATH, manager);
        } catch (DBusException | RuntimeException e) {
            bus.close();
            throw e;
        }
    }

    String address() { return bus.address(); }

    /** puzzlectl with {@code --bus <this bus>} in front of the arguments. */
    Run run(String... args) { return runWithStdin("", args); }

    Run runWithStdin(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--bus", address()));
        all.addAll(List.of(args));
        return execute(new PuzzleCtl(Map.of(), () -> 1000), stdin, all.toArray(String[]::new));
    }

    /** puzzlectl exactly as given, with an environment and uid of the test's choosing. */
    static Run execute(PuzzleCtl ctl, String stdin, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = PuzzleCtl.commandLine(ctl.withStdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Override public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // the bus goes away next anyway
        } finally {
            bus.close();
        }
    }
}
