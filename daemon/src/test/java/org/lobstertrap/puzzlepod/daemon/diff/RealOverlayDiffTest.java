package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.daemon.diff.Tree.b;

/**
 * The diff of upper directories written by the real overlay implementations: kernel overlayfs through
 * podman's {@code :O} volumes, kernel overlayfs mounted with {@code userxattr}, and fuse-overlayfs.
 * Runs as root (as CI does); a missing tool or image fails the test with what is missing.
 */
@Tag("slow")
class RealOverlayDiffTest {
    @TempDir Path tmp;
    Tree base;
    Path upper, work, mnt;
    boolean mounted;

    @BeforeEach void dirs() throws IOException {
        base = new Tree(Files.createDirectory(tmp.resolve("base")));
        upper = Files.createDirectory(tmp.resolve("upper"));
        work = Files.createDirectory(tmp.resolve("work"));
        mnt = Files.createDirectory(tmp.resolve("mnt"));
    }

    @AfterEach void unmount() throws LinuxException {
        if (mounted) Tree.SYS.umount2(b(mnt.toString()), 2 /* MNT_DETACH */);
    }

    Changeset diff(OverlayFlavor flavor) throws DiffException {
        DiffResult r = UpperDirDiff.onLinux().diff(base.bytes(), b(upper.toString()), flavor);
        assertThat(r.skipped()).isEmpty();
        return r.changeset();
    }

    static List<String> summary(Changeset cs) {
        return cs.changes().stream().map(c -> c.kind() + " " + c.path().display() + (c.directory() ? "/" : "")).toList();
    }

