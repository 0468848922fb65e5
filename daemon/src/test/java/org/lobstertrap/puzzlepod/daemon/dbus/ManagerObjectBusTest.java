package org.lobstertrap.puzzlepod.daemon.dbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.Manager1;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/**
 * ManagerObject on a real system-type dbus-daemon that runs the product's bus policy file, called as root
 * through PuzzlePodClient and as {@code nobody} (a real other uid) through dbus-send.
 */
class ManagerObjectBusTest {
    private static final int DAEMON_UID = 0;

    @TempDir Path dir;
    private DbusDaemon bus;
    private DBusConnection server;
    private BusEndpoint endpoint;
    private final StandInApi api = new StandInApi();
    private final SignalEmitter signals = new SignalEmitter();

    @BeforeEach
    void start() throws Exception {
        BusFixture.openToOthers(dir);
        bus = DbusDaemon.startSystem(dir.resolve("bus"), List.of(BusFixture.policyFile()));
        server = BusEndpoint.connect(BusChoice.address(bus.address()), () -> {});
        endpoint = BusEndpoint.export(server, api, DAEMON_UID);
        endpoint.requestName();
        signals.start(server);
    }

    @AfterEach
    void stop() {
        signals.close();
        if (endpoint != null) endpoint.close();
        if (server != null) server.disconnect();
        if (bus != null) bus.close();
    }

    private PuzzlePodClient client() throws ClientException { return PuzzlePodClient.connect(BusChoice.address(bus.address())); }

    @Test
    void rootCallsThroughTheClientAndTheServiceSeesUidZero() throws Exception {
        try (PuzzlePodClient c = client()) {
            assertThat(c.status()).isEqualTo("{\"method\":\"Status\",\"uid\":0}");
            assertThat(c.createBranch("standard", "/srv/project", "{\"id\":\"b1\"}")).contains("CreateBranch");
            assertThat(c.waitBranch("b1", 3_600_000)).contains("WaitBranch");
        }
        assertThat(api.calls).extracting(StandInApi.Call::method).containsExactly("Status", "CreateBranch", "WaitBranch");
        assertThat(api.calls).extracting(StandInApi.Call::caller).containsOnly(new Caller(0, DAEMON_UID));
        assertThat(api.calls.get(1).args()).containsExactly("standard", "/srv/project", "{\"id\":\"b1\"}");
        // WaitBranch is capped at 10 minutes on the way in
        assertThat(api.calls.get(2).args()).containsExactly("b1", ArgumentLimits.MAX_WAIT_MILLIS);
    }

    @Test
    void nobodyMayCallAndTheServiceSeesUid65534() throws Exception {
        BusFixture.Result r = BusFixture.dbusSendAsNobody(bus.address(), "--dest=" + Manager1.BUS_NAME,
                Manager1.OBJECT_PATH, Manager1.INTERFACE + ".InspectBranch", "string:b7");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("{\"method\":\"InspectBranch\",\"uid\":65534}");
        assertThat(api.calls).singleElement().satisfies(call -> {
            assertThat(call.caller()).isEqualTo(new Caller(65534, DAEMON_UID));
            assertThat(call.caller().privileged()).isFalse();
            assertThat(call.args()).containsExactly("b7");
        });
    }

    @Test
    void nobodyGetsErrorsByTheirDbusName() throws Exception {
        BusFixture.Result r = BusFixture.dbusSendAsNobody(bus.address(), "--dest=" + Manager1.BUS_NAME,
                Manager1.OBJECT_PATH, Manager1.INTERFACE + ".RollbackBranch", "string:error:AccessDenied", "string:why");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("Error org.lobstertrap.PuzzlePod1.Error.AccessDenied: cued AccessDenied for RollbackBranch");
    }

    @Test
    void nobodyMayIntrospectAndPing() throws Exception {
        BusFixture.Result intro = BusFixture.dbusSendAsNobody(bus.address(), "--dest=" + Manager1.BUS_NAME,
                Manager1.OBJECT_PATH, "org.freedesktop.DBus.Introspectable.Introspect");
        assertThat(intro.exit()).as(intro.out()).isZero();
        assertThat(intro.out()).contains("org.lobstertrap.PuzzlePod1.Manager");
        BusFixture.Result ping = BusFixture.dbusSendAsNobody(bus.address(), "--dest=" + Manager1.BUS_NAME,
                Manager1.OBJECT_PATH, "org.freedesktop.DBus.Peer.Ping");
        assertThat(ping.exit()).as(ping.out()).isZero();
    }

