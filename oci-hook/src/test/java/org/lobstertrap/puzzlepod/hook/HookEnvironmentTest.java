package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/** Which bus a hook uses: annotation, then PUZZLEPOD_BUS, then the uid's default (hooks get almost no environment). */
class HookEnvironmentTest {
    static HookEnvironment env(Map<String, String> vars, int uid) {
        return new HookEnvironment(vars, uid, PuzzlePodClient::connect);
    }

    @Test
    void rootUsesTheSystemBusAndAnyoneElseTheirSessionBus() throws Exception {
        assertThat(env(Map.of(), 0).bus(Optional.empty())).isEqualTo(BusChoice.system());
        assertThat(env(Map.of(), 1000).bus(Optional.empty())).isEqualTo(BusChoice.address("unix:path=/run/user/1000/bus"));
        assertThat(env(Map.of("XDG_RUNTIME_DIR", "/run/user/1001"), 1001).bus(Optional.empty()))
                .isEqualTo(BusChoice.address("unix:path=/run/user/1001/bus"));
        assertThat(env(Map.of("DBUS_SESSION_BUS_ADDRESS", "unix:path=/tmp/b"), 1000).bus(Optional.empty())).isEqualTo(BusChoice.session());
    }

    @Test
    void theAnnotationWinsOverTheVariableWhichWinsOverTheDefault() throws Exception {
        HookEnvironment e = env(Map.of(HookEnvironment.BUS_VARIABLE, "unix:path=/run/a"), 0);
        assertThat(e.bus(Optional.empty())).isEqualTo(BusChoice.address("unix:path=/run/a"));
        assertThat(e.bus(Optional.of("unix:path=/run/b"))).isEqualTo(BusChoice.address("unix:path=/run/b"));
        assertThat(env(Map.of(HookEnvironment.BUS_VARIABLE, "system"), 1000).bus(Optional.empty())).isEqualTo(BusChoice.system());
        assertThatThrownBy(() -> env(Map.of(HookEnvironment.BUS_VARIABLE, "tcp:host=x"), 0).bus(Optional.empty()))
                .isInstanceOfSatisfying(HookException.class, x -> assertThat(x.getMessage()).startsWith("PUZZLEPOD_BUS \"tcp:host=x\""));
    }
}
