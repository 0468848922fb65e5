package org.lobstertrap.puzzlepod.daemon.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.DBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.daemon.dbus.BusFixture;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;
import org.lobstertrap.puzzlepod.testkit.PuzzledInstance;

/**
 * puzzled as a real child process on a private dbus-daemon: taking the name, serving, refusing a second
 * instance, stopping cleanly on SIGTERM/SIGINT, and the exit codes of its failures.
 */
class PuzzledProcessTest {
    private static final long START_SECONDS = 60;

    @TempDir Path dir;

    /** A configuration that keeps every directory inside the test's temp dir. */
    private Path config() throws Exception {
        return PuzzledInstance.writeConfig(dir.resolve("puzzled.yaml"), dir.resolve("state"), null);
    }

    private static boolean nameOwned(String address) throws Exception {
        try (DBusConnection c = DBusConnectionBuilder.forAddress(address).withShared(false).build()) {
            return c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class).NameHasOwner(Manager1.BUS_NAME);
        }
    }

    @Test
    void ownsTheNameServesRefusesASecondInstanceAndStopsCleanlyOnSigterm() throws Exception {
        BusFixture.openToOthers(dir);
        Path cfg = config();
        try (DbusDaemon bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(BusFixture.policyFile()));
             PuzzledInstance first = start(StandInPuzzled.class, dir, "--config", cfg.toString(), "--bus", bus.address())) {
            assertThat(first.awaitLine("ready: " + Manager1.BUS_NAME, START_SECONDS)).as(first.stderr()).isTrue();
            assertThat(nameOwned(bus.address())).isTrue();
            try (PuzzlePodClient client = PuzzlePodClient.connect(BusChoice.address(bus.address()))) {
                assertThat(client.status()).isEqualTo("{\"method\":\"Status\",\"uid\":0}");
                // the service's events become signals of the daemon
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                try (AutoCloseable sub = client.onSignals((name, id, json) -> got.add(name + " " + id))) {
                    client.status();
                    client.createBranch("standard", "/srv/p", "");
                    assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("BranchCreated b1");
                }
                // nobody reaches the daemon too, and is seen as uid 65534
                BusFixture.Result r = BusFixture.dbusSendAsNobody(bus.address(), "--dest=" + Manager1.BUS_NAME,
                        Manager1.OBJECT_PATH, Manager1.INTERFACE + ".Status");
                assertThat(r.out()).contains("{\"method\":\"Status\",\"uid\":65534}");

                try (PuzzledInstance second = start(StandInPuzzled.class, dir, "--config", cfg.toString(), "--bus", bus.address())) {
                    assertThat(second.awaitExit(START_SECONDS)).as(second.stderr()).isEqualTo(PuzzledExit.NAME_TAKEN);
                    assertThat(second.stderr()).contains("cannot take org.lobstertrap.PuzzlePod1")
                            .contains("already owned by another process").contains("pid " + first.pid());
                }
                assertThat(client.status()).contains("Status"); // the first one still serves
            }
            first.signal("TERM");
            assertThat(first.awaitExit(30)).as(first.stderr()).isEqualTo(PuzzledExit.OK);
            assertThat(first.stderr()).contains("stopping");
            assertThat(nameOwned(bus.address())).isFalse();
        }
    }

    @Test
    void servesOnASessionBusAndStopsCleanlyOnSigint() throws Exception {
        try (DbusDaemon bus = DbusDaemon.startSession(dir.resolve("bus"), false);
             PuzzledInstance p = start(StandInPuzzled.class, dir, "--config", config().toString(),
                     "--bus=" + bus.address(), "--foreground")) {
            assertThat(p.awaitLine("ready: ", START_SECONDS)).as(p.stderr()).isTrue();
            try (PuzzlePodClient client = PuzzlePodClient.connect(BusChoice.address(bus.address()))) {
                assertThat(client.status()).contains("\"uid\":0");
                assertThatThrownBy(() -> client.inspectBranch("error:Conflict"))
                        .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code()).isEqualTo(ApiError.Conflict));
            }
            p.signal("INT");
            assertThat(p.awaitExit(30)).as(p.stderr()).isEqualTo(PuzzledExit.OK);
            assertThat(p.stderr()).contains("stopping");
            assertThat(nameOwned(bus.address())).isFalse();
        }
    }

    @Test
    void losingTheBusStopsTheDaemonWithExit1() throws Exception {
        DbusDaemon bus = DbusDaemon.startSession(dir.resolve("bus"), false);
        try (PuzzledInstance p = start(StandInPuzzled.class, dir, "--config", config().toString(), "--bus", bus.address())) {
            assertThat(p.awaitLine("ready: ", START_SECONDS)).as(p.stderr()).isTrue();
            bus.close();
            assertThat(p.awaitExit(30)).as(p.stderr()).isEqualTo(PuzzledExit.FAILED);
            assertThat(p.stderr()).contains("lost the connection to the bus at unix:path=").contains("stopped");
        } finally {
            bus.close();
        }
    }

    /**
     * The product's main with the real GovernanceService on a system-type bus: it serves Status with the
     * shipped profiles and policies loaded, answers a branch lifecycle, and stops cleanly on SIGTERM.
     */
    @Test
    void puzzledWithTheRealServiceAnswersStatus() throws Exception {
        Path cfg = config();
        copyTree(Path.of("..", "profiles"), dir.resolve("state/profiles"));
        copyTree(Path.of("..", "policies"), dir.resolve("state/policies"));
        Path base = Files.createDirectories(dir.resolve("project"));
        Files.writeString(base.resolve("README.md"), "hello\n");
        try (DbusDaemon bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(BusFixture.policyFile()));
             PuzzledInstance p = start(PuzzledMain.class, dir, "--config", cfg.toString(), "--bus", bus.address())) {
            assertThat(p.awaitLine("ready: " + Manager1.BUS_NAME, START_SECONDS)).as(p.stderr()).isTrue();
            try (PuzzlePodClient client = PuzzlePodClient.connect(BusChoice.address(bus.address()))) {
                String status = client.status();
                assertThat(status).contains("\"daemon_uid\":0").contains("\"loaded\":true");
                String branch = client.createBranch("standard", base.toString(), "{\"id\":\"proc-test\"}");
                assertThat(branch).contains("\"id\":\"proc-test\"").contains("\"state\":\"ready\"");
                assertThat(client.listBranches("")).contains("proc-test");
                String decision = client.commitBranch("proc-test");  // nothing written: an empty changeset commits
                assertThat(decision).contains("\"outcome\":\"committed\"");
                assertThat(client.inspectBranch("proc-test")).contains("\"state\":\"committed\"");
            }
            p.signal("TERM");
            assertThat(p.awaitExit(30)).as(p.stderr()).isEqualTo(PuzzledExit.OK);
            assertThat(nameOwned(bus.address())).isFalse();
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) if (Files.isRegularFile(f)) Files.copy(f, to.resolve(f.getFileName()));
        }
    }

    @Test
    void checkConfigValidatesWithoutABus() throws Exception {
        try (PuzzledInstance p = start(PuzzledMain.class, dir, "--check-config", "--config", config().toString())) {
            assertThat(p.awaitExit(START_SECONDS)).as(p.stderr()).isZero();
        }
        assertThat(stdout()).contains("configuration " + dir.resolve("puzzled.yaml") + " is valid")
                .contains("branch_root: " + dir.resolve("state/branches")).contains("bus: system").contains("commit_timeout: 5m");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "max_branches: 10\nreview:\n  timout: 5m\n");
        try (PuzzledInstance p = start(PuzzledMain.class, dir, "--check-config", "--config", bad.toString())) {
            assertThat(p.awaitExit(START_SECONDS)).isEqualTo(PuzzledExit.CONFIG);
            assertThat(p.stderr()).contains("unknown key \"review.timout\"");
        }
        try (PuzzledInstance p = start(PuzzledMain.class, dir, "--config", dir.resolve("absent.yaml").toString())) {
            assertThat(p.awaitExit(START_SECONDS)).isEqualTo(PuzzledExit.CONFIG);
            assertThat(p.stderr()).contains("absent.yaml does not exist");
        }
    }

    @Test
    void badCommandLinesAndUnreachableBusesHaveTheirExitCodes() throws Exception {
        try (PuzzledInstance p = start(PuzzledMain.class, dir, "--bus", "nowhere")) {
            assertThat(p.awaitExit(START_SECONDS)).isEqualTo(PuzzledExit.USAGE);
            assertThat(p.stderr()).contains("--bus must be system, session or a D-Bus address").contains("usage: puzzled");
        }
        try (PuzzledInstance p = start(PuzzledMain.class, dir, "--frobnicate")) {
            assertThat(p.awaitExit(START_SECONDS)).isEqualTo(PuzzledExit.USAGE);
            assertThat(p.stderr()).contains("unknown argument \"--frobnicate\"");
        }
        try (PuzzledInstance p = start(PuzzledMain.class, dir, "--config", config().toString(),
                "--bus", "unix:path=" + dir.resolve("no-such-bus"))) {
            assertThat(p.awaitExit(START_SECONDS)).as(p.stderr()).isEqualTo(PuzzledExit.BUS);
            assertThat(p.stderr()).contains("cannot connect to the bus at unix:path=");
        }
    }

    private String stdout() throws Exception {
        try (var files = Files.list(dir)) {
            StringBuilder b = new StringBuilder();
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("puzzled-stdout-")).toList()) b.append(Files.readString(f));
            return b.toString();
        }
    }

    /** {@code main} (the real daemon or a stand-in) in a fresh JVM with exactly {@code args}. */
    private static PuzzledInstance start(Class<?> main, Path dir, String... args) throws java.io.IOException {
        List<String> cmd = new java.util.ArrayList<>(PuzzledInstance.javaCommandOf(main.getName()));
        cmd.addAll(List.of(args));
        return PuzzledInstance.launch(cmd, dir);
    }
}