    @Test
    void nobodyCannotOwnTheName() throws Exception {
        endpoint.close(); // release it, so the refusal is the policy's and not "already owned"
        endpoint = null;
        BusFixture.Result r = BusFixture.dbusSendAsNobody(bus.address(), "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus", "org.freedesktop.DBus.RequestName", "string:" + Manager1.BUS_NAME, "uint32:4");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("org.freedesktop.DBus.Error.AccessDenied");
    }

    @Test
    void nobodyCannotCallOtherInterfacesOfTheDaemon() throws Exception {
        BusFixture.Result r = BusFixture.dbusSendAsNobody(bus.address(), "--dest=" + Manager1.BUS_NAME,
                Manager1.OBJECT_PATH, "org.example.Other.Method");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("org.freedesktop.DBus.Error.AccessDenied");
        assertThat(api.calls).isEmpty();
    }

    @Test
    void aSecondOwnerIsRefusedAndNothingIsStolen() throws Exception {
        try (DBusConnection other = BusEndpoint.connect(BusChoice.address(bus.address()), () -> {})) {
            BusEndpoint second = BusEndpoint.export(other, new StandInApi(), DAEMON_UID);
            try {
                assertThatThrownBy(second::requestName).isInstanceOfSatisfying(BusEndpoint.NameUnavailable.class, e -> {
                    assertThat(e.taken()).isTrue();
                    assertThat(e.getMessage()).contains("already owned by another process").contains(server.getUniqueName());
                });
            } finally {
                second.close();
            }
        }
        try (PuzzlePodClient c = client()) {
            assertThat(c.status()).contains("Status");
        }
        assertThat(api.calls).hasSize(1);
    }

    @Test
    void everyApiErrorArrivesWithItsCode() throws Exception {
        try (PuzzlePodClient c = client()) {
            for (ApiError code : ApiError.values()) {
                assertThatThrownBy(() -> c.inspectBranch("error:" + code)).as(code.name())
                        .isInstanceOfSatisfying(ClientException.class, e -> {
                            assertThat(e.code()).isEqualTo(code);
                            assertThat(e.unreachable()).isFalse();
                            assertThat(e.getMessage()).contains("cued " + code + " for InspectBranch");
                        });
            }
        }
    }

    @Test
    void anUnexpectedExceptionBecomesInternalWithoutItsDetails() throws Exception {
        try (PuzzlePodClient c = client()) {
            assertThatThrownBy(() -> c.diffBranch("boom")).isInstanceOfSatisfying(ClientException.class, e -> {
                assertThat(e.code()).isEqualTo(ApiError.Internal);
                assertThat(e.getMessage()).contains("DiffBranch failed in the daemon (IllegalStateException)")
                        .doesNotContain("secret internal detail");
            });
            assertThat(c.status()).contains("Status"); // the object still serves
        }
    }

    @Test
    void oversizedArgumentsAreRefusedBeforeTheService() throws Exception {
        try (PuzzlePodClient c = client()) {
            assertInvalid(() -> c.createBranch("standard", "/srv", "{\"id\":\"" + "y".repeat(1 << 20) + "\"}"), "options is too large");
            assertInvalid(() -> c.createBranch("standard", "/" + "p".repeat(4096), ""), "base is too large");
            assertInvalid(() -> c.rollbackBranch("b1", "r".repeat(1025)), "reason is too long");
            assertInvalid(() -> c.inspectBranch("i".repeat(65)), "id is too long");
            assertInvalid(() -> c.validateProfile("#".repeat(256 * 1024 + 1)), "yaml is too large");
            assertInvalid(() -> c.testPolicy("{}", "p".repeat(65)), "profile is too long");
            // at the limit it passes: 1024 characters of reason, even if they take 4 bytes each
            assertThat(c.rollbackBranch("b1", "😀".repeat(1024))).contains("RollbackBranch");
        }
        assertThat(api.calls).extracting(StandInApi.Call::method).containsExactly("RollbackBranch");
    }

