package org.lobstertrap.puzzlepod.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lines as podman 4.3.1 prints them ({@code podman events --format json}). */
class PodmanEventParserTest {
    static final String ID = "11d086fb5376e996281b7e8b6993fa89ec601ea795c83fc31435da560ef8fb95";

    @Test
    void aDiedEventGivesTheExitCode() {
        var e = PodmanEventParser.parse("{\"ContainerExitCode\":3,\"ID\":\"" + ID + "\",\"Image\":\"localhost/puzzlepod-test:latest\","
                + "\"Name\":\"nervous_snyder\",\"Status\":\"died\",\"Time\":\"2026-11-22T13:29:20.104097244Z\",\"Type\":\"container\",\"Attributes\":{}}");
        assertThat(e).hasValueSatisfying(x -> {
            assertThat(x.containerId()).isEqualTo(ID);
            assertThat(x.exitCode()).isEqualTo(3);
            assertThat(x.time()).isEqualTo(Instant.parse("2026-11-22T13:29:20.104097244Z"));
            assertThat(x.signal()).isZero();
            assertThat(x.clean()).isFalse();
        });
    }

    @Test
    void killedBySignalAndUnknown() {
        var killed = PodmanEventParser.parse(died(137)).orElseThrow();
        assertThat(killed.signal()).isEqualTo(9);
        var unknown = PodmanEventParser.parse(died(-1)).orElseThrow();
        assertThat(unknown.unknown()).isTrue();
        assertThat(unknown.signal()).isZero();
    }

    @Test
    void otherEventsAndJunkAreIgnored() {
        assertThat(PodmanEventParser.parse("{\"ID\":\"" + ID + "\",\"Status\":\"remove\",\"Type\":\"container\"}")).isEmpty();
        assertThat(PodmanEventParser.parse("{\"Name\":\"localhost/x\",\"Status\":\"pull\",\"Type\":\"image\",\"Attributes\":null}")).isEmpty();
        assertThat(PodmanEventParser.parse("{\"ContainerExitCode\":\"x\",\"ID\":\"" + ID + "\",\"Status\":\"died\",\"Type\":\"container\"}"))
                .hasValueSatisfying(e -> assertThat(e.unknown()).isTrue());
        assertThat(PodmanEventParser.parse("{\"ContainerExitCode\":0,\"ID\":\"../../etc\",\"Status\":\"died\",\"Type\":\"container\"}")).isEmpty();
        assertThat(PodmanEventParser.parse("not json")).isEmpty();
        assertThat(PodmanEventParser.parse("[1,2]")).isEmpty();
        assertThat(PodmanEventParser.parse("")).isEmpty();
        assertThat(PodmanEventParser.parse(null)).isEmpty();
    }

    @Test
    void aMissingExitCodeIsZeroAndABadTimeIsNow() {
        // podman 4.3 leaves ContainerExitCode out of a clean exit's event (omitempty)
        var e = PodmanEventParser.parse("{\"ID\":\"" + ID + "\",\"Status\":\"died\",\"Type\":\"container\",\"Time\":\"yesterday\"}").orElseThrow();
        assertThat(e.exitCode()).isZero();
        assertThat(e.clean()).isTrue();
        assertThat(e.time()).isAfter(Instant.now().minusSeconds(60));
    }

    static String died(int code) {
        return "{\"ContainerExitCode\":" + code + ",\"ID\":\"" + ID + "\",\"Status\":\"died\",\"Time\":\"2026-11-22T13:29:20Z\",\"Type\":\"container\"}";
    }
}
