package org.lobstertrap.puzzlepod.daemon.diff;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The diff's hash budget: a changeset that certainly writes more than the budget comes back unhashed, from
 * the walk's sizes, without reading the big files; within the budget the result equals the full diff.
 */
class HashBudgetDiffTest {
    private static final long MIB = 1024 * 1024;

    @TempDir Path tmp;
    Tree base, upper;
    final AtomicLong bytesRead = new AtomicLong();

    @BeforeEach void dirs() throws IOException {
        base = new Tree(Files.createDirectory(tmp.resolve("base")));
        upper = new Tree(Files.createDirectory(tmp.resolve("upper")));
        base.dir("src").file("src/a.c", "int a;\n").file("src/b.c", "int b;\n").file("same.txt", "12345")
                .file("grown.txt", "x").file("gone.txt", "bye").dir("docs").file("docs/n1.md", "1").file("docs/n2.md", "2");
    }

    /** The real system calls, counting the bytes every read(2) returns. */
    private FileSyscalls counting() {
        InvocationHandler h = (proxy, method, args) -> {
            try {
                Object r = method.invoke(Tree.SYS, args);
                if (method.getName().equals("read") && r instanceof Long n && n > 0) bytesRead.addAndGet(n);
                return r;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (FileSyscalls) Proxy.newProxyInstance(FileSyscalls.class.getClassLoader(), new Class<?>[] {FileSyscalls.class}, h);
    }

    /** A sparse file of {@code size} bytes (cheap on disk, but a hash would read every byte). */
    private static void bigFile(Tree tree, String rel, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(tree.root.resolve(rel).toFile(), "rw")) {
            f.setLength(size);
        }
    }

    private static Change get(Changeset cs, String path) {
        return cs.changes().stream().filter(c -> c.path().equals(RelPath.of(path))).findFirst()
                .orElseThrow(() -> new AssertionError("no change for " + path + " in " + cs.changes()));
    }

    private void agentWork() throws Exception {
        upper.dir("src").file("src/c.c", "int c;\n") // added, small
                .file("same.txt", "54321")          // same size as the base file: only the content tells
                .file("grown.txt", "xyz")           // modified with another size
                .whiteout("gone.txt")
                .dir("docs").opaque("docs");        // both notes deleted
        bigFile(upper, "agent.log", 64 * MIB);
        bigFile(base, "model.bin", 32 * MIB);  // copied up unchanged: same size, only its content tells
        bigFile(upper, "model.bin", 32 * MIB);
    }

    @Test void overTheBudgetTheChangesetIsJudgedFromSizesWithoutReadingTheBigFile() throws Exception {
        agentWork();
        DiffResult r = new UpperDirDiff(counting()).diff(base.bytes(), upper.bytes(), OverlayFlavor.TRUSTED_XATTR, 16 * MIB);

        assertThat(r.contentHashed()).isFalse();
        assertThat(bytesRead.get()).as("bytes read while diffing").isLessThan(16 * MIB);
        Changeset cs = r.changeset();
        Change log = get(cs, "agent.log");
        assertThat(log.kind()).isEqualTo(ChangeKind.Added);
        assertThat(log.size()).isEqualTo(64 * MIB);
        assertThat(log.checksum()).as("a file put aside is not hashed").isNull();
        assertThat(get(cs, "grown.txt").kind()).isEqualTo(ChangeKind.Modified);
        assertThat(get(cs, "src/c.c").kind()).isEqualTo(ChangeKind.Added);
        assertThat(get(cs, "gone.txt").kind()).isEqualTo(ChangeKind.Deleted);
        assertThat(get(cs, "docs/n1.md").kind()).isEqualTo(ChangeKind.Deleted);
        assertThat(get(cs, "docs/n2.md").kind()).isEqualTo(ChangeKind.Deleted);
        assertThat(cs.changes()).as("a same-size copy-up put aside needs its content to be classified: left out")
                .noneMatch(c -> c.path().equals(RelPath.of("model.bin")));
        assertThat(cs.totalBytes()).isGreaterThan(16 * MIB).isLessThanOrEqualTo(fullDiff().totalBytes());
    }

    @Test void withinTheBudgetTheResultIsTheFullDiff() throws Exception {
        agentWork();
        // just enough for everything the branch writes (in readdir order the log may come first or last)
        DiffResult r = new UpperDirDiff(counting()).diff(base.bytes(), upper.bytes(), OverlayFlavor.TRUSTED_XATTR, 64 * MIB + 20);
        assertThat(r.contentHashed()).isTrue();
        assertThat(r.changeset()).isEqualTo(fullDiff());
        assertThat(get(r.changeset(), "same.txt").kind()).isEqualTo(ChangeKind.Modified);
        assertThat(r.changeset().changes()).as("the unchanged copy-up was read and found equal")
                .noneMatch(c -> c.path().equals(RelPath.of("model.bin")));
        assertThat(get(r.changeset(), "agent.log").checksum()).hasSize(64);
    }

    @Test void aSameSizeCopyUpOverTheBudgetIsHashedAfterTheWalk() throws Exception {
        base.file("data.bin", "");
        try (RandomAccessFile f = new RandomAccessFile(base.root.resolve("data.bin").toFile(), "rw")) {
            f.setLength(2 * MIB);
        }
        Files.copy(base.root.resolve("data.bin"), upper.root.resolve("data.bin"));
        DiffResult r = UpperDirDiff.onLinux().diff(base.bytes(), upper.bytes(), OverlayFlavor.TRUSTED_XATTR, MIB);
        assertThat(r.contentHashed()).as("nothing certainly written: the unchanged copy-up is read and found equal").isTrue();
        assertThat(r.changeset().isEmpty()).isTrue();
    }

    @Test void aZeroBudgetStillHashesAChangesetThatWritesNothing() throws Exception {
        upper.whiteout("gone.txt").file("same.txt", "12345");
        DiffResult r = UpperDirDiff.onLinux().diff(base.bytes(), upper.bytes(), OverlayFlavor.TRUSTED_XATTR, 0);
        assertThat(r.contentHashed()).isTrue();
        assertThat(r.changeset()).isEqualTo(fullDiff());
    }

    @Test void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> UpperDirDiff.onLinux().diff(base.bytes(), upper.bytes(), OverlayFlavor.TRUSTED_XATTR, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    private Changeset fullDiff() throws DiffException {
        DiffResult r = UpperDirDiff.onLinux().diff(base.bytes(), upper.bytes(), OverlayFlavor.TRUSTED_XATTR);
        assertThat(r.contentHashed()).isTrue();
        return r.changeset();
    }
}
