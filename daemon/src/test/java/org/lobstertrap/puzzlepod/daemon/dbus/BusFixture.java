package org.lobstertrap.puzzlepod.daemon.dbus;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for tests on a real private dbus-daemon: the product's policy file, and dbus-send as another uid. */
public final class BusFixture {
    private BusFixture() {}

    /** The bus policy file as shipped (from the module's resources). */
    public static Path policyFile() {
        try {
            var url = BusFixture.class.getResource("/dbus/org.lobstertrap.PuzzlePod1.conf");
            if (url == null) throw new AssertionError("dbus/org.lobstertrap.PuzzlePod1.conf is missing from the resources");
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** Lets other users reach a bus socket below dir (JUnit's temp dirs are 0700). */
    public static void openToOthers(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Output and exit code of a command. */
    public record Result(int exit, String out) {}

    /** Runs dbus-send on address as uid/gid 65534 (nobody) with --print-reply; args follow "--dest=…". */
    public static Result dbusSendAsNobody(String address, String... args) throws IOException, InterruptedException {
        for (String tool : List.of("/usr/bin/setpriv", "/usr/bin/dbus-send")) {
            if (!Files.isExecutable(Path.of(tool))) throw new AssertionError(tool + " is missing (packages util-linux, dbus-bin)");
        }
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "dbus-send", "--bus=" + address, "--print-reply", "--reply-timeout=20000"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    public static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, java.nio.charset.StandardCharsets.UTF_8));
    }
}
