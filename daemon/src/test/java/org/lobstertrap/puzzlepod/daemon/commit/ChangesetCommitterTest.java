package org.lobstertrap.puzzlepod.daemon.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.SYS;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.abs;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.b;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

class ChangesetCommitterTest {
    @TempDir Path tmp;
    final ChangesetCommitter committer = ChangesetCommitter.linux();

    private void commitAndExpectBranchView(BranchFixture f) throws Exception {
        ChangesetCommitter.CommitResult result = committer.commit(f.changeset(), f.upper, f.base);
        assertThat(result.operations()).isPositive();
        assertSameTree(f.base, f.expected);
        assertThat(BranchFixture.lstatOrNull(abs(f.base, b(ChangesetCommitter.RESERVED)))).as("work directory removed").isNull();
        assertThat(committer.recover(f.base)).isEqualTo(ChangesetCommitter.RecoveryOutcome.NOTHING_TO_DO);
    }

    static void assertSameTree(Path actual, Path expected) throws LinuxException {
        TreeHash a = TreeHash.of(SYS, actual), e = TreeHash.of(SYS, expected);
        assertThat(a.listing().subList(1, a.listing().size())).isEqualTo(e.listing().subList(1, e.listing().size()));
    }

    private FileStat lstat(Path root, String rel) throws LinuxException {
        return SYS.fstatat(FileSyscalls.AT_FDCWD, abs(root, b(rel)), FileSyscalls.AT_SYMLINK_NOFOLLOW);
    }

    @Test
    void addsModifiesDeletesAndChangesMetadata() throws Exception {
        BranchFixture f = new BranchFixture(tmp)
                .baseDir("src", 0755).baseFile("src/a.c", b("int a;"), 0644).baseFile("src/b.c", b("int b;"), 0644)
                .baseDir("old/deep/er", 0700).baseFile("old/deep/er/x", b("x"), 0600).baseFile("old/y", b("y"), 0644)
                .baseFile("bin/tool", b("#!/bin/sh"), 0755);
        f.file("src/a.c", b("int a = 1;"), 0644)
                .file(b("src/setuid"), b("suid"), 04755, 1000, 1001)
                .dir("new", 0750).dir("new/sub", 0700).file("new/sub/f.txt", content(1, 70_000), 0640)
                .delete("old").delete("src/b.c")
                .chmod("bin/tool", 02750, 0, 1002)
                .node("new/fifo", ChangeKind.Fifo, 0600, 0)
                .node("new/null", ChangeKind.CharDevice, 0666, (1L << 8) | 3)
                .hardlink("new/hard", "new/sub/f.txt");
        commitAndExpectBranchView(f);
        FileStat suid = lstat(f.base, "src/setuid");
        assertThat(suid.permissions()).isEqualTo(04755);
        assertThat(suid.uid()).isEqualTo(1000);
        assertThat(suid.gid()).isEqualTo(1001);
        assertThat(lstat(f.base, "bin/tool").permissions()).isEqualTo(02750);
        assertThat(lstat(f.base, "new/hard").ino()).isEqualTo(lstat(f.base, "new/sub/f.txt").ino());
    }

