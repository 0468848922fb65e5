package org.lobstertrap.puzzlepod.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.PuzzlePod1.Error;
import org.lobstertrap.puzzlepod.testkit.DbusDaemon;

/** The client against a stand-in Manager1 on a real private session bus: calls, error names, unreachable daemon. */
class ClientRoundTripTest {
    @TempDir Path dir;

    @Test
    void callsReachTheExportedObjectAndErrorsKeepTheirCode() throws Exception {
        try (DbusDaemon bus = DbusDaemon.startSession(dir.resolve("bus"), false);
             DBusConnection server = DBusConnectionBuilder.forAddress(bus.address()).withShared(false).build()) {
            server.requestBusName(Manager1.BUS_NAME);
            server.exportObject(Manager1.OBJECT_PATH, new StandIn());
            try (PuzzlePodClient client = PuzzlePodClient.connect(BusChoice.address(bus.address()))) {
                assertThat(client.status()).isEqualTo("{\"ok\":true}");
                assertThat(client.inspectBranch("b1")).isEqualTo("{\"id\":\"b1\"}");
                assertThatThrownBy(() -> client.inspectBranch("missing"))
                        .isInstanceOfSatisfying(ClientException.class, e -> {
                            assertThat(e.code()).as(e.getMessage()).isEqualTo(ApiError.NotFound);
                            assertThat(e.unreachable()).isFalse();
                            assertThat(e.getMessage()).contains("no branch missing");
                        });
            }
        }
    }

    @Test
    void aBusWithoutTheDaemonSaysSo() throws Exception {
        try (DbusDaemon bus = DbusDaemon.startSession(dir.resolve("bus"), false);
             PuzzlePodClient client = PuzzlePodClient.connect(BusChoice.address(bus.address()))) {
            assertThatThrownBy(client::status).isInstanceOfSatisfying(ClientException.class, e -> {
                assertThat(e.unreachable()).isTrue();
                assertThat(e.getMessage()).startsWith("puzzled is not reachable on the bus at unix:path=");
            });
        }
    }

    @Test
    void noBusAtAllSaysSo() {
        assertThatThrownBy(() -> PuzzlePodClient.connect(BusChoice.address("unix:path=" + dir.resolve("nothing"))))
                .isInstanceOfSatisfying(ClientException.class, e -> {
                    assertThat(e.unreachable()).isTrue();
                    assertThat(e.getMessage()).startsWith("puzzled is not reachable on the bus at");
                });
    }

    /** Answers two calls; everything else is a bug in the test. */
    static final class StandIn extends PartialManager {
        @Override public String getObjectPath() { return OBJECT_PATH; }
        @Override public String Status() { return "{\"ok\":true}"; }
        @Override public String InspectBranch(String id) {
            if (id.equals("b1")) return "{\"id\":\"b1\"}";
            throw new Error.NotFound("no branch " + id);
        }
    }
}
