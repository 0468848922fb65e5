package org.lobstertrap.puzzlepod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemd-analyze verify} over the shipped systemd units (system and user {@code puzzled.service})
 * and over the units Quadlet generates from quadlets/ plus the timer. No systemd is PID 1 here; verify works
 * offline, but checks that {@code ExecStart}'s binary exists: each run happens in a private mount namespace
 * where an overlay puts a stand-in {@code /usr/bin/puzzled} on top of the real {@code /usr/bin}. The
 * {@code Documentation=} man page check is off ({@code --man=no}): the page is installed, not built in.
 */
class SystemdUnitsVerifyTest {
    @TempDir Path dir;
    Path stubBin;

    @BeforeEach
    void setUp() throws Exception {
        for (String tool : List.of("/usr/bin/systemd-analyze", "/usr/bin/unshare", "/usr/bin/mount")) {
            assertThat(Path.of(tool)).as(tool + " is missing: install Debian's systemd and util-linux/mount packages "
                    + "(.ci/setup-machine.sh does)").isExecutable();
        }
        stubBin = Files.createDirectories(dir.resolve("stub-bin"));
        Path puzzled = Files.writeString(stubBin.resolve("puzzled"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(puzzled, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theSystemUnitVerifies() throws Exception {
        PuzzledStack.Run r = verify(false, List.of(RepoFiles.systemdUnits().resolve("system/puzzled.service")));
        assertThat(r.err() + r.out()).isEmpty();
        assertThat(r.status()).isZero();
    }

    @Test
    void theUserUnitVerifies() throws Exception {
        PuzzledStack.Run r = verify(true, List.of(RepoFiles.systemdUnits().resolve("user/puzzled.service")));
        assertThat(r.err() + r.out()).isEmpty();
        assertThat(r.status()).isZero();
    }

    @Test
    void theSystemUnitRunsTheDaemonOnTheBusWithTheHardeningItDocuments() throws Exception {
        String unit = Files.readString(RepoFiles.systemdUnits().resolve("system/puzzled.service"));
        assertThat(UnitText.value(unit, "Service", "Type")).isEqualTo("dbus");
        assertThat(UnitText.value(unit, "Service", "BusName")).isEqualTo("org.lobstertrap.PuzzlePod1");
        assertThat(UnitText.value(unit, "Service", "ExecStart")).isEqualTo("/usr/bin/puzzled");
        assertThat(UnitText.value(unit, "Service", "ProtectSystem")).isEqualTo("strict");
        assertThat(UnitText.value(unit, "Service", "ProtectHome")).isEqualTo("read-only");
        assertThat(UnitText.value(unit, "Service", "NoNewPrivileges")).isEqualTo("yes");
        assertThat(UnitText.value(unit, "Service", "PrivateTmp")).isEqualTo("yes");
        assertThat(UnitText.value(unit, "Service", "ReadWritePaths").split(" "))
                .contains("/var/lib/puzzled", "/run/puzzled", "/sys/fs/cgroup");
        assertThat(UnitText.value(unit, "Service", "RestrictAddressFamilies").split(" "))
                .containsExactlyInAnyOrder("AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK");
        String[] caps = UnitText.value(unit, "Service", "CapabilityBoundingSet").split(" ");
        assertThat(caps).containsExactlyInAnyOrder("CAP_CHOWN", "CAP_FOWNER", "CAP_FSETID", "CAP_DAC_OVERRIDE", "CAP_MKNOD",
                "CAP_SYS_ADMIN", "CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_KILL");
        for (String cap : caps) assertThat(unit).as("a comment justifies " + cap).containsPattern("#\\s+.*" + cap + "[,:]");
    }

    @Test
    void theGeneratedAgentUnitsAndTheTimerVerify() throws Exception {
        Path out = Files.createDirectories(dir.resolve("generated"));
        Map<String, String> generated = QuadletGenerator.find().dryRun(RepoFiles.quadlets(), false);
        assertThat(generated).hasSize(ShippedUnits.ALL.size());
        List<Path> units = new ArrayList<>();
        for (var e : generated.entrySet()) units.add(Files.writeString(out.resolve(e.getKey()), e.getValue()));
        units.add(Files.copy(RepoFiles.quadlets().resolve("puzzlepod-nightly-deps.timer"), out.resolve("puzzlepod-nightly-deps.timer")));
        // What the agent units require, found next to them as in /usr/lib/systemd/system.
        Files.copy(RepoFiles.systemdUnits().resolve("system/puzzled.service"), out.resolve("puzzled.service"));
        PuzzledStack.Run r = verify(false, units);
        assertThat(r.err() + r.out()).isEmpty();
        assertThat(r.status()).isZero();
    }

    @Test
    void theCheckCatchesAMisspelledKey() throws Exception {
        String unit = Files.readString(RepoFiles.systemdUnits().resolve("system/puzzled.service"));
        assertThat(unit).contains("\nLockPersonality=yes\n");
        Path bad = Files.writeString(Files.createDirectories(dir.resolve("bad")).resolve("puzzled.service"),
                unit.replace("\nLockPersonality=yes\n", "\nLockPersonalty=yes\n"));
        PuzzledStack.Run r = verify(false, List.of(bad));
        assertThat(r.err()).contains("Unknown key 'LockPersonalty'");
    }

    /** systemd-analyze [--user] verify FILES, with the stand-in puzzled visible at /usr/bin/puzzled. */
    private PuzzledStack.Run verify(boolean user, List<Path> files) throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("xdg-runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "XDG_RUNTIME_DIR=" + runtime,
                "/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "mount -t overlay puzzlepod-verify -o lowerdir=\"$1\":/usr/bin /usr/bin || exit 90; shift; exec \"$@\"",
                "sh", stubBin.toString(), "/usr/bin/systemd-analyze"));
        if (user) cmd.add("--user");
        // Documentation=man:puzzlectl(1) names a page install.sh puts in place; this machine need not have it.
        cmd.addAll(List.of("verify", "--man=no"));
        for (Path f : files) cmd.add(f.toString());
        PuzzledStack.Run r = PuzzledStack.Run.of(cmd, 120);
        assertThat(r.status()).as("the private mount namespace with the stand-in /usr/bin/puzzled could not be set up: " + r.err())
                .isNotEqualTo(90);
        return r;
    }
}