    @Test
    void replacesTypesAndKeepsSymlinksAsSymlinks() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        BranchFixture f = new BranchFixture(tmp)
                .baseFile("file-to-dir", b("f"), 0644)
                .baseDir("dir-to-file/sub", 0755).baseFile("dir-to-file/sub/z", b("z"), 0644)
                .baseDir("dir-to-link", 0755).baseFile("dir-to-link/q", b("q"), 0644)
                .baseSymlink("link-to-dir", "/etc")
                .baseSymlink("retarget", "a")
                .baseFile("file-to-link", b("l"), 0644)
                .baseDir("opaque", 0755).baseFile("opaque/gone", b("g"), 0644);
        f.dir("file-to-dir", 0755).file("file-to-dir/inner", b("i"), 0644)
                .file("dir-to-file", b("now a file"), 0600)
                .symlink("dir-to-link", b(outside.toString()))
                .dir("link-to-dir", 0711).file("link-to-dir/passwd", b("not the real one"), 0644)
                .symlink("retarget", b("../../b"))
                .symlink("file-to-link", b("/nonexistent/dangling"))
                .delete("opaque/gone").dir("opaque", 0700).file("opaque/fresh", b("fresh"), 0644);
        commitAndExpectBranchView(f);
        assertThat(lstat(f.base, "dir-to-link").isSymlink()).isTrue();
        assertThat(lstat(f.base, "link-to-dir").isDirectory()).isTrue();
        assertThat(TreeHash.of(SYS, outside).listing()).hasSize(1);
    }

    @Test
    void hostileNamesRoundTrip() throws Exception {
        byte[] newline = b("line\nbreak");
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        byte[] longName = "n".repeat(255).getBytes();
        byte[] dash = b("-rf");
        StringBuilder deep = new StringBuilder("deep");
        for (int i = 1; i < 256; i++) deep.append("/d");
        BranchFixture f = new BranchFixture(tmp).baseFile(b("old\nname"), b("o"), 0644, 0, 0);
        StringBuilder oldDeep = new StringBuilder("olddeep");
        for (int i = 1; i < 256; i++) oldDeep.append("/e");
        f.baseFile(b(oldDeep + "/leaf"), b("leaf"), 0644, 0, 0);
        f.file(newline, b("nl"), 0644, 0, 0).file(latin1, b("l1"), 0644, 0, 0).file(longName, b("long"), 0644, 0, 0)
                .file(dash, b("dash"), 0644, 0, 0).dir(b("dir\n\u00ff"), 0755, 0, 0)
                .file(concat(b("dir\n\u00ff/"), latin1), b("inner"), 0644, 0, 0)
                .delete(b("old\nname")).delete("olddeep");
        RelPath deepPath = RelPath.of(deep.toString());
        List<RelPath> chain = new ArrayList<>();
        for (RelPath p = deepPath; p != null; p = p.parent()) chain.addFirst(p);
        for (RelPath p : chain) f.dir(p.bytes(), 0755, 0, 0);
        f.file(deepPath.resolve(b("leaf")).bytes(), b("bottom"), 0644, 0, 0);
        assertThat(deepPath.depth()).isEqualTo(256);
        commitAndExpectBranchView(f);
    }

    @Test
    void refusesSymlinkedParentsBeforeModifyingAnything() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        BranchFixture f = new BranchFixture(tmp).baseFile("keep", b("k"), 0644)
                .baseSymlink("abs", outside.toString()).baseSymlink("rel", "../outside");
        TreeHash before = TreeHash.of(SYS, f.base);
        for (String parent : List.of("abs", "rel")) {
            BranchFixture.writeFile(f.upper, b(parent + "/evil"), b("evil"), 0644, 0, 0);
            Changeset cs = new Changeset(List.of(
                    new Change(RelPath.of("keep"), ChangeKind.Deleted, false, 0, FileStat.S_IFREG | 0644, 0, 0, null, null, null, 0,
                            FileStat.S_IFREG | 0644),
                    new Change(RelPath.of(parent + "/evil"), ChangeKind.Added, false, 4, FileStat.S_IFREG | 0644, 0, 0,
                            BranchFixture.sha256(b("evil")), null, null, 0, null)));
            assertThatThrownBy(() -> committer.commit(cs, f.upper, f.base))
                    .isInstanceOfSatisfying(CommitException.class, e -> {
                        assertThat(e.error()).isEqualTo(CommitError.PATH_ESCAPES);
                        assertThat(e.baseModified()).isFalse();
                        assertThat(e.getMessage()).contains(parent + "/evil");
                    });
        }
        assertThat(TreeHash.of(SYS, f.base)).isEqualTo(before);
        assertThat(TreeHash.of(SYS, outside).listing()).hasSize(1);
    }

    @Test
    void refusesToCrossMountPoints() throws Exception {
        BranchFixture f = new BranchFixture(tmp).baseDir("sub/mnt", 0755).baseFile("sub/file", b("f"), 0644);
        byte[] mnt = abs(f.base, b("sub/mnt"));
        SYS.mount("tmpfs", mnt, "tmpfs", 0, "size=1m");
        try {
            TreeHash before = TreeHash.of(SYS, f.base);
            BranchFixture.writeFile(f.upper, b("sub/mnt/x"), b("x"), 0644, 0, 0);
            Changeset into = new Changeset(List.of(new Change(RelPath.of("sub/mnt/x"), ChangeKind.Added, false, 1,
                    FileStat.S_IFREG | 0644, 0, 0, null, null, null, 0, null)));
            Changeset removing = new Changeset(List.of(
                    new Change(RelPath.of("sub"), ChangeKind.Deleted, true, 0, FileStat.S_IFDIR | 0755, 0, 0, null, null, null, 0,
                            FileStat.S_IFDIR | 0755),
                    new Change(RelPath.of("sub/file"), ChangeKind.Deleted, false, 0, FileStat.S_IFREG | 0644, 0, 0, null, null, null, 0,
                            FileStat.S_IFREG | 0644),
                    new Change(RelPath.of("sub/mnt"), ChangeKind.Deleted, true, 0, FileStat.S_IFDIR | 01777, 0, 0, null, null, null, 0,
                            FileStat.S_IFDIR | 01777)));
            for (Changeset cs : List.of(into, removing)) {
                assertThatThrownBy(() -> committer.commit(cs, f.upper, f.base))
                        .isInstanceOfSatisfying(CommitException.class, e -> {
                            assertThat(e.error()).isEqualTo(CommitError.PATH_ESCAPES);
                            assertThat(e.getMessage()).contains("mount point");
                        });
            }
            assertThat(TreeHash.of(SYS, f.base)).isEqualTo(before);
        } finally {
            SYS.umount2(mnt, 2);
        }
    }

    @Test
    void refusesTheReservedName() throws Exception {
        BranchFixture f = new BranchFixture(tmp);
        f.file(ChangesetCommitter.RESERVED + "/journal", b("x"), 0644);
        assertThatThrownBy(() -> committer.commit(f.changeset(), f.upper, f.base))
                .isInstanceOfSatisfying(CommitException.class, e -> assertThat(e.error()).isEqualTo(CommitError.PATH_ESCAPES));
    }

    @Test
    void refusesWhenTheBaseChangedUnderTheBranch() throws Exception {
        BranchFixture f = new BranchFixture(tmp).baseFile("mod", b("m"), 0644).baseDir("gone/sub", 0755)
                .baseFile("gone/sub/f", b("f"), 0644).baseFile("chmodded", b("c"), 0644);
        f.file("mod", b("m2"), 0644).delete("gone").file("added", b("a"), 0644).chmod("chmodded", 0600, 0, 0);
        List<ThrowingRunnable> baseEdits = List.of(
                () -> SYS.fchmodat(FileSyscalls.AT_FDCWD, abs(f.base, b("mod")), 0600),
                () -> BranchFixture.writeFile(f.base, b("gone/sub/newcomer"), b("n"), 0644, 0, 0),
                () -> BranchFixture.writeFile(f.base, b("added"), b("other"), 0644, 0, 0),
                () -> SYS.unlinkat(FileSyscalls.AT_FDCWD, abs(f.base, b("chmodded")), 0));
        for (ThrowingRunnable edit : baseEdits) {
            Path snapshot = tmp.resolve("snapshot");
            copyTree(f.base, snapshot);
            edit.run();
            TreeHash before = TreeHash.of(SYS, f.base);
            assertThatThrownBy(() -> committer.commit(f.changeset(), f.upper, f.base))
                    .isInstanceOfSatisfying(CommitException.class, e -> {
                        assertThat(e.error()).isEqualTo(CommitError.CONFLICT);
                        assertThat(e.baseModified()).isFalse();
                    });
            assertThat(TreeHash.of(SYS, f.base)).isEqualTo(before);
            BranchFixture.removeTree(f.base.getParent(), b("base"));
            copyTree(snapshot, f.base);
            BranchFixture.removeTree(tmp, b("snapshot"));
        }
        commitAndExpectBranchView(f);
    }

    @Test
    void refusesSelfContradictingChangesets() throws Exception {
        BranchFixture f = new BranchFixture(tmp).baseDir("d", 0755);
        f.delete("d");
        BranchFixture.writeFile(f.upper, b("d/x"), b("x"), 0644, 0, 0);
        List<Change> changes = new ArrayList<>(f.changeset().changes());
        changes.add(new Change(RelPath.of("d/x"), ChangeKind.Added, false, 1, FileStat.S_IFREG | 0644, 0, 0, null, null, null, 0, null));
        assertThatThrownBy(() -> committer.commit(new Changeset(changes), f.upper, f.base))
                .isInstanceOfSatisfying(CommitException.class, e -> assertThat(e.error()).isEqualTo(CommitError.INVALID_CHANGESET));
        Changeset dangling = new Changeset(List.of(new Change(RelPath.of("h"), ChangeKind.Hardlink, false, 1, FileStat.S_IFREG | 0644,
                0, 0, null, null, RelPath.of("nowhere"), 0, null)));
        assertThatThrownBy(() -> committer.commit(dangling, f.upper, f.base))
                .isInstanceOfSatisfying(CommitException.class, e -> assertThat(e.error()).isEqualTo(CommitError.INVALID_CHANGESET));
    }

    @Test
    void refusesAnUpperThatDoesNotMatchAndCleansUp() throws Exception {
        BranchFixture f = new BranchFixture(tmp).baseFile("keep", b("k"), 0644);
        f.file("a", b("four"), 0644).file("b", b("bee"), 0644);
        BranchFixture.writeFile(f.upper, b("b"), b("grown since the diff"), 0644, 0, 0);
        TreeHash before = TreeHash.of(SYS, f.base);
        assertThatThrownBy(() -> committer.commit(f.changeset(), f.upper, f.base))
                .isInstanceOfSatisfying(CommitException.class, e -> {
                    assertThat(e.error()).isEqualTo(CommitError.UPPER_MISMATCH);
                    assertThat(e.getMessage()).contains("b");
                });
        assertThat(TreeHash.of(SYS, f.base)).isEqualTo(before);
        assertThat(BranchFixture.lstatOrNull(abs(f.base, b(ChangesetCommitter.RESERVED)))).isNull();
    }

    @Test
    void reportsAVanishedBase() throws Exception {
        BranchFixture f = new BranchFixture(tmp);
        f.file("a", b("a"), 0644);
        Path gone = tmp.resolve("gone");
        assertThatThrownBy(() -> committer.commit(f.changeset(), f.upper, gone))
                .isInstanceOfSatisfying(CommitException.class, e -> {
                    assertThat(e.error()).isEqualTo(CommitError.BASE_MISSING);
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                });
        assertThatThrownBy(() -> committer.recover(gone)).isInstanceOf(CommitException.class);
    }

    @Test
    void doesNotCopyExtendedAttributes() throws Exception {
        BranchFixture f = new BranchFixture(tmp);
        f.file("a", b("a"), 0644);
        SYS.lsetxattr(abs(f.upper, b("a")), "trusted.overlay.origin", b("opaque-handle"), 0);
        SYS.lsetxattr(abs(f.upper, b("a")), "user.note", b("n"), 0);
        committer.commit(f.changeset(), f.upper, f.base);
        assertThat(SYS.llistxattr(abs(f.base, b("a")))).noneMatch(n -> n.startsWith("trusted.") || n.startsWith("user."));
    }

    @Test
    void aPendingJournalBlocksCommitsUntilRecovered() throws Exception {
        BranchFixture f = new BranchFixture(tmp);
        f.file("a", b("a"), 0644);
        SYS.mkdirat(FileSyscalls.AT_FDCWD, abs(f.base, b(ChangesetCommitter.RESERVED)), 0700);
        SYS.mkdirat(FileSyscalls.AT_FDCWD, abs(f.base, b(ChangesetCommitter.RESERVED + "/stage")), 0700);
        assertThatThrownBy(() -> committer.commit(f.changeset(), f.upper, f.base))
                .isInstanceOfSatisfying(CommitException.class, e -> assertThat(e.error()).isEqualTo(CommitError.RECOVERY_PENDING));
        assertThat(committer.recover(f.base)).isEqualTo(ChangesetCommitter.RecoveryOutcome.ROLLED_BACK);
        commitAndExpectBranchView(f);
    }

    @Test
    void fullDiskLeavesTheBaseUnchanged() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        byte[] mountPoint = small.toString().getBytes();
        SYS.mount("tmpfs", mountPoint, "tmpfs", 0, "size=2m,mode=0755");
        try {
            BranchFixture f = new BranchFixture(tmp);
            Path base = small;
            BranchFixture.writeFile(base, b("existing"), content(7, 300_000), 0644, 0, 0);
            for (int i = 0; i < 5; i++) f.file("big" + i, content(i, 1 << 20), 0644);
            TreeHash before = TreeHash.of(SYS, base);
            assertThatThrownBy(() -> committer.commit(f.changeset(), f.upper, base))
                    .isInstanceOfSatisfying(CommitException.class, e -> {
                        assertThat(e.error()).isEqualTo(CommitError.NO_SPACE);
                        assertThat(e.errno()).isEqualTo(Errno.ENOSPC);
                        assertThat(e.baseModified()).isFalse();
                    });
            assertThat(TreeHash.of(SYS, base)).isEqualTo(before);
            assertThat(BranchFixture.lstatOrNull(abs(base, b(ChangesetCommitter.RESERVED)))).isNull();

            // what fits still commits, across file systems (ext4 upper, tmpfs base: read/write instead of copy_file_range)
            BranchFixture fits = new BranchFixture(Files.createDirectories(tmp.resolve("fits")));
            fits.file("fits", content(9, 500_000), 0640);
            committer.commit(fits.changeset(), fits.upper, base);
            assertThat(SYS.fstatat(FileSyscalls.AT_FDCWD, abs(base, b("fits")), 0).size()).isEqualTo(500_000);
        } finally {
            SYS.umount2(mountPoint, 2);
        }
    }

    @Test
    void recoveryOfNothingIsANoOp() throws Exception {
        BranchFixture f = new BranchFixture(tmp).baseFile("a", b("a"), 0644);
        TreeHash before = TreeHash.of(SYS, f.base);
        assertThat(committer.recover(f.base)).isEqualTo(ChangesetCommitter.RecoveryOutcome.NOTHING_TO_DO);
        assertThat(TreeHash.of(SYS, f.base)).isEqualTo(before);
        assertThat(committer.commit(Changeset.empty(), f.upper, f.base).operations()).isZero();
    }

    interface ThrowingRunnable { void run() throws Exception; }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static void copyTree(Path from, Path to) throws IOException, InterruptedException {
        Files.createDirectories(to);
        Process p = new ProcessBuilder("cp", "-a", from + "/.", to.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("cp -a failed: " + out);
    }
}
