package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.BusChoice;

/** The bus puzzlectl picks: option, then environment, then the uid's default. */
class BusSelectionTest {
    @Test
    void defaultsFollowTheUid() {
        assertThat(BusSelection.resolve(null, Map.of(), 0)).isEqualTo(BusChoice.system());
        assertThat(BusSelection.resolve(null, Map.of(), 1000)).isEqualTo(BusChoice.session());
        assertThat(BusSelection.resolve(null, Map.of(BusSelection.ENV, " "), 0)).isEqualTo(BusChoice.system());
    }

    @Test
    void optionBeatsEnvironment() {
        Map<String, String> env = Map.of(BusSelection.ENV, "session");
        assertThat(BusSelection.resolve(null, env, 0)).isEqualTo(BusChoice.session());
        assertThat(BusSelection.resolve("system", env, 1000)).isEqualTo(BusChoice.system());
        assertThat(BusSelection.resolve("unix:path=/run/x", env, 0)).isEqualTo(BusChoice.address("unix:path=/run/x"));
    }

    @Test
    void aValueThatIsNoAddressIsRefused() {
        for (String bad : new String[] {"", "sesion", ":path=x", "unix:"}) {
            assertThatThrownBy(() -> BusSelection.resolve(bad, Map.of(), 0)).isInstanceOfSatisfying(CtlException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE));
        }
    }
}