    static Change get(Changeset cs, String path) {
        return cs.changes().stream().filter(c -> c.path().equals(RelPath.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("no change for " + path + " in " + cs.changes()));
    }

    void standardBase() throws IOException {
        base.file("README", "readme\n").file("app.log", "log1\n").file("script.sh", "#!/bin/sh\n", 0644)
                .file("keep.txt", "keep").file("same.txt", "same").symlink("link", "README")
                .dir("src").file("src/a.c", "int a;\n").file("src/b.c", "int b;\n")
                .dir("src/lib").file("src/lib/x.c", "x").file("src/lib/y.c", "y")
                .dir("old").file("old/o1", "1").file("old/o2", "2").dir("old/sub").file("old/sub/o3", "3")
                .dir("docs").file("docs/guide.md", "guide");
    }

    @Test void podmanBranchWithEveryKindOfChange() throws Exception {
        standardBase();
        Shell.podmanBranch(base.root, upper, work, """
                cd /workspace
                echo new > created.txt
                echo log2 >> app.log
                cat same.txt > /dev/null
                rm README
                rm -r src
                mkdir src
                echo fresh > src/a.c
                mv old renamed
                chmod 755 script.sh
                ln -s docs/guide.md guide
                ln keep.txt keep2.txt
                mkfifo pipe
                printf x > "$(printf 'nl\\nname')"
                printf y > "$(printf 'bad\\377name')"
                mkdir -p new/deep
                echo d > new/deep/f
                rm link
                ln -s keep.txt link
                """);
        Changeset cs = diff(OverlayFlavor.TRUSTED_XATTR);
        assertThat(summary(cs)).containsExactlyInAnyOrder(
                "Modified app.log", "Added bad\\xffname", "Added created.txt", "Symlink guide",
                "MetadataChanged keep.txt", "Hardlink keep2.txt", "Symlink link",
                "Added new/", "Added new/deep/", "Added new/deep/f", "Added nl\\x0aname",
                "Deleted old/", "Deleted old/o1", "Deleted old/o2", "Deleted old/sub/", "Deleted old/sub/o3",
                "Fifo pipe", "Deleted README",
                "Added renamed/", "Added renamed/o1", "Added renamed/o2", "Added renamed/sub/", "Added renamed/sub/o3",
                "MetadataChanged script.sh",
                "Modified src/a.c", "Deleted src/b.c", "Deleted src/lib/", "Deleted src/lib/x.c", "Deleted src/lib/y.c");
        assertThat(get(cs, "app.log").checksum()).isEqualTo(Tree.sha256("log1\nlog2\n"));
        assertThat(get(cs, "app.log").size()).isEqualTo(10);
        assertThat(get(cs, "keep2.txt").hardlinkOf()).isEqualTo(RelPath.of("keep.txt"));
        assertThat(get(cs, "guide").symlinkTarget()).isEqualTo(b("docs/guide.md"));
        assertThat(get(cs, "link").symlinkTarget()).isEqualTo(b("keep.txt"));
        assertThat(get(cs, "script.sh").mode()).isEqualTo(FileStat.S_IFREG | 0755);
        assertThat(get(cs, "script.sh").oldMode()).isEqualTo(FileStat.S_IFREG | 0644);
        assertThat(get(cs, "renamed/sub/o3").checksum()).isEqualTo(Tree.sha256("3"));
        assertThat(cs.changes().stream().filter(c -> c.path().display().equals("nl\\x0aname")).findFirst().orElseThrow()
                .path().bytes()).isEqualTo(b("nl\nname"));
        assertThat(cs.changes().stream().filter(c -> c.path().display().equals("bad\\xffname")).findFirst().orElseThrow()
                .path().bytes()).isEqualTo(new byte[] {'b', 'a', 'd', (byte) 0xff, 'n', 'a', 'm', 'e'});
    }

    @Test void podmanBranchThatTouchedButChangedNothingIsEmpty() throws Exception {
        base.file("f1", "one").file("f2", "two", 0644).file("f3", "three").file("f4", "four").file("f5", "five")
                .dir("d").file("d/inner", "inner");
        Shell.podmanBranch(base.root, upper, work, """
                cd /workspace
                : >> f1
                chmod 644 f2
                touch f3
                chown 0:0 f4
                cat f5 > /dev/null
                : >> d/inner
                """);
        try (Stream<Path> s = Files.walk(upper)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> upper.relativize(p).toString()))
                    .as("the branch copied files up, so the diff has something to see through")
                    .contains("f1", "f2", "d/inner");
        }
        assertThat(diff(OverlayFlavor.TRUSTED_XATTR).changes()).isEmpty();
    }

    /** Root in the initial namespace may mount overlayfs with userxattr (kernel 6.18 allows it). */
    @Test void kernelOverlayWithUserXattr() throws Exception {
        base.dir("tree").file("tree/t1", "1").dir("tree/sub").file("tree/sub/t2", "2")
                .dir("redo").file("redo/r1", "r\n").file("redo/r2", "r2").file("gone", "g").file("mode.txt", "m");
        Tree.SYS.mount("overlay", b(mnt.toString()), "overlay", 0,
                "userxattr,lowerdir=" + base.root + ",upperdir=" + upper + ",workdir=" + work);
        mounted = true;
        Shell.ok(List.of("sh", "-euc", """
                cd "$1"
                rm gone
                rm -r tree
                rm -r redo
                mkdir redo
                echo r > redo/r1
                chmod 600 mode.txt
                echo hi > added
                """, "sh", mnt.toString()));
        Tree.SYS.umount2(b(mnt.toString()), 0);
        mounted = false;
        assertThat(Tree.SYS.llistxattr(b(upper.resolve("redo").toString()))).contains("user.overlay.opaque");
        Changeset cs = diff(OverlayFlavor.USER_XATTR);
        assertThat(summary(cs)).containsExactly(
                "Added added", "Deleted gone", "MetadataChanged mode.txt", "Deleted redo/r2",
                "Deleted tree/", "Deleted tree/sub/", "Deleted tree/sub/t2", "Deleted tree/t1");
    }

    @Test void fuseOverlayfsBranch() throws Exception {
        base.file("gone.txt", "g").file("grow.txt", "grow").file("mode.txt", "m", 0644)
                .dir("tree").file("tree/t1", "1").dir("tree/sub").file("tree/sub/t2", "2")
                .dir("redo").file("redo/r1", "r1\n").file("redo/r2", "r2").dir("deep").dir("deep/er").file("deep/er/x", "x");
        Shell.ok(List.of("fuse-overlayfs", "-o",
                "lowerdir=" + base.root + ",upperdir=" + upper + ",workdir=" + work, mnt.toString()));
        mounted = true;
        List<String> script = new ArrayList<>(List.of("sh", "-euc", """
                cd "$1"
                rm gone.txt
                rm -r tree
                rm -r redo
                mkdir redo
                echo again > redo/new
                echo r1 > redo/r1
                echo more >> grow.txt
                chmod 600 mode.txt
                ln -s target sl
                mkfifo pipe
                ln grow.txt grow-link
                rm deep/er/x
                printf z > "$(printf 'sp\\303\\251cial\\nx')"
                """, "sh", mnt.toString()));
        try {
            Shell.ok(script);
        } finally {
            Shell.ok(List.of("fusermount3", "-u", mnt.toString()));
            mounted = false;
        }
        Changeset cs = diff(OverlayFlavor.FUSE);
        assertThat(summary(cs)).containsExactlyInAnyOrder(
                "Deleted deep/er/x", "Deleted gone.txt", "Added grow-link", "Hardlink grow.txt", "MetadataChanged mode.txt",
                "Fifo pipe", "Added redo/new", "Deleted redo/r2", "Symlink sl", "Added sp\u00e9cial\\x0ax",
                "Deleted tree/", "Deleted tree/sub/", "Deleted tree/sub/t2", "Deleted tree/t1");
        assertThat(get(cs, "grow-link").checksum()).isEqualTo(Tree.sha256("growmore\n"));
        assertThat(get(cs, "grow.txt").hardlinkOf()).isEqualTo(RelPath.of("grow-link"));
        assertThat(get(cs, "grow.txt").oldMode()).isEqualTo(FileStat.S_IFREG | 0644);
        assertThat(cs.changes()).noneMatch(c -> c.path().display().contains(".wh."));
        assertThat(OverlayFlavor.detect(Tree.SYS, b(upper.toString()))).isEqualTo(OverlayFlavor.FUSE);
        assertThat(cs.count(ChangeKind.Deleted)).isEqualTo(7);
    }
}
