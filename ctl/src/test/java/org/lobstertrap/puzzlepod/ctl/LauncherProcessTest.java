package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.ctl.StandInManager.Call;

/** bin/puzzlectl as a real process: the launcher, the environment's bus, stdout/stderr and the exit code. */
class LauncherProcessTest {
    @TempDir Path dir;

    record Result(int exit, String out, String err) {}

    static Path launcher() {
        Path p = Path.of("").toAbsolutePath().getParent().resolve("bin/puzzlectl");
        assertThat(p).as("the launcher bin/puzzlectl of this checkout").isExecutable();
        return p;
    }

    Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add(launcher().toString());
        pb.command().addAll(List.of(args));
        pb.environment().remove("PUZZLEPOD_BUS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = dir.resolve("out"), err = dir.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("bin/puzzlectl did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherTalksToTheBusNamedInTheEnvironment() throws Exception {
        try (StandInBus bus = new StandInBus(dir.resolve("bus"))) {
            bus.manager.answer("ListBranches", "{\"branches\":[{\"id\":\"b1\",\"state\":\"ready\",\"profile\":\"standard\","
                    + "\"owner_uid\":0,\"base\":\"/srv/p\",\"created\":\"2026-11-22T10:00:00Z\"}]}");
            Result r = run(Map.of("PUZZLEPOD_BUS", bus.address()), "branch", "list", "--state", "ready");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo("""
                    ID  STATE  PROFILE   OWNER  BASE    CREATED
                    b1  ready  standard  0      /srv/p  2026-11-22T10:00:00Z
                    """);
            assertThat(bus.manager.calls()).containsExactly(Call.of("ListBranches", "{\"state\":\"ready\"}"));
        }
    }

    @Test
    void aBusWithoutTheDaemonExitsThreeWithOneLine() throws Exception {
        try (org.lobstertrap.puzzlepod.testkit.DbusDaemon empty =
                     org.lobstertrap.puzzlepod.testkit.DbusDaemon.startSession(dir.resolve("empty-bus"), false)) {
            Result r = run(Map.of(), "--bus", empty.address(), "branch", "inspect", "agent-1");
            assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).startsWith("puzzlectl: puzzled is not reachable on the bus at " + empty.address() + ": ")
                    .contains(Manager1.BUS_NAME).hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void noDaemonOnTheSystemBusExitsThree() throws Exception {
        Path socket = dir.resolve("no-system-bus");
        Result r = run(Map.of("PUZZLEPOD_BUS", "system", "DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + socket), "status");
        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).isEqualTo("puzzlectl: puzzled is not reachable on the system bus: no bus socket at " + socket + "\n");
        assertThat(r.out()).isEmpty();
    }
}
