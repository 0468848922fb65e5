package org.lobstertrap.puzzlepod.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A private, real {@code dbus-daemon} for a test: either system-like (a system bus configuration with
 * Debian's default deny rules plus the given policy files, e.g. the product's
 * {@code org.lobstertrap.PuzzlePod1.conf}) or session-like (everything allowed for its users). It listens on
 * a socket in {@code dir}; {@link #address()} is what clients pass to {@code forAddress}. Close kills it.
 */
public final class DbusDaemon implements AutoCloseable {
    private final Process process;
    private final String address;
    private final Path dir;

    private DbusDaemon(Process process, String address, Path dir) {
        this.process = process;
        this.address = address;
        this.dir = dir;
    }

    /** A system-type bus: only what the policy files allow may own names or be called. */
    public static DbusDaemon startSystem(Path dir, List<Path> policyFiles) throws IOException {
        StringBuilder includes = new StringBuilder();
        for (Path p : policyFiles) includes.append("  <include>").append(p.toAbsolutePath()).append("</include>\n");
        return start(dir, "system", """
                  <policy context="default">
                    <allow user="*"/>
                    <deny own="*"/>
                    <deny send_type="method_call"/>
                    <allow send_type="signal"/>
                    <allow send_requested_reply="true" send_type="method_return"/>
                    <allow send_requested_reply="true" send_type="error"/>
                    <allow receive_type="method_call"/>
                    <allow receive_type="method_return"/>
                    <allow receive_type="error"/>
                    <allow receive_type="signal"/>
                    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
                    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
                    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
                    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Peer"/>
                  </policy>
                """ + includes);
    }

    /**
     * A session-type bus. With {@code anyUser} every uid may connect (so a test can call it as another
     * user); otherwise only the uid that started it, as on a real session bus.
     */
    public static DbusDaemon startSession(Path dir, boolean anyUser) throws IOException {
        return start(dir, "session", sessionPolicy(anyUser ? "*" : null));
    }

    /** A session bus's open policy; {@code alsoUser} (a user name or "*") may connect besides the bus's owner. */
    private static String sessionPolicy(String alsoUser) {
        return """
                  <policy context="default">
                """ + (alsoUser != null ? "    <allow user=\"" + alsoUser + "\"/>\n" : "") + """
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                """;
    }

    /**
     * A session-type bus run by another user: {@code runAs} is the command prefix that switches to that user
     * (e.g. {@code setpriv --reuid U --regid G --init-groups}), so the bus belongs to that user as a real
     * session bus does; {@code alsoRoot} lets root connect too (a test observing that user's daemon).
     * {@code dir} must be writable by that user.
     */
    public static DbusDaemon startSessionAs(Path dir, List<String> runAs, boolean alsoRoot) throws IOException {
        return start(dir, "session", sessionPolicy(alsoRoot ? "root" : null), runAs);
    }

    private static DbusDaemon start(Path dir, String type, String policy) throws IOException {
        return start(dir, type, policy, List.of());
    }

    private static DbusDaemon start(Path dir, String type, String policy, List<String> runAs) throws IOException {
        Path exe = Path.of("/usr/bin/dbus-daemon");
        if (!Files.isExecutable(exe)) {
            throw new IOException("dbus-daemon is missing: install Debian's dbus package (apt-get install dbus); "
                    + ".ci/setup-machine.sh does this");
        }
        Files.createDirectories(dir);
        // Other users (tests calling as nobody) must reach the socket.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path socket = dir.resolve("bus");
        Files.deleteIfExists(socket);
        Path config = dir.resolve(type + "-bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>%s</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                %s</busconfig>
                """.formatted(type, socket, policy));
        List<String> command = new java.util.ArrayList<>(runAs);
        command.addAll(List.of(exe.toString(), "--config-file=" + config, "--nofork", "--nopidfile", "--print-address=1"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try { return out.readLine(); } catch (IOException e) { return null; }
        });
        String line;
        try {
            line = first.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IOException("dbus-daemon did not print its address within 10 s", e);
        }
        if (line == null || line.isBlank()) {
            p.destroyForcibly();
            throw new IOException("dbus-daemon exited before printing its address (config " + config + ")");
        }
        return new DbusDaemon(p, line.strip(), dir);
    }

    /** The address to connect to, e.g. {@code unix:path=/tmp/…/bus,guid=…}. */
    public String address() { return address; }

    /** The directory that holds the socket and the configuration. */
    public Path dir() { return dir; }

    public boolean isAlive() { return process.isAlive(); }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
