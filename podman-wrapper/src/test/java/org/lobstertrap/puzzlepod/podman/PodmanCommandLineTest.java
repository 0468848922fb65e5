package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The podman command line: user options untouched, then the mount, annotations, and profile limits where not given. */
class PodmanCommandLineTest {
    static final String VOLUME = "/p:/workspace:O,upperdir=/b/upper,workdir=/b/work";

    static JsonValue profile(String mode) throws Exception {
        return JsonValue.parse("""
                {"name":"p","resource_limits":{"memory_bytes":1048576,"max_pids":64,"cpu_shares":512},
                 "network":{"mode":"%s"}}""".formatted(mode));
    }

    @Test
    void injectsMountAnnotationsLimitsAndNetwork() throws Exception {
        RunArguments a = RunArgumentParser.parse(List.of("--profile", "p", "-it", "--rm", "-e", "A=B", "img", "sh"));
        List<String> cmd = PodmanCommandLine.build(List.of("podman"), a, "b1", VOLUME, Path.of("/p"), profile("Blocked"), "/run/private", null);
        assertThat(cmd).containsExactly("podman", "run", "-it", "--rm", "-e", "A=B",
                "--volume=" + VOLUME,
                "--annotation=org.lobstertrap.puzzlepod.profile=p",
                "--annotation=org.lobstertrap.puzzlepod.branch=b1",
                "--annotation=org.lobstertrap.puzzlepod.base=/p",
                "--annotation=org.lobstertrap.puzzlepod.workspace=/workspace",
                "--annotation=org.lobstertrap.puzzlepod.runtime-dir=/run/private",
                "--annotation=org.lobstertrap.puzzlepod.trigger=wrapper",
                "--memory=1048576", "--pids-limit=64", "--cpu-shares=512", "--network=none",
                "img", "sh");
    }

    @Test
    void theUsersOwnLimitsAndNetworkWin() throws Exception {
        RunArguments a = RunArgumentParser.parse(List.of("-m", "1g", "--pids-limit=10", "-c", "2", "--network", "host", "img"));
        List<String> cmd = PodmanCommandLine.build(List.of("podman"), a, "b1", VOLUME, Path.of("/p"), profile("Blocked"), null, null);
        assertThat(cmd).doesNotContain("--memory=1048576", "--pids-limit=64", "--cpu-shares=512", "--network=none")
                .noneMatch(s -> s.startsWith("--annotation=org.lobstertrap.puzzlepod.runtime-dir"));
        assertThat(cmd.subList(2, 10)).containsExactly("-m", "1g", "--pids-limit=10", "-c", "2", "--network", "host", "--volume=" + VOLUME);
    }

    @Test
    void detachedRunsLeaveTheTriggerToTheHooks() throws Exception {
        RunArguments a = RunArgumentParser.parse(List.of("-d", "img"));
        assertThat(PodmanCommandLine.build(List.of("podman"), a, "b1", VOLUME, Path.of("/p"), null, null, null))
                .noneMatch(s -> s.contains("puzzlepod.trigger"));
    }

    /** A per-user puzzled's branch: the precreate hook mounts it from the base annotation, so podman gets no volume. */
    @Test
    void aBranchWithoutPodmanVolumeAddsNoVolumeButKeepsTheBase() throws Exception {
        RunArguments a = RunArgumentParser.parse(List.of("--rm", "img"));
        List<String> cmd = PodmanCommandLine.build(List.of("podman"), a, "b1", null, Path.of("/home/u/p"), null, null, null);
        assertThat(cmd).noneMatch(s -> s.startsWith("--volume")).contains("--annotation=org.lobstertrap.puzzlepod.base=/home/u/p",
                "--annotation=org.lobstertrap.puzzlepod.branch=b1");
    }

    @Test
    void gatedNetworkIsLeftAlone() throws Exception {
        RunArguments a = RunArgumentParser.parse(List.of("img"));
        assertThat(PodmanCommandLine.build(List.of("podman"), a, "b1", VOLUME, Path.of("/p"), profile("Gated"), null, null))
                .noneMatch(s -> s.startsWith("--network"));
    }

    @Test
    void injectedOptionsGoBeforeADoubleDash() throws Exception {
        RunArguments a = RunArgumentParser.parse(List.of("--rm", "--", "img", "-x"));
        List<String> cmd = PodmanCommandLine.build(List.of("podman"), a, "b1", VOLUME, Path.of("/p"), null, null, null);
        assertThat(cmd.subList(cmd.size() - 3, cmd.size())).containsExactly("--", "img", "-x");
        assertThat(cmd.indexOf("--volume=" + VOLUME)).isLessThan(cmd.indexOf("--"));
    }

    @Test
    void theDirectContainmentReplacesTheProfileAnnotationWithPodmansOwnOptions() throws Exception {
        RunArguments a = RunArgumentParser.parse(List.of("--profile", "p", "--rm", "img", "sh"));
        DirectContainment d = new DirectContainment("/run/puzzled/seccomp/b1.json", "/usr/lib/puzzlepod/puzzle-init", "/run/puzzled/shim/b1.rules");
        List<String> cmd = PodmanCommandLine.build(List.of("podman"), a, "b1", VOLUME, Path.of("/p"), null, null, d);
        assertThat(cmd).containsExactly("podman", "run", "--rm",
                "--volume=" + VOLUME,
                "--security-opt=seccomp=/run/puzzled/seccomp/b1.json", "--init", "--init-path=/usr/lib/puzzlepod/puzzle-init",
                "--volume=/run/puzzled/shim/b1.rules:/.puzzlepod/rules:ro,nosuid,nodev,rprivate",
                "--annotation=org.lobstertrap.puzzlepod.branch=b1",
                "--annotation=org.lobstertrap.puzzlepod.base=/p",
                "--annotation=org.lobstertrap.puzzlepod.workspace=/workspace",
                "--annotation=org.lobstertrap.puzzlepod.trigger=wrapper",
                "img", "sh");
    }
}
