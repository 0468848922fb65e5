package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.hook.HookSocketClient;

/** Which hook socket a hook uses: annotation, then PUZZLEPOD_RUNTIME_DIR, then HookSocketLocation's rule. */
class HookEnvironmentTest {
    static HookEnvironment env(Map<String, String> vars, int uid, String uidMap) {
        return new HookEnvironment(vars, uid, uidMap, HookSocketClient::connect);
    }

    @Test
    void rootReachesTheRootDaemonAndARootlessHookItsUsersDaemon() {
        assertThat(env(Map.of(), 0, "0 0 4294967295\n").socket(Optional.empty())).isEqualTo(Path.of("/run/puzzled/hook.sock"));
        assertThat(env(Map.of(), 0, "0 1000 1\n1 100000 65536\n").socket(Optional.empty()))
                .isEqualTo(Path.of("/run/user/1000/puzzled/hook.sock"));
    }

    @Test
    void theAnnotationWinsOverTheVariableWhichWinsOverTheDefault() {
        HookEnvironment e = env(Map.of("PUZZLEPOD_RUNTIME_DIR", "/tmp/a"), 0, null);
        assertThat(e.socket(Optional.empty())).isEqualTo(Path.of("/tmp/a/hook.sock"));
        assertThat(e.socket(Optional.of("/tmp/b"))).isEqualTo(Path.of("/tmp/b/hook.sock"));
    }
}
