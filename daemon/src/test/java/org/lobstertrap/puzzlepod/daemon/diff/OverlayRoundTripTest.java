package org.lobstertrap.puzzlepod.daemon.diff;

import org.lobstertrap.puzzlepod.daemon.testsupport.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.diff.Tree.b;

/**
 * Completeness on the real kernel: random changes are made through a mounted overlay, then the diff's
 * changeset is applied to a copy of the base (content from the upper directory only) and must yield
 * exactly the view the overlay showed. Also the kernel's redirect and metacopy features, which podman's
 * mounts leave off, mounted on purpose.
 */
class OverlayRoundTripTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    @TempDir Path tmp;
    Path base, upper, work, mnt;
    boolean mounted;

    @BeforeEach void dirs() throws IOException {
        base = Files.createDirectory(tmp.resolve("base"));
        upper = Files.createDirectory(tmp.resolve("upper"));
        work = Files.createDirectory(tmp.resolve("work"));
        mnt = Files.createDirectory(tmp.resolve("mnt"));
    }

    @AfterEach void unmount() throws LinuxException {
        if (mounted) Tree.SYS.umount2(b(mnt.toString()), 2 /* MNT_DETACH */);
    }

    void mount(String extra) throws LinuxException {
        Tree.SYS.mount("overlay", b(mnt.toString()), "overlay", 0,
                "lowerdir=" + base + ",upperdir=" + upper + ",workdir=" + work + extra);
        mounted = true;
    }

    void umount() throws LinuxException {
        Tree.SYS.umount2(b(mnt.toString()), 0);
        mounted = false;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void changesetAppliedToTheBaseGivesTheBranchView(int seed) throws Exception {
        Random rnd = new Random(seed);
        randomBase(rnd);
        mount("");
        for (int i = 0; i < 25; i++) randomChange(rnd, mnt);
        Map<String, String> branchView = snapshot(mnt);
        umount();

        DiffResult r = UpperDirDiff.onLinux().diff(b(base.toString()), b(upper.toString()), OverlayFlavor.TRUSTED_XATTR);
        assertThat(r.changeset().size()).as("random changes leave a changeset").isGreaterThan(3);
        Path applied = tmp.resolve("applied");
        copyTree(base, applied);
        apply(r.changeset(), applied, upper);
        assertThat(snapshot(applied)).as("base + changeset (seed %d): %s", seed, r.changeset().changes()).isEqualTo(branchView);
    }

    @ParameterizedTest(name = "fuse-overlayfs seed {0}")
    @ValueSource(ints = {21, 22, 23, 24})
    void fuseOverlayfsChangesetAppliedToTheBaseGivesTheBranchView(int seed) throws Exception {
        Random rnd = new Random(seed);
        randomBase(rnd);
        Shell.ok(List.of("fuse-overlayfs", "-o", "lowerdir=" + base + ",upperdir=" + upper + ",workdir=" + work, mnt.toString()));
        Map<String, String> branchView;
        try {
            for (int i = 0; i < 25; i++) randomChange(rnd, mnt);
            branchView = snapshot(mnt);
        } finally {
            Shell.ok(List.of("fusermount3", "-u", mnt.toString()));
        }
        DiffResult r = UpperDirDiff.onLinux().diff(b(base.toString()), b(upper.toString()), OverlayFlavor.FUSE);
        assertThat(r.changeset().size()).as("random changes leave a changeset").isGreaterThan(3);
        Path applied = tmp.resolve("applied");
        copyTree(base, applied);
        apply(r.changeset(), applied, upper);
        assertThat(snapshot(applied)).as("base + changeset (seed %d): %s", seed, r.changeset().changes()).isEqualTo(branchView);
    }

    @Test void metacopyChmodIsMetadataChangedWithTheBaseContent() throws Exception {
        Files.writeString(base.resolve("data"), "the real content");
        mount(",metacopy=on,redirect_dir=on");
        Files.setPosixFilePermissions(mnt.resolve("data"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        umount();
        assertThat(Tree.SYS.llistxattr(b(upper.resolve("data").toString()))).contains("trusted.overlay.metacopy");
        Changeset cs = UpperDirDiff.onLinux().diff(b(base.toString()), b(upper.toString()), OverlayFlavor.TRUSTED_XATTR).changeset();
        assertThat(cs.changes()).hasSize(1);
        Change c = cs.changes().getFirst();
        assertThat(c.kind()).isEqualTo(ChangeKind.MetadataChanged);
        assertThat(c.mode()).isEqualTo(FileStat.S_IFREG | 0600);
        assertThat(c.checksum()).isEqualTo(Tree.sha256("the real content"));
    }

    @Test void directoryRenamedWithRedirectDirFailsInsteadOfLying() throws Exception {
        Files.createDirectory(base.resolve("old"));
        Files.writeString(base.resolve("old/f"), "f");
        mount(",redirect_dir=on");
        Files.move(mnt.resolve("old"), mnt.resolve("new"));
        umount();
        assertThat(Tree.SYS.llistxattr(b(upper.resolve("new").toString()))).contains("trusted.overlay.redirect");
        assertThatThrownBy(() -> UpperDirDiff.onLinux().diff(b(base.toString()), b(upper.toString()), OverlayFlavor.TRUSTED_XATTR))
                .isInstanceOfSatisfying(DiffException.class, e -> {
                    assertThat(e.code()).isEqualTo(DiffException.Code.REDIRECT_UNSUPPORTED);
                    assertThat(e.path()).isEqualTo(RelPath.of("new"));
                });
    }

    // ---- random trees and changes (ASCII names: this test is about structure, not name bytes) ----

    private static final String[] NAMES = {"a", "b", "c", "d", "e", "f"};

    private void randomBase(Random rnd) throws IOException {
        List<Path> dirs = new ArrayList<>(List.of(base));
        for (int i = 0; i < 30; i++) {
            Path parent = dirs.get(rnd.nextInt(dirs.size()));
            Path p = parent.resolve(NAMES[rnd.nextInt(NAMES.length)] + i);
            if (rnd.nextInt(3) == 0 && base.relativize(p).getNameCount() < 4) {
                Files.createDirectory(p);
                dirs.add(p);
            } else {
                Files.write(p, randomBytes(rnd));
            }
        }
        Files.createSymbolicLink(base.resolve("link"), Path.of("a0"));
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(64)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) ('a' + rnd.nextInt(3));
        return b;
    }

    private static List<Path> entries(Path root, boolean dirs) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root))
                    .filter(p -> dirs ? Files.isDirectory(p, NOFOLLOW) : Files.isRegularFile(p, NOFOLLOW)).sorted().toList();
        }
    }

    private static Path newPath(Random rnd, Path root) throws IOException {
        List<Path> dirs = new ArrayList<>(entries(root, true));
        dirs.add(root);
        Path parent = dirs.get(rnd.nextInt(dirs.size()));
        return parent.resolve("n" + rnd.nextInt(1000));
    }

    private static void randomChange(Random rnd, Path root) throws IOException, LinuxException {
        List<Path> files = entries(root, false), dirs = entries(root, true);
        Path file = files.isEmpty() ? null : files.get(rnd.nextInt(files.size()));
        Path dir = dirs.isEmpty() ? null : dirs.get(rnd.nextInt(dirs.size()));
        Path fresh = newPath(rnd, root);
        if (Files.exists(fresh, NOFOLLOW)) return;
        switch (rnd.nextInt(15)) {
            case 0 -> Files.write(fresh, randomBytes(rnd));
            case 1 -> { if (file != null) Files.write(file, new byte[] {'+'}, StandardOpenOption.APPEND); }
            case 2 -> { if (file != null) { byte[] c = Files.readAllBytes(file); if (c.length > 0) { c[0] ^= 1; Files.write(file, c); } } }
            case 3 -> { if (file != null) Files.write(file, Files.readAllBytes(file)); }
            case 4 -> {
                Path p = rnd.nextBoolean() ? file : dir;
                if (p != null) Tree.SYS.fchmodat(FileSyscalls_AT_FDCWD, b(p.toString()), new int[] {0600, 0644, 0755, 0700}[rnd.nextInt(4)]);
            }
            case 5 -> { if (file != null) Files.delete(file); }
            case 6 -> { if (dir != null) deleteTree(dir); }
            case 7 -> { if (dir != null) { deleteTree(dir); Files.createDirectory(dir); Files.write(dir.resolve("again"), randomBytes(rnd)); } }
            case 8 -> Files.createSymbolicLink(fresh, Path.of(rnd.nextBoolean() ? "a0" : "../x"));
            case 9 -> { if (file != null) Files.createLink(fresh, file); }
            case 10 -> Tree.SYS.mknodat(FileSyscalls_AT_FDCWD, b(fresh.toString()), FileStat.S_IFIFO | 0644, 0);
            case 11 -> { if (file != null) { Files.delete(file); Files.createDirectory(file); } }
            case 12 -> { if (dir != null) { deleteTree(dir); Files.write(dir, randomBytes(rnd)); } }
            case 13 -> { if (file != null) Files.move(file, fresh); }
            default -> { if (file != null) Files.setLastModifiedTime(file, FileTime.fromMillis(rnd.nextLong(1L << 40))); }
        }
    }

    private static final int FileSyscalls_AT_FDCWD = org.lobstertrap.puzzlepod.core.linux.FileSyscalls.AT_FDCWD;

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectory(to);
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(p -> !p.equals(from)).sorted().toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                Files.copy(p, dst, NOFOLLOW, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** What a view looks like: type, mode, owner, content hash or target, and which names share an inode. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<Long, String> firstNameOfInode = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).sorted().toList()) {
                String rel = root.relativize(p).toString();
                int mode = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
                int uid = (Integer) Files.getAttribute(p, "unix:uid", NOFOLLOW);
                long ino = (Long) Files.getAttribute(p, "unix:ino", NOFOLLOW);
                int nlink = (Integer) Files.getAttribute(p, "unix:nlink", NOFOLLOW);
                String what;
                if (Files.isSymbolicLink(p)) what = "link -> " + Files.readSymbolicLink(p);
                else if (Files.isDirectory(p, NOFOLLOW)) what = "dir";
                else if (Files.isRegularFile(p, NOFOLLOW)) what = "file " + Tree.sha256(Files.readAllBytes(p));
                else what = "other";
                String link = "";
                if (!Files.isDirectory(p, NOFOLLOW) && nlink > 1) {
                    String first = firstNameOfInode.putIfAbsent(ino, rel);
                    link = first == null ? "" : " same inode as " + first;
                }
                out.put(rel, what + " mode " + Integer.toOctalString(mode) + " uid " + uid + link);
            }
        }
        return out;
    }

    /** A minimal commit: deletions deepest first, then everything else in path order, content from upper. */
    private static void apply(Changeset cs, Path target, Path upper) throws IOException, LinuxException {
        List<Change> changes = cs.changes();
        for (Change c : changes.reversed()) if (c.kind() == ChangeKind.Deleted) Files.delete(target.resolve(text(c.path())));
        for (Change c : changes) {
            if (c.kind() == ChangeKind.Deleted) continue;
            Path p = target.resolve(text(c.path()));
            boolean keepDir = c.directory() && Files.isDirectory(p, NOFOLLOW);
            if (!keepDir && Files.exists(p, NOFOLLOW) && c.kind() != ChangeKind.MetadataChanged) Files.delete(p);
            switch (c.kind()) {
                case Added, Modified -> {
                    if (c.directory()) { if (!keepDir) Files.createDirectory(p); }
                    else Files.copy(upper.resolve(text(c.path())), p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                case Symlink -> Files.createSymbolicLink(p, Path.of(new String(c.symlinkTarget(), StandardCharsets.UTF_8)));
                case Hardlink -> Files.createLink(p, target.resolve(text(c.hardlinkOf())));
                case Fifo, CharDevice, BlockDevice -> Tree.SYS.mknodat(FileSyscalls_AT_FDCWD, b(p.toString()), c.mode(), c.rdev());
                case MetadataChanged -> { }
                default -> throw new AssertionError("unexpected kind " + c);
            }
            if (c.kind() != ChangeKind.Symlink) Tree.SYS.fchmodat(FileSyscalls_AT_FDCWD, b(p.toString()), c.permissions());
            Tree.SYS.fchownat(FileSyscalls_AT_FDCWD, b(p.toString()), c.uid(), c.gid(), org.lobstertrap.puzzlepod.core.linux.FileSyscalls.AT_SYMLINK_NOFOLLOW);
        }
    }

    private static String text(RelPath p) { return new String(p.bytes(), StandardCharsets.UTF_8); }
}
