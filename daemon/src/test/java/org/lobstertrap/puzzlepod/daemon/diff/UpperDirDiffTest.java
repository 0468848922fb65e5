package org.lobstertrap.puzzlepod.daemon.diff;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.diff.Tree.b;

/** The diff rules on hand-made base and upper directories (real kernel, real file system). */
class UpperDirDiffTest {
    @TempDir Path tmp;
    Tree base, upper;
    final UpperDirDiff differ = UpperDirDiff.onLinux();

    @BeforeEach void dirs() throws IOException {
        base = new Tree(Files.createDirectory(tmp.resolve("base")));
        upper = new Tree(Files.createDirectory(tmp.resolve("upper")));
    }

    DiffResult diff() throws DiffException { return diff(OverlayFlavor.TRUSTED_XATTR); }

    DiffResult diff(OverlayFlavor flavor) throws DiffException { return differ.diff(base.bytes(), upper.bytes(), flavor); }

    static List<String> summary(Changeset cs) {
        return cs.changes().stream().map(c -> c.kind() + " " + c.path().display() + (c.directory() ? "/" : "")).toList();
    }

    static Change get(Changeset cs, String path) {
        return cs.changes().stream().filter(c -> c.path().equals(RelPath.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("no change for " + path + " in " + cs.changes()));
    }

    @Test void emptyUpperIsNoChange() throws Exception {
        base.file("a", "x").dir("d").file("d/b", "y");
        DiffResult r = diff();
        assertThat(r.changeset().isEmpty()).isTrue();
        assertThat(r.skipped()).isEmpty();
    }

    @Test void addedFilesAndDirectoriesCarrySizeModeOwnerAndChecksum() throws Exception {
        upper.file("new.txt", "hello\n", 0640).dir("d", 0750).file("d/inner", "abc").dir("d/e").file("d/e/f", "");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("Added d/", "Added d/e/", "Added d/e/f", "Added d/inner", "Added new.txt");
        Change c = get(cs, "new.txt");
        assertThat(c.size()).isEqualTo(6);
        assertThat(c.mode()).isEqualTo(FileStat.S_IFREG | 0640);
        assertThat(c.checksum()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
        assertThat(c.uid()).isEqualTo(0);
        assertThat(c.oldMode()).isNull();
        Change d = get(cs, "d");
        assertThat(d.directory()).isTrue();
        assertThat(d.mode()).isEqualTo(FileStat.S_IFDIR | 0750);
        assertThat(d.checksum()).isNull();
        assertThat(get(cs, "d/e/f").checksum()).isEqualTo(Tree.sha256(""));
        assertThat(cs.totalBytes()).isEqualTo(9);
    }

    @Test void modifiedWithDifferentAndEqualSizes() throws Exception {
        base.dir("src").file("src/grow", "one").file("src/same", "abcd", 0600).file("src/keep", "same bytes");
        upper.dir("src").file("src/grow", "one two").file("src/same", "abce", 0600).file("src/keep", "same bytes")
                .xattr("src/keep", "trusted.overlay.origin", "whatever");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("Modified src/grow", "Modified src/same");
        Change same = get(cs, "src/same");
        assertThat(same.checksum()).isEqualTo(Tree.sha256("abce"));
        assertThat(same.size()).isEqualTo(4);
        assertThat(same.oldMode()).isEqualTo(FileStat.S_IFREG | 0600);
    }

    @Test void largeFilesDifferingOnlyAtTheEndAreModifiedAndIdenticalOnesAreNot() throws Exception {
        byte[] big = new byte[1_000_003];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        byte[] changed = big.clone();
        changed[changed.length - 1] ^= 1;
        base.file(b("big"), big, 0644).file(b("copy"), big, 0644);
        upper.file(b("big"), changed, 0644).file(b("copy"), big, 0644);
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("Modified big");
        assertThat(get(cs, "big").checksum()).isEqualTo(Tree.sha256(changed));
    }

    @Test void sameContentOtherModeOrOwnerIsMetadataChanged() throws Exception {
        base.file("m", "x", 0644).file("o", "y", 0644).dir("d", 0755).file("d/f", "z");
        upper.file("m", "x", 0600).file("o", "y", 0644).chown("o", 1000, 1000).dir("d", 0700);
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("MetadataChanged d/", "MetadataChanged m", "MetadataChanged o");
        assertThat(get(cs, "m").oldMode()).isEqualTo(FileStat.S_IFREG | 0644);
        assertThat(get(cs, "m").mode()).isEqualTo(FileStat.S_IFREG | 0600);
        assertThat(get(cs, "m").size()).isZero();
        assertThat(get(cs, "m").checksum()).isEqualTo(Tree.sha256("x"));
        assertThat(get(cs, "o").uid()).isEqualTo(1000);
        assertThat(get(cs, "d").oldMode()).isEqualTo(FileStat.S_IFDIR | 0755);
    }

    @Test void directoryCopiedUpForAChildIsNotAChange() throws Exception {
        base.dir("a").dir("a/b").file("a/b/c", "old").file("a/other", "o");
        upper.dir("a").dir("a/b").file("a/b/c", "new").xattr("a", "trusted.overlay.origin", "o").xattr("a/b", "trusted.overlay.impure", "y");
        assertThat(summary(diff().changeset())).containsExactly("Modified a/b/c");
    }

    @Test void whiteoutDeletesAFileAndEveryEntryOfADirectory() throws Exception {
        base.file("gone", "x", 0600).dir("src");
        for (int i = 0; i < 30; i++) base.file("src/f" + i, "content " + i);
        base.dir("src/nested").dir("src/nested/deep").file("src/nested/deep/x", "x").symlink("src/link", "f1");
        upper.whiteout("gone").whiteout("src").whiteout("never-existed");
        Changeset cs = diff().changeset();
        assertThat(cs.count(ChangeKind.Deleted)).isEqualTo(1 + 1 + 30 + 2 + 1 + 1);
        assertThat(cs.size()).isEqualTo(36);
        Change gone = get(cs, "gone");
        assertThat(gone.oldMode()).isEqualTo(FileStat.S_IFREG | 0600);
        assertThat(gone.mode()).isEqualTo(FileStat.S_IFREG | 0600);
        assertThat(get(cs, "src").directory()).isTrue();
        assertThat(get(cs, "src/nested/deep").directory()).isTrue();
        assertThat(get(cs, "src/nested/deep/x").kind()).isEqualTo(ChangeKind.Deleted);
        assertThat(get(cs, "src/link").oldMode()).isEqualTo(FileStat.S_IFLNK | 0777);
    }

    @Test void opaqueDirectoryDeletesWhatItDoesNotRecreateAndComparesWhatItDoes() throws Exception {
        base.dir("src").file("src/same", "s").file("src/changed", "old").file("src/removed", "r")
                .dir("src/sub").file("src/sub/kept", "k").file("src/sub/lost", "l").dir("src/gone").file("src/gone/x", "x");
        upper.dir("src").opaque("src").file("src/same", "s").file("src/changed", "new!").file("src/added", "a")
                .dir("src/sub").file("src/sub/kept", "k");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly(
                "Added src/added", "Modified src/changed", "Deleted src/gone/", "Deleted src/gone/x",
                "Deleted src/removed", "Deleted src/sub/lost");
    }

    @Test void opaqueRootOfAnAddedDirectoryIsJustAdded() throws Exception {
        upper.dir("n").opaque("n").file("n/f", "f").whiteout("n/ghost");
        assertThat(summary(diff().changeset())).containsExactly("Added n/", "Added n/f");
    }

    @Test void typeReplacementsAreDescribedWithTheOldMode() throws Exception {
        base.file("f2d", "file").dir("d2f").file("d2f/a", "a").dir("d2f/b").file("d2f/b/c", "c")
                .file("f2l", "file").dir("d2l").file("d2l/x", "x").symlink("l2f", "target");
        upper.dir("f2d").file("f2d/inside", "i").file("d2f", "now a file").symlink("f2l", "f2d").symlink("d2l", "/etc")
                .file("l2f", "target");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly(
                "Added d2f", "Deleted d2f/a", "Deleted d2f/b/", "Deleted d2f/b/c",
                "Symlink d2l", "Deleted d2l/x",
                "Added f2d/", "Added f2d/inside",
                "Symlink f2l",
                "Added l2f");
        assertThat(get(cs, "d2f").oldMode()).isEqualTo(FileStat.S_IFDIR | 0755);
        assertThat(get(cs, "f2d").oldMode()).isEqualTo(FileStat.S_IFREG | 0644);
        assertThat(get(cs, "f2l").oldMode()).isEqualTo(FileStat.S_IFREG | 0644);
        assertThat(get(cs, "f2l").symlinkTarget()).isEqualTo(b("f2d"));
        assertThat(get(cs, "d2l").oldMode()).isEqualTo(FileStat.S_IFDIR | 0755);
        assertThat(get(cs, "l2f").oldMode()).isEqualTo(FileStat.S_IFLNK | 0777);
        assertThat(get(cs, "l2f").checksum()).isEqualTo(Tree.sha256("target"));
    }

    @Test void symlinksNewChangedAndCopiedUpUnchanged() throws Exception {
        base.symlink("same", "t").symlink("retarget", "old");
        upper.symlink("same", "t").symlink("retarget", "new").symlink("fresh", "../../outside");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("Symlink fresh", "Symlink retarget");
        assertThat(get(cs, "fresh").symlinkTarget()).isEqualTo(b("../../outside"));
        assertThat(get(cs, "fresh").oldMode()).isNull();
        assertThat(get(cs, "retarget").oldMode()).isEqualTo(FileStat.S_IFLNK | 0777);
    }

    @Test void hardlinksNameTheFirstPathByPathOrder() throws Exception {
        upper.dir("x").file("x/z", "shared").hardlink("x/z", "a").hardlink("x/z", "x/a");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("Added a", "Added x/", "Hardlink x/a", "Hardlink x/z");
        assertThat(get(cs, "x/a").hardlinkOf()).isEqualTo(RelPath.of("a"));
        assertThat(get(cs, "x/z").hardlinkOf()).isEqualTo(RelPath.of("a"));
        assertThat(get(cs, "x/z").checksum()).isEqualTo(Tree.sha256("shared"));
        assertThat(get(cs, "x/z").size()).isEqualTo(6);
    }

    @Test void hardlinkToAnUnchangedCopyUpKeepsTheFirstNameInTheChangeset() throws Exception {
        base.file("k", "keep");
        upper.file("k", "keep").hardlink("k", "k2");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("MetadataChanged k", "Hardlink k2");
        assertThat(get(cs, "k2").hardlinkOf()).isEqualTo(RelPath.of("k"));
    }

    @Test void fifosAndDevicesAreReportedWithTheirKinds() throws Exception {
        base.node("samefifo", FileStat.S_IFIFO | 0644, 0).node("null", FileStat.S_IFCHR | 0666, (1 << 8) | 3);
        long loop0 = (7 << 8);
        upper.node("samefifo", FileStat.S_IFIFO | 0644, 0).node("fifo", FileStat.S_IFIFO | 0600, 0)
                .node("null", FileStat.S_IFCHR | 0666, (1 << 8) | 5).node("blk", FileStat.S_IFBLK | 0660, loop0);
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("BlockDevice blk", "Fifo fifo", "CharDevice null");
        assertThat(get(cs, "blk").rdev()).isEqualTo(loop0);
        assertThat(get(cs, "null").oldMode()).isEqualTo(FileStat.S_IFCHR | 0666);
        assertThat(get(cs, "fifo").mode()).isEqualTo(FileStat.S_IFIFO | 0600);
    }

    @Test void socketsAreSkippedWithAReasonAndWhatTheyReplacedIsDeleted() throws Exception {
        base.file("sock", "was a file").dir("sd").file("sd/x", "x");
        for (String name : List.of("sock", "fresh.sock", "sd")) {
            try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.bind(UnixDomainSocketAddress.of(upper.root.resolve(name)));
            }
        }
        DiffResult r = diff();
        assertThat(summary(r.changeset())).containsExactly("Deleted sd/", "Deleted sd/x", "Deleted sock");
        assertThat(r.skipped()).extracting(s -> s.path().display()).containsExactlyInAnyOrder("sock", "fresh.sock", "sd");
        assertThat(r.skipped()).allSatisfy(s -> assertThat(s.reason()).contains("socket"));
    }

    @Test void hostileNamesAreReportedByteForByte() throws Exception {
        byte[] newline = b("line1\nline2");
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        byte[] longName = new byte[255];
        Arrays.fill(longName, (byte) 'n');
        byte[] dash = b("-rf");
        for (byte[] n : List.of(newline, latin1, longName, dash)) upper.file(n, n, 0644);
        base.file(b("-rf"), b("older"), 0644);
        Changeset cs = diff().changeset();
        assertThat(cs.changes()).extracting(c -> c.path().bytes())
                .containsExactlyInAnyOrder(newline, latin1, longName, dash);
        Change l1 = cs.changes().stream().filter(c -> Arrays.equals(c.path().bytes(), latin1)).findFirst().orElseThrow();
        assertThat(l1.path().display()).isEqualTo("caf\\xe9");
        assertThat(l1.checksum()).isEqualTo(Tree.sha256(latin1));
        assertThat(cs.changes().stream().filter(c -> c.kind() == ChangeKind.Modified).map(c -> c.path().display()))
                .containsExactly("-rf");
    }

    @Test void symlinkTargetsAreRawBytes() throws Exception {
        byte[] target = {'/', 't', (byte) 0xfe, '\n', '-', 'x'};
        Tree.SYS.symlinkat(target, FileSyscalls.AT_FDCWD, b(upper.root.resolve("l").toString()));
        Change c = get(diff().changeset(), "l");
        assertThat(c.symlinkTarget()).isEqualTo(target);
        assertThat(c.symlinkTargetDisplay()).isEqualTo("/t\\xfe\\x0a-x");
    }

    @Test void pathsLongerThanAChangesetCanHoldAreAClearError() throws Exception {
        byte[] name = new byte[255];
        Arrays.fill(name, (byte) 'L');
        int levels = 17; // 17 x 256 bytes > 4095
        int fd = Tree.SYS.open(upper.bytes(), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY, 0);
        int[] fds = new int[levels + 1];
        fds[0] = fd;
        try {
            for (int i = 1; i <= levels; i++) {
                Tree.SYS.mkdirat(fds[i - 1], name, 0755);
                fds[i] = Tree.SYS.openat(fds[i - 1], name, FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY, 0);
            }
            assertThatThrownBy(this::diff).isInstanceOfSatisfying(DiffException.class, e -> {
                assertThat(e.code()).isEqualTo(DiffException.Code.PATH_TOO_LONG);
                assertThat(e.path().depth()).isEqualTo(levels - 1);
                assertThat(e.getMessage()).contains("4095");
            });
        } finally {
            // the temp-dir cleanup works with whole paths, which would be too long here
            for (int i = levels; i >= 1; i--) {
                if (fds[i] > 0) Tree.SYS.close(fds[i]);
                Tree.SYS.unlinkat(fds[i - 1], name, FileSyscalls.AT_REMOVEDIR);
            }
            Tree.SYS.close(fd);
        }
    }

    @Test void depth256IsWalkedWithoutRecursion() throws Exception {
        StringBuilder p = new StringBuilder("d");
        upper.dir("d");
        base.dir("d");
        for (int i = 1; i < 255; i++) {
            p.append("/d");
            upper.dir(p.toString());
            base.dir(p.toString());
        }
        upper.file(p + "/leaf\u00ff", "deep");
        base.file(p + "/old", "o");
        upper.whiteout(p + "/old");
        Changeset cs = diff().changeset();
        assertThat(cs.changes()).extracting(c -> c.path().depth()).containsOnly(256);
        assertThat(summary(cs)).containsExactly("Added " + p + "/leaf\u00ff", "Deleted " + p + "/old");
    }

    @Test void fuseFlavourUnderstandsWhiteoutFilesAndOpaqueMarkers() throws Exception {
        base.file("gone", "g").dir("o1").file("o1/lost", "l").dir("o2").file("o2/lost", "l").dir("o3").file("o3/lost", "l")
                .dir("o3/keep").file("kept", "k");
        upper.file(".wh.gone", "").dir("o1").file("o1/.wh..wh..opq", "").file("o1/new", "n")
                .dir("o2").whiteout("o2/.wh..opq")
                .dir("o3").xattr("o3", "user.fuseoverlayfs.opaque", "y").dir("o3/keep");
        Changeset cs = diff(OverlayFlavor.FUSE).changeset();
        assertThat(summary(cs)).containsExactly("Deleted gone", "Deleted o1/lost", "Added o1/new", "Deleted o2/lost", "Deleted o3/lost");
    }

    @Test void whiteoutFileNamesAreOrdinaryFilesForKernelOverlay() throws Exception {
        base.file("gone", "g");
        upper.file(".wh.gone", "");
        assertThat(summary(diff().changeset())).containsExactly("Added .wh.gone");
    }

    @Test void userXattrFlavourReadsUserOverlayNamespaceOnly() throws Exception {
        base.dir("a").file("a/x", "x").dir("b").file("b/y", "y");
        upper.dir("a").xattr("a", "user.overlay.opaque", "y").dir("b").opaque("b");
        assertThat(summary(diff(OverlayFlavor.USER_XATTR).changeset())).containsExactly("Deleted a/x");
        assertThat(summary(diff(OverlayFlavor.TRUSTED_XATTR).changeset())).containsExactly("Deleted b/y");
    }

    @Test void redirectedDirectoryFailsClearly() throws Exception {
        base.dir("old").file("old/f", "f");
        upper.whiteout("old").dir("new").xattr("new", "trusted.overlay.redirect", "old");
        assertThatThrownBy(this::diff).isInstanceOfSatisfying(DiffException.class, e -> {
            assertThat(e.code()).isEqualTo(DiffException.Code.REDIRECT_UNSUPPORTED);
            assertThat(e.path()).isEqualTo(RelPath.of("new"));
            assertThat(e.getMessage()).contains("renamed").contains("new");
        });
    }

    @Test void metacopyTakesTheContentFromTheBase() throws Exception {
        base.file("m", "real data", 0644);
        upper.file(b("m"), new byte[9], 0600).xattr("m", "trusted.overlay.metacopy", "");
        Changeset cs = diff().changeset();
        assertThat(summary(cs)).containsExactly("MetadataChanged m");
        assertThat(get(cs, "m").checksum()).isEqualTo(Tree.sha256("real data"));

        upper.xattr("m", "trusted.overlay.redirect", "/elsewhere");
        assertThatThrownBy(this::diff).isInstanceOfSatisfying(DiffException.class,
                e -> assertThat(e.code()).isEqualTo(DiffException.Code.METACOPY_UNSUPPORTED));
    }

    @Test void missingLayersAreClearErrors() throws Exception {
        byte[] nowhere = b(tmp.resolve("nowhere").toString());
        assertThatThrownBy(() -> differ.diff(base.bytes(), nowhere, OverlayFlavor.TRUSTED_XATTR))
                .isInstanceOfSatisfying(DiffException.class, e -> {
                    assertThat(e.code()).isEqualTo(DiffException.Code.UPPER_MISSING);
                    assertThat(e.getMessage()).contains("nowhere");
                });
        assertThatThrownBy(() -> differ.diff(nowhere, upper.bytes(), OverlayFlavor.TRUSTED_XATTR))
                .isInstanceOfSatisfying(DiffException.class, e -> assertThat(e.code()).isEqualTo(DiffException.Code.BASE_MISSING));
    }

    @Test void detectRecognisesEachFlavour() throws Exception {
        assertThat(OverlayFlavor.detect(Tree.SYS, upper.bytes())).isEqualTo(OverlayFlavor.TRUSTED_XATTR);
        upper.dir("a").dir("a/b").xattr("a/b", "user.overlay.opaque", "y");
        assertThat(OverlayFlavor.detect(Tree.SYS, upper.bytes())).isEqualTo(OverlayFlavor.USER_XATTR);
        Tree fuse = new Tree(Files.createDirectory(tmp.resolve("fuse")));
        fuse.dir("x").file("x/.wh.gone", "");
        assertThat(OverlayFlavor.detect(Tree.SYS, fuse.bytes())).isEqualTo(OverlayFlavor.FUSE);
    }
}
