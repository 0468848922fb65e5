package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.ctl.StandInBus.Run;
import org.lobstertrap.puzzlepod.ctl.StandInManager.Call;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/** Daemon errors, an unreachable daemon and the choice of bus, each with its exit code and message. */
class DaemonErrorsTest {
    @TempDir static Path dir;
    static StandInBus bus;

    @BeforeAll static void startBus() throws Exception { bus = new StandInBus(dir.resolve("bus")); }

    @AfterAll static void stopBus() { bus.close(); }

    @BeforeEach void reset() { bus.manager.reset(); }

    @ParameterizedTest
    @CsvSource({"InvalidArgument, 2", "NotFound, 4", "AccessDenied, 5", "InvalidState, 6", "Conflict, 6",
        "Unavailable, 7", "Internal, 7"})
    void eachDaemonErrorHasItsExitCodeAndMessage(ApiError code, int exit) {
        bus.manager.fail("ApproveBranch", code, "branch agent-1: something about " + code);
        Run r = bus.run("branch", "approve", "agent-1");
        assertThat(r.exit()).isEqualTo(exit);
        assertThat(r.err()).isEqualTo("puzzlectl: branch agent-1: something about " + code + " [" + code + "]\n");
        assertThat(r.out()).isEmpty();
        assertThat(bus.manager.calls()).containsExactly(Call.of("ApproveBranch", "agent-1", ""));
    }

    @Test
    void notFoundFromInspect() {
        bus.manager.fail("InspectBranch", ApiError.NotFound, "no branch ghost");
        Run r = bus.run("-o", "json", "branch", "inspect", "ghost");
        assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).isEqualTo("puzzlectl: no branch ghost [NotFound]\n");
    }

    @Test
    void anAnswerThatIsNotJsonIsADaemonError() {
        bus.manager.answer("Status", "<html>");
        Run r = bus.run("status");
        assertThat(r.exit()).isEqualTo(ExitCodes.DAEMON_ERROR);
        assertThat(r.err()).startsWith("puzzlectl: puzzled answered something that is not JSON: ");
        bus.manager.answer("Status", "");
        Run empty = bus.run("-o", "json", "status");
        assertThat(empty.exit()).isEqualTo(ExitCodes.DAEMON_ERROR);
        assertThat(empty.err()).isEqualTo("puzzlectl: puzzled answered an empty string\n");
        assertThat(empty.out()).isEmpty();
    }

    @Test
    void aBusWithoutTheDaemonIsUnreachable() throws Exception {
        try (DbusDaemon empty = DbusDaemon.startSession(dir.resolve("empty-bus"), false)) {
            Run r = StandInBus.execute(new PuzzleCtl(Map.of(), () -> 1000), "", "--bus", empty.address(), "status");
            assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).startsWith("puzzlectl: puzzled is not reachable on the bus at " + empty.address() + ": ")
                    .doesNotContain("\tat ");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void noBusSocketIsUnreachable() {
        String address = "unix:path=" + dir.resolve("no-such-socket");
        Run r = StandInBus.execute(new PuzzleCtl(Map.of(), () -> 1000), "", "branch", "list", "--bus", address);
        assertThat(r.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).isEqualTo("puzzlectl: puzzled is not reachable on the bus at " + address
                + ": no bus socket at " + dir.resolve("no-such-socket") + "\n");
    }

    @Test
    void theEnvironmentPicksTheBusWhenNoOptionDoes() {
        bus.manager.answer("Status", "{\"version\":\"0.1.0\"}");
        Run r = StandInBus.execute(new PuzzleCtl(Map.of(BusSelection.ENV, bus.address()), () -> 0), "", "-o", "json", "status");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("{\n  \"version\" : \"0.1.0\"\n}\n");
        assertThat(bus.manager.calls()).containsExactly(Call.of("Status"));
        // the option wins over the environment
        Run wins = StandInBus.execute(new PuzzleCtl(Map.of(BusSelection.ENV, "unix:path=/nonexistent/bus"), () -> 0), "",
                "status", "--bus", bus.address());
        assertThat(wins.exit()).as(wins.err()).isZero();
    }

    @Test
    void aMalformedBusIsAUsageError() {
        Run r = StandInBus.execute(new PuzzleCtl(Map.of(), () -> 0), "", "--bus", "nowhere", "status");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).isEqualTo("puzzlectl: invalid bus \"nowhere\" (from --bus): use system, session or a D-Bus "
                + "address such as unix:path=/run/puzzled/bus\n");
        Run env = StandInBus.execute(new PuzzleCtl(Map.of(BusSelection.ENV, "x:"), () -> 0), "", "status");
        assertThat(env.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(env.err()).contains("(from PUZZLEPOD_BUS)");
    }

    @Test
    void usageErrorsExitTwo() {
        Run r = bus.run("branch", "frobnicate");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Unmatched argument at index");
        assertThat(bus.run("--output", "xml", "status").err()).contains("Invalid value for option '--output'");
        assertThat(bus.run().exit()).isEqualTo(ExitCodes.USAGE);
        Run typo = bus.run("brnch");
        assertThat(typo.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).isEqualTo("""
                puzzlectl: Unmatched argument at index 2: 'brnch'
                Did you mean: puzzlectl branch?
                Try 'puzzlectl --help' for more information.
                """);
        assertThat(typo.out()).isEmpty();
        assertThat(bus.manager.calls()).isEmpty();
    }
}
