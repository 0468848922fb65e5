package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options a governed run refuses, and close relatives it allows. */
class RunRefusalsTest {
    @TempDir Path tmp;

    private void check(Path base, String... args) throws UsageException {
        RunRefusals.check(RunArgumentParser.parse(List.of(args)), base);
    }

    private Path base() throws Exception {
        Path b = tmp.resolve("proj");
        Files.createDirectories(b.resolve("sub"));
        return b.toRealPath();
    }

    @Test
    void containmentOff() throws Exception {
        Path b = base();
        assertThatThrownBy(() -> check(b, "--privileged", "img")).hasMessageContaining("refusing --privileged");
        assertThatThrownBy(() -> check(b, "--privileged=true", "img")).hasMessageContaining("refusing --privileged");
        assertThatThrownBy(() -> check(b, "--pid=host", "img")).hasMessageContaining("refusing --pid=host");
        assertThatThrownBy(() -> check(b, "--pid", "host", "img")).hasMessageContaining("refusing --pid=host");
        assertThatThrownBy(() -> check(b, "--security-opt", "seccomp=unconfined", "img")).hasMessageContaining("seccomp");
        assertThatThrownBy(() -> check(b, "--security-opt=seccomp:unconfined", "img")).hasMessageContaining("seccomp");
    }

    @Test
    void closeRelativesAreAllowed() throws Exception {
        Path b = base();
        assertThatCode(() -> check(b, "--privileged=false", "--pid=private", "--userns=host", "--security-opt",
                "label=disable", "-v", tmp.resolve("other") + ":/data", "-v", "named:/cache", "img")).doesNotThrowAnyException();
        assertThatCode(() -> check(b, "img", "--privileged")).as("after IMAGE: the command's").doesNotThrowAnyException();
    }

    @Test
    void bindMountsOfTheBaseItsInsideOrItsParents() throws Exception {
        Path b = base();
        assertThatThrownBy(() -> check(b, "-v", b + ":/data", "img")).hasMessageContaining("the base directory");
        assertThatThrownBy(() -> check(b, "-v", b + ":/data:ro", "img")).hasMessageContaining("the base directory");
        assertThatThrownBy(() -> check(b, "--volume=" + b.resolve("sub") + ":/s", "img")).hasMessageContaining("inside the base");
        assertThatThrownBy(() -> check(b, "-v", tmp + ":/t:ro", "img")).hasMessageContaining("contains the base");
        assertThatThrownBy(() -> check(b, "-v", b + "/sub/../:/x", "img")).hasMessageContaining("the base directory");
        assertThatThrownBy(() -> check(b, "--mount", "type=bind,source=" + b + ",target=/m,readonly", "img"))
                .hasMessageContaining("the base directory");
        assertThatThrownBy(() -> check(b, "--mount=type=bind,src=/,dst=/m", "img")).hasMessageContaining("contains the base");
    }

    @Test
    void aSymlinkToTheBaseIsTheBase() throws Exception {
        Path b = base();
        Path link = Files.createSymbolicLink(tmp.resolve("link"), b);
        assertThatThrownBy(() -> check(b, "-v", link + ":/data", "img")).hasMessageContaining("the base directory");
    }

    @Test
    void mountsOverTheWorkspace() throws Exception {
        Path b = base();
        assertThatThrownBy(() -> check(b, "-v", "/srv/x:/workspace", "img")).hasMessageContaining("over the workspace");
        assertThatThrownBy(() -> check(b, "-v", "/srv/x:/workspace/sub:ro", "img")).hasMessageContaining("over the workspace");
        assertThatThrownBy(() -> check(b, "-v", "/workspace/cache", "img")).hasMessageContaining("over the workspace");
        assertThatThrownBy(() -> check(b, "--tmpfs", "/workspace/tmp:size=1m", "img")).hasMessageContaining("over the workspace");
        assertThatThrownBy(() -> check(b, "--mount", "type=tmpfs,destination=/workspace", "img")).hasMessageContaining("over the workspace");
        assertThatThrownBy(() -> check(b, "--workspace", "/w", "-v", "/srv/x:/w", "img")).hasMessageContaining("over the workspace /w");
        assertThatCode(() -> check(b, "-v", "/srv/x:/workspace2", "img")).doesNotThrowAnyException();
    }

    @Test
    void governanceAnnotationsAreTheWrappers() throws Exception {
        Path b = base();
        assertThatThrownBy(() -> check(b, "--annotation", "org.lobstertrap.puzzlepod.branch=other", "img"))
                .hasMessageContaining("sets the org.lobstertrap.puzzlepod.* annotations itself");
        assertThatCode(() -> check(b, "--annotation", "team=a", "img")).doesNotThrowAnyException();
    }
}
