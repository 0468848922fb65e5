package org.lobstertrap.puzzlepod.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge against real podman: the exit status of a real container reaches the ledger. */
@Tag("slow")
class PodmanEventsBridgeTest {
    static final String IMAGE = "localhost/puzzlepod-test:latest";
    @TempDir Path dir;

    @Test
    void exitCodesOfRealContainersArrive() throws Exception {
        List<ContainerExit> heard = new CopyOnWriteArrayList<>();
        try (PodmanEventsBridge bridge = new PodmanEventsBridge(List.of("podman"), new ExitLedger(1000), heard::add).start()) {
            String three = run("exit 3");
            String zero = run("true");
            String killed = run("sh -c 'kill -9 $$'; exit $?");  // pid 1 ignores SIGKILL from inside; its child does not
            assertThat(bridge.ledger().await(three, Duration.ofSeconds(20))).hasValueSatisfying(e -> assertThat(e.exitCode()).isEqualTo(3));
            assertThat(bridge.ledger().await(zero, Duration.ofSeconds(20))).hasValueSatisfying(e -> assertThat(e.clean()).isTrue());
            assertThat(bridge.ledger().await(killed, Duration.ofSeconds(20))).hasValueSatisfying(e -> assertThat(e.signal()).isEqualTo(9));
            assertThat(heard).extracting(ContainerExit::containerId).contains(three, zero, killed);
        }
    }

    @Test
    void aMissingPodmanDoesNotCrashTheBridge() throws Exception {
        try (PodmanEventsBridge bridge = new PodmanEventsBridge(List.of(dir.resolve("no-podman").toString()), new ExitLedger(10), null).start()) {
            assertThat(bridge.ledger().await(String.format("%064x", 1), Duration.ofMillis(50))).isEmpty();
        }
    }

    /** Runs a container, returns its full id. */
    private String run(String script) throws Exception {
        Path cid = dir.resolve("cid-" + System.nanoTime());
        Process p = new ProcessBuilder("podman", "run", "--rm", "--cidfile", cid.toString(), IMAGE, "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        return Files.readString(cid).strip();
    }
}
