package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run flow's failure paths around podman itself (stand-in daemon behind the real hook socket; podman replaced). */
class RunFlowTest {
    @TempDir Path dir;

    private Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aTriggerThatAlreadyHappenedStillWaitsForTheDecision() throws Exception {
        Path podman = script("podman", "exit 0");
        try (StandInBus b = StandInBus.start(dir, true)) {
            b.manager.triggerFails = true;
            int code = b.run(dir, List.of(podman.toString()), null, List.of("run", "--runtime-dir", b.runtimeDir(), "--auto-commit", "img"));
            assertThat(code).as(b.err()).isZero();
            assertThat(b.err()).contains("governance of branch b1 had already started", "committed branch b1");
            assertThat(b.manager.methods()).endsWith("TriggerGovernance", "WaitBranch");
        }
    }

    @Test
    void podmanMissingRollsTheBranchBack() throws Exception {
        try (StandInBus b = StandInBus.start(dir, true)) {
            int code = b.run(dir, List.of(dir.resolve("no-podman").toString()), null,
                    List.of("run", "--runtime-dir", b.runtimeDir(), "--auto-commit", "img", "true"));
            assertThat(code).isEqualTo(ExitCodes.NO_PODMAN);
            assertThat(b.err()).contains("cannot run", "podman could not be started; branch b1 rolled back");
            assertThat(b.manager.methods()).containsExactly("ShowProfile", "CreateBranch", "RollbackBranch");
        }
    }

    @Test
    void aFailedDetachedStartRollsTheBranchBackAndKeepsPodmansCode() throws Exception {
        Path podman = script("podman", "echo 'Error: no such image' >&2; exit 125");
        try (StandInBus b = StandInBus.start(dir, true)) {
            int code = b.run(dir, List.of(podman.toString()), null, List.of("run", "--runtime-dir", b.runtimeDir(), "-d", "img"));
            assertThat(code).isEqualTo(125);
            assertThat(b.manager.methods()).containsExactly("ShowProfile", "CreateBranch", "RollbackBranch");
            assertThat(b.manager.calls.getLast()).isEqualTo("RollbackBranch b1 podman run -d failed with exit code 125");
        }
    }

    @Test
    void theArgumentsPodmanGets() throws Exception {
        Path args = dir.resolve("args");
        Path podman = script("podman", "for a in \"$@\"; do printf '%s\\n' \"$a\" >> " + args + "; done");
        try (StandInBus b = StandInBus.start(dir, true)) {
            int code = b.run(dir, List.of(podman.toString()), null, List.of("run", "--runtime-dir", b.runtimeDir(), "--workspace", "/src",
                    "--profile", "ci-runner", "-e", "A=B C", "--", "img", "sh", "-c", "echo 'x y'"));
            assertThat(code).as(b.err()).isZero();
            Path base = dir.toRealPath();
            assertThat(Files.readAllLines(args)).containsExactly("run", "-e", "A=B C",
                    "--volume=" + base + ":/src:O,upperdir=" + dir.resolve("branches/b1/upper") + ",workdir=" + dir.resolve("branches/b1/work"),
                    "--annotation=org.lobstertrap.puzzlepod.profile=ci-runner", "--annotation=org.lobstertrap.puzzlepod.branch=b1",
                    "--annotation=org.lobstertrap.puzzlepod.base=" + base, "--annotation=org.lobstertrap.puzzlepod.workspace=/src",
                    "--annotation=org.lobstertrap.puzzlepod.runtime-dir=" + b.runtimeDir(),
                    "--annotation=org.lobstertrap.puzzlepod.trigger=wrapper",
                    "--memory=268435456", "--pids-limit=64", "--cpu-shares=512", "--network=none",
                    "--", "img", "sh", "-c", "echo 'x y'");
            assertThat(b.manager.createOptions.get("b1").toString()).isEqualTo("{\"workspace\":\"/src\",\"on_exit\":\"commit\",\"podman_seccomp\":true}");
            assertThat(b.manager.calls.get(1)).isEqualTo("CreateBranch ci-runner " + base);
        }
    }
}
