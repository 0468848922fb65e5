package org.lobstertrap.puzzlepod.client.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookSocketLocationTest {
    private static final String INITIAL = "         0          0 4294967295\n";
    private static final String ROOTLESS_1000 = "         0       1000          1\n         1     100000      65536\n";

    @Test
    void the_variable_wins() {
        assertThat(HookSocketLocation.of(Map.of("PUZZLEPOD_RUNTIME_DIR", "/tmp/stack/run"), 0, INITIAL))
                .isEqualTo(Path.of("/tmp/stack/run/hook.sock"));
    }

    @Test
    void root_outside_a_namespace_reaches_the_root_daemon() {
        assertThat(HookSocketLocation.of(Map.of("XDG_RUNTIME_DIR", "/run/user/0"), 0, INITIAL)).isEqualTo(Path.of("/run/puzzled/hook.sock"));
        assertThat(HookSocketLocation.of(Map.of(), 0, null)).isEqualTo(Path.of("/run/puzzled/hook.sock"));
    }

    @Test
    void root_in_a_rootless_namespace_reaches_the_users_daemon() {
        assertThat(HookSocketLocation.of(Map.of(), 0, ROOTLESS_1000)).isEqualTo(Path.of("/run/user/1000/puzzled/hook.sock"));
        // the user's XDG_RUNTIME_DIR is not trusted inside the namespace: the host uid decides
        assertThat(HookSocketLocation.of(Map.of("XDG_RUNTIME_DIR", "/elsewhere"), 0, ROOTLESS_1000))
                .isEqualTo(Path.of("/run/user/1000/puzzled/hook.sock"));
    }

    @Test
    void a_user_outside_a_namespace_reaches_its_own_daemon() {
        assertThat(HookSocketLocation.of(Map.of(), 1000, INITIAL)).isEqualTo(Path.of("/run/user/1000/puzzled/hook.sock"));
        assertThat(HookSocketLocation.of(Map.of("XDG_RUNTIME_DIR", "/run/user/1000x"), 1000, INITIAL))
                .isEqualTo(Path.of("/run/user/1000x/puzzled/hook.sock"));
    }

    @Test
    void map_lines_are_read_as_inside_outside_count() {
        assertThat(HookSocketLocation.hostUid(ROOTLESS_1000, 5).getAsLong()).isEqualTo(100004);
        assertThat(HookSocketLocation.hostUid(ROOTLESS_1000, 70000)).isEmpty();
        assertThat(HookSocketLocation.isInitialNamespace(INITIAL)).isTrue();
        assertThat(HookSocketLocation.isInitialNamespace(ROOTLESS_1000)).isFalse();
    }
}