    @Test
    void aHundredMegabyteArgumentNeverReachesTheService() throws Exception {
        // The system bus refuses messages over its max_message_size (32 MiB by default) and drops the
        // sender's connection; the daemon never sees the message and keeps serving.
        String hundredMegabytes = "x".repeat(100_000_000);
        try (PuzzlePodClient c = client()) {
            assertThatThrownBy(() -> c.testPolicy(hundredMegabytes, "standard"))
                    .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.unreachable()).as(e.getMessage()).isTrue());
        }
        assertThat(api.calls).isEmpty();
        try (PuzzlePodClient c = client()) {
            assertThat(c.status()).contains("Status");
        }
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ClientException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ApiError.InvalidArgument);
            assertThat(e.getMessage()).contains(message).hasSizeLessThan(400);
        });
    }

    @Test
    void signalsReachAClient() throws Exception {
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (PuzzlePodClient c = client(); AutoCloseable sub = c.onSignals((name, id, json) -> got.add(name + " " + id + " " + json))) {
            c.status(); // a round trip after subscribing: the match rules are in place at the bus
            signals.branchCreated("b1", "{\"id\":\"b1\"}");
            signals.branchCommitted("b1", "{\"outcome\":\"committed\"}");
            signals.branchRolledBack("b2", "{\"branch\":\"b2\",\"reason\":\"r\"}");
            signals.policyViolation("b3", "{\"outcome\":\"rejected\"}");
            signals.reviewPending("b4", "{\"outcome\":\"review-pending\"}");
            List<String> seen = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String s = got.poll(10, TimeUnit.SECONDS);
                assertThat(s).as("signal %d of 5 (got %s)", i + 1, seen).isNotNull();
                seen.add(s);
            }
            assertThat(seen).containsExactlyInAnyOrder(
                    "BranchCreated b1 {\"id\":\"b1\"}",
                    "BranchCommitted b1 {\"outcome\":\"committed\"}",
                    "BranchRolledBack b2 {\"branch\":\"b2\",\"reason\":\"r\"}",
                    "PolicyViolation b3 {\"outcome\":\"rejected\"}",
                    "GovernanceReviewPending b4 {\"outcome\":\"review-pending\"}");
        }
        assertThat(signals.sentCount()).isEqualTo(5);
        assertThat(signals.droppedCount()).isZero();
    }

    @Test
    void onlyRootReceivesTheSignals() throws Exception {
        // Signals carry every user's branch documents: the bus policy delivers them to root only.
        if (!Files.isExecutable(Path.of("/usr/bin/gdbus"))) throw new AssertionError("/usr/bin/gdbus is missing (package libglib2.0-bin)");
        List<String> monitor = List.of("stdbuf", "-oL", "gdbus", "monitor", "--address", bus.address(),
                "--dest", Manager1.BUS_NAME, "--object-path", Manager1.OBJECT_PATH);
        List<String> asNobody = new java.util.ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        asNobody.addAll(monitor);
        Path rootOut = dir.resolve("root-monitor"), nobodyOut = dir.resolve("nobody-monitor");
        Process root = new ProcessBuilder(monitor).redirectErrorStream(true).redirectOutput(rootOut.toFile()).start();
        Process nobody = new ProcessBuilder(asNobody).redirectErrorStream(true).redirectOutput(nobodyOut.toFile()).start();
        try {
            awaitText(rootOut, "Monitoring signals");
            awaitText(nobodyOut, "Monitoring signals");
            signals.branchCreated("b9", "{\"owner_uid\":1000}");
            awaitText(rootOut, "BranchCreated");
            // root got it; the bus handles one message for all recipients at once, so give the other
            // monitor a moment more and check it got nothing
            Thread.sleep(500);
            assertThat(Files.readString(nobodyOut)).contains("Monitoring signals").doesNotContain("BranchCreated");
        } finally {
            root.destroy();
            nobody.destroy();
            root.waitFor(5, TimeUnit.SECONDS);
            nobody.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitText(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) return;
            Thread.sleep(20);
        }
        throw new AssertionError("no \"" + text + "\" in " + file.getFileName() + ": " + (Files.exists(file) ? Files.readString(file) : "(empty)"));
    }

    @Test
    void waitingCallersCannotStarveTheOthers() throws Exception {
        int waits = BusEndpoint.MAX_WAITS;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(waits);
        try (PuzzlePodClient c = client()) {
            List<java.util.concurrent.Future<String>> blocked = new java.util.ArrayList<>();
            for (int i = 0; i < waits; i++) blocked.add(pool.submit(() -> c.waitBranch("block", 60_000)));
            // all of them are inside the service once one more is refused
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            ClientException refused = null;
            while (refused == null && System.nanoTime() < deadline) {
                try {
                    c.waitBranch("other", 0);
                    Thread.sleep(20);
                } catch (ClientException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("WaitBranch number %d refused", waits + 1).isNotNull();
            assertThat(refused.code()).isEqualTo(ApiError.Unavailable);
            assertThat(refused.getMessage()).contains(waits + " WaitBranch calls are already waiting");
            assertThat(c.status()).contains("Status"); // other calls still have threads
            api.release.countDown();
            for (var f : blocked) assertThat(f.get(30, TimeUnit.SECONDS)).contains("WaitBranch");
        } finally {
            api.release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aCallerThatLeavesIsForgotten() throws Exception {
        // The uid cache is keyed by unique name and dropped on NameOwnerChanged.
        try (PuzzlePodClient c = client()) {
            c.status();
            c.status();
        }
        assertThat(api.calls).hasSize(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ManagerObject object = endpoint.object();
        while (object.cachedCallers() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(object.cachedCallers()).isZero();
    }
}
