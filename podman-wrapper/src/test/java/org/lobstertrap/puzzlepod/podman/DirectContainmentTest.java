package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a run's containment is asked of podman directly, and when it is left to the precreate hook. */
class DirectContainmentTest {
    static final String VOLUME = "/p:/workspace:O,upperdir=/b/upper,workdir=/b/work";
    @TempDir Path dir;
    Path shim;
    Map<String, String> env;
    JsonValue branch;

    @BeforeEach
    void setUp() throws Exception {
        shim = Files.writeString(dir.resolve("puzzle-init"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        env = Map.of(DirectContainment.SHIM_VARIABLE, shim.toString());
        branch = JsonValue.parse("""
                {"id":"b1","seccomp_profile":"/run/puzzled/seccomp/b1.json","shim_rules":"/run/puzzled/shim/b1.rules"}""");
    }

    private static RunArguments args(String... a) throws Exception { return RunArgumentParser.parse(List.of(a)); }

    @Test
    void aRootfulBranchWithProfileRulesAndShimIsContainedDirectly() throws Exception {
        DirectContainment d = DirectContainment.of(args("--rm", "-e", "A=B", "--security-opt", "label=disable", "img"), branch, VOLUME, env);
        assertThat(d).isEqualTo(new DirectContainment("/run/puzzled/seccomp/b1.json", shim.toString(), "/run/puzzled/shim/b1.rules"));
    }

    @Test
    void fallsBackToTheHookWhenPodmanCannotBeAskedDirectly() throws Exception {
        assertThat(DirectContainment.of(args("img"), branch, null, env)).as("rootless: no podman_volume").isNull();
        assertThat(DirectContainment.of(args("img"), JsonValue.parse("{\"shim_rules\":\"/r\",\"seccomp_profile\":null}"), VOLUME, env))
                .as("no profile from the daemon").isNull();
        assertThat(DirectContainment.of(args("img"), JsonValue.parse("{\"seccomp_profile\":\"/s\"}"), VOLUME, env))
                .as("no rules file").isNull();
        assertThat(DirectContainment.of(args("img"), branch, VOLUME, Map.of(DirectContainment.SHIM_VARIABLE, dir.resolve("none").toString())))
                .as("no shim").isNull();
        for (List<String> user : List.of(List.of("--security-opt", "seccomp=/my.json"), List.of("--security-opt=seccomp=/my.json"),
                List.of("--seccomp-policy=image"), List.of("--init"), List.of("--init=false"), List.of("--init-path", "/x"),
                List.of("--volumes-from", "other"), List.of("-v", "/x:/.puzzlepod/rules"), List.of("--mount", "type=bind,src=/x,dst=/run/podman-init"),
                List.of("--tmpfs", "/.puzzlepod"))) {
            List<String> all = new java.util.ArrayList<>(user);
            all.add("img");
            assertThat(DirectContainment.of(RunArgumentParser.parse(all), branch, VOLUME, env)).as(String.join(" ", user)).isNull();
        }
    }
}
