package org.lobstertrap.puzzlepod.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code install.sh} from the built checkout into a throwaway prefix: every part lands where the READMEs
 * say, the installed commands run, the hooks name the installed hook, and uninstall removes exactly what
 * it installed (the operator's /etc/puzzled only with --purge). Needs the modules packaged (mvn verify).
 */
@Tag("slow")
class InstallScriptTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    @TempDir Path dir;

    record Run(int code, String out) {}

    static Run run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static long files(Path root) throws IOException {
        if (!Files.exists(root)) return 0;
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void installsRunsAndUninstallsExactlyItsFiles() throws Exception {
        Path prefix = dir.resolve("usr"), etc = dir.resolve("etc");
        List<String> base = List.of("bash", REPO.resolve("install.sh").toString(), "--prefix", prefix.toString(),
                "--sysconfdir", etc.toString());
        Run install = run(concat(base, "--no-aot"));
        assertThat(install.code()).as(install.out()).isZero();

        for (String f : List.of("bin/puzzled", "bin/puzzlectl", "bin/puzzle-podman", "bin/puzzle-rego", "libexec/puzzlepod/puzzle-hook",
                "share/containers/oci/hooks.d/puzzlepod-precreate.json", "share/puzzlepod/policies/commit.rego",
                "share/puzzlepod/profiles/standard.yaml", "share/bash-completion/completions/puzzlectl", "lib/puzzlepod/MANIFEST"))
            assertThat(prefix.resolve(f)).as(f).exists();
        for (String f : List.of("containers/containers.conf.d/50-puzzlepod.conf", "dbus-1/system.d/org.lobstertrap.PuzzlePod1.conf",
                "puzzled/puzzled.yaml", "puzzled/profiles/standard.yaml", "puzzled/policies/commit.rego"))
            assertThat(etc.resolve(f)).as(f).exists();
        assertThat(Files.readString(prefix.resolve("share/containers/oci/hooks.d/puzzlepod-precreate.json")))
                .contains(prefix.resolve("libexec/puzzlepod/puzzle-hook").toString());
        try (var hooks = Files.list(prefix.resolve("share/containers/oci/hooks.d"))) {
            assertThat(hooks.map(p -> p.getFileName().toString())).as("only the precreate hook").containsExactly("puzzlepod-precreate.json");
        }
        assertThat(prefix.resolve("lib/puzzlepod/puzzle-init")).as("the init shim").isExecutable();
        assertThat(Files.readString(prefix.resolve("share/containers/oci/hooks.d/puzzlepod-precreate.json")))
                .as("the hook finds the installed shim").contains("PUZZLEPOD_SHIM=" + prefix.resolve("lib/puzzlepod/puzzle-init"));

        Run help = run(List.of(prefix.resolve("bin/puzzlectl").toString(), "--help"));
        assertThat(help.code()).as(help.out()).isZero();
        assertThat(help.out()).contains("Usage: puzzlectl");
        Run check = run(List.of(prefix.resolve("bin/puzzled").toString(), "--check-config", "--config",
                etc.resolve("puzzled/puzzled.yaml").toString()));
        assertThat(check.code()).as(check.out()).isZero();
        Run hook = run(List.of(prefix.resolve("libexec/puzzlepod/puzzle-hook").toString()));
        assertThat(hook.code()).as(hook.out()).isNotZero();
        assertThat(hook.out()).contains("usage: puzzle-hook");

        Run uninstall = run(concat(base, "--uninstall"));
        assertThat(uninstall.code()).as(uninstall.out()).isZero();
        assertThat(files(prefix)).as("nothing of the product left under the prefix").isZero();
        assertThat(etc.resolve("containers/containers.conf.d/50-puzzlepod.conf")).doesNotExist();
        assertThat(etc.resolve("puzzled/puzzled.yaml")).as("the operator's configuration stays").exists();

        assertThat(run(concat(base, "--no-aot")).code()).isZero();
        Run purge = run(concat(base, "--uninstall", "--purge"));
        assertThat(purge.code()).as(purge.out()).isZero();
        assertThat(files(prefix) + files(etc)).isZero();
    }

    private static List<String> concat(List<String> a, String... more) {
        return Stream.concat(a.stream(), Stream.of(more)).toList();
    }
}
