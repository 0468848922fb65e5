package org.lobstertrap.puzzlepod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The real Quadlet generator over the shipped quadlets/: the podman command it generates carries the governance. */
class QuadletDryRunTest {
    static final Map<Character, String> SPECIFIERS = Map.of('t', "/run", 'N', "unit", 'n', "unit.service");

    @Test
    void everyShippedContainerFileIsOneOfTheKnownUnits() throws Exception {
        try (Stream<Path> s = Files.list(RepoFiles.quadlets())) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".container")))
                    .containsExactlyInAnyOrderElementsOf(ShippedUnits.ALL.stream().map(ShippedUnits.Unit::file).toList());
        }
        for (ShippedUnits.Unit u : ShippedUnits.ALL) {
            assertThat(RepoFiles.root().resolve("profiles").resolve(u.profile() + ".yaml")).as(u + " names a shipped profile").exists();
        }
    }

    @ParameterizedTest(name = "user={0}")
    @ValueSource(booleans = {false, true})
    void theGeneratedExecStartCarriesTheProfileAnnotationAndTheWorkspaceVolume(boolean user) throws Exception {
        Map<String, String> generated = QuadletGenerator.find().dryRun(RepoFiles.quadlets(), user);
        assertThat(generated.keySet()).containsExactlyInAnyOrderElementsOf(ShippedUnits.ALL.stream().map(ShippedUnits.Unit::service).toList());
        for (ShippedUnits.Unit u : ShippedUnits.ALL) {
            String text = generated.get(u.service());
            List<String> argv = ExecLine.parse(UnitText.value(text, "Service", "ExecStart"), SPECIFIERS).argv();
            assertThat(argv.subList(0, 2)).as(u.toString()).containsExactly("/usr/bin/podman", "run");
            assertThat(pairs(argv, "--annotation")).as(u.toString()).containsExactly("org.lobstertrap.puzzlepod.profile=" + u.profile());
            assertThat(pairs(argv, "-v")).as(u.toString()).containsExactly(ShippedUnits.PROJECT + ":/workspace");
            assertThat(argv).as(u.toString()).contains("--name", u.name());
            // The agent waits for puzzled: without it the hook refuses the container.
            assertThat(UnitText.values(text, "Unit", "Requires")).as(u.toString()).contains("puzzled.service");
            assertThat(String.join(" ", UnitText.values(text, "Unit", "After"))).as(u.toString()).contains("puzzled.service");
            // A job, not a daemon: never restarted behind the policy's back.
            assertThat(UnitText.value(text, "Service", "Restart")).as(u.toString()).isEqualTo("no");
        }
    }

    @Test
    void theTimerStartsTheGeneratedScheduledAgent() throws Exception {
        String timer = Files.readString(RepoFiles.quadlets().resolve("puzzlepod-nightly-deps.timer"));
        String unit = UnitText.value(timer, "Timer", "Unit");
        assertThat(QuadletGenerator.find().dryRun(RepoFiles.quadlets(), false)).containsKey(unit);
        assertThat(UnitText.value(timer, "Timer", "OnCalendar")).isNotBlank();
        assertThat(UnitText.value(timer, "Install", "WantedBy")).isEqualTo("timers.target");
    }

    @Test
    void systemdQuotingIsUndoneAsSystemdDoes() {
        assertThat(ExecLine.parse("-/usr/bin/podman run --cidfile=%t/%N.cid sh -c \"cd /w && echo \\\"a b\\\" 100%% $$HOME\" 'x y'", SPECIFIERS).argv())
                .containsExactly("/usr/bin/podman", "run", "--cidfile=/run/unit.cid", "sh", "-c", "cd /w && echo \"a b\" 100% $HOME", "x y");
    }

    /** The values following each occurrence of an option. */
    static List<String> pairs(List<String> argv, String option) {
        return java.util.stream.IntStream.range(0, argv.size() - 1).filter(i -> argv.get(i).equals(option))
                .mapToObj(i -> argv.get(i + 1)).toList();
    }
}
