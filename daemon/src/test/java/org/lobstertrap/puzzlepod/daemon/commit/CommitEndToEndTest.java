package org.lobstertrap.puzzlepod.daemon.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.SYS;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.b;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.content;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.daemon.diff.DiffResult;
import org.lobstertrap.puzzlepod.daemon.diff.OverlayFlavor;
import org.lobstertrap.puzzlepod.daemon.diff.UpperDirDiff;

/**
 * The whole path on real parts: an agent changes its workspace in a podman container on a kernel
 * overlay branch; the upper directory is diffed; the changeset is committed into the base. The base
 * must then equal the branch's view, which the kernel itself shows when the upper directory is
 * stacked read-only on a pristine copy of the base.
 */
@Tag("slow")
class CommitEndToEndTest {
    private static final String IMAGE = "localhost/puzzlepod-test:latest";

    @TempDir Path tmp;

    @Test
    void podmanBranchCommitsToTheBranchView() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base")), upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work")), view = Files.createDirectories(tmp.resolve("view"));
        Path pristine = tmp.resolve("pristine");
        BranchFixture.writeFile(base, b("src/main.c"), b("int main() { return 0; }\n"), 0644, 0, 0);
        BranchFixture.writeFile(base, b("src/util.c"), b("int util;\n"), 0644, 0, 0);
        BranchFixture.writeFile(base, b("docs/old/a.md"), b("a"), 0644, 0, 0);
        BranchFixture.writeFile(base, b("docs/old/deeper/b.md"), b("b"), 0600, 0, 0);
        BranchFixture.writeFile(base, b("becomes-dir"), b("file"), 0644, 0, 0);
        BranchFixture.writeFile(base, b("tree/x"), b("x"), 0644, 0, 0);
        BranchFixture.writeFile(base, b("opaque/stale"), b("stale"), 0644, 0, 0);
        BranchFixture.writeFile(base, b("run.sh"), b("#!/bin/sh\n"), 0644, 0, 0);
        BranchFixture.writeFile(base, b("big.bin"), content(5, 3 << 20), 0644, 0, 0);
        ChangesetCommitterTest.copyTree(base, pristine);

        podman(base, upper, work, String.join("\n",
                "set -e",
                "cd /workspace",
                "echo 'int main() { return 1; }' > src/main.c",
                "rm src/util.c",
                "rm -r docs/old",
                "rm becomes-dir && mkdir becomes-dir && echo inner > becomes-dir/inner",
                "rm -r tree && echo now-a-file > tree",
                "rm -r opaque && mkdir opaque && echo fresh > opaque/fresh",
                "chmod 4755 run.sh",
                "ln -s ../src/main.c link-to-main && ln -s /etc/passwd abs-link",
                "mkfifo pipe && mkdir -p new/deep/er && dd if=/dev/zero of=new/deep/er/zeros bs=1024 count=70 2>/dev/null",
                "echo hard > new/h1 && ln new/h1 new/h2",
                "touch \"$(printf 'line\\nbreak')\" -- '-dash'",
                "dd if=/dev/urandom of=big.bin bs=1024 count=100 conv=notrunc 2>/dev/null"));

        DiffResult diff = UpperDirDiff.onLinux().diff(b(base.toString()), b(upper.toString()), OverlayFlavor.TRUSTED_XATTR);
        assertThat(diff.skipped()).isEmpty();
        Changeset changeset = diff.changeset();
        assertThat(changeset.size()).isGreaterThan(15);

        byte[] viewPath = view.toString().getBytes(StandardCharsets.UTF_8);
        SYS.mount("overlay", viewPath, "overlay", 1 /* MS_RDONLY */, "lowerdir=" + upper + ":" + pristine);
        TreeHash branchView;
        try {
            branchView = TreeHash.of(SYS, view);
        } finally {
            SYS.umount2(viewPath, 2);
        }

        ChangesetCommitter.CommitResult result = ChangesetCommitter.linux().commit(changeset, upper, base);
        assertThat(result.operations()).isPositive();
        TreeHash committed = TreeHash.of(SYS, base);
        assertThat(committed.listing().subList(1, committed.listing().size()))
                .isEqualTo(branchView.listing().subList(1, branchView.listing().size()));
        assertThat(BranchFixture.lstatOrNull(BranchFixture.abs(base, b(ChangesetCommitter.RESERVED)))).isNull();
        assertThat(SYS.llistxattr(BranchFixture.abs(base, b("becomes-dir")))).noneMatch(n -> n.startsWith("trusted.overlay."));
    }

    private static void podman(Path base, Path upper, Path work, String script) throws Exception {
        List<String> cmd = List.of("podman", "run", "--rm", "--network=none",
                "-v", base + ":/workspace:O,upperdir=" + upper + ",workdir=" + work, IMAGE, "sh", "-c", script);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            fail("podman is required for this test and could not be started: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) fail("podman run failed (needs podman and the image " + IMAGE + "):\n" + out);
    }
}
