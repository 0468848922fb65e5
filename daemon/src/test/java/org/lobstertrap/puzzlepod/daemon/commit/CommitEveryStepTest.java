package org.lobstertrap.puzzlepod.daemon.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.SYS;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.b;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.content;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;

/**
 * Stops a commit at every single step in turn (an Error thrown from the step hook unwinds without
 * any clean-up, as a crash would), and, for each, stops the following recovery at every one of its
 * steps too, then recovers and checks the base is exactly the pre- or the post-image. Exhaustive where
 * {@link CommitCrashTest} samples with real SIGKILLs.
 */
class CommitEveryStepTest {
    @TempDir Path junitTmp;
    private Path tmp;
    private final ChangesetCommitter committer = ChangesetCommitter.linux();

    private static final class Stop extends Error {
        Stop() { super("stopped at a crash point", null, false, false); }
    }

    /** A private tmpfs: hundreds of commits without waiting for the disk (syncfs is free there). */
    @BeforeEach
    void mountScratch() throws Exception {
        tmp = Files.createDirectories(junitTmp.resolve("scratch"));
        SYS.mount("tmpfs", tmp.toString().getBytes(StandardCharsets.UTF_8), "tmpfs", 0, "size=64m,mode=0755");
    }

    @AfterEach
    void cleanUp() throws Exception {
        CrashPoints.install(null);
        SYS.umount2(tmp.toString().getBytes(StandardCharsets.UTF_8), 2);
    }

    @Test
    void everyStepOfCommitAndRecoveryEndsInPreOrPostImage() throws Exception {
        BranchFixture f = new BranchFixture(tmp);
        f.baseFile("dir/a", b("a"), 0644).baseFile("dir/b", b("b"), 0644).baseFile("gone/sub/x", b("x"), 0600)
                .baseFile("retype", b("file"), 0644).baseFile("tree/inner", b("i"), 0644).baseSymlink("link", "dir/a");
        f.file("dir/a", content(1, 20_000), 0644).file(b("dir/new\nline"), b("n"), 04755, 1000, 1000).delete("gone")
                .dir("retype", 0750).file("retype/child", b("c"), 0644).file("tree", b("now a file"), 0600)
                .symlink("link", b("/abs/target")).chmod("dir/b", 0600, 7, 7).node("fifo", ChangeKind.Fifo, 0644, 0)
                .hardlink("dir/twin", "dir/a");
        Path pristine = tmp.resolve("pristine");
        ChangesetCommitterTest.copyTree(f.base, pristine);
        TreeHash pre = TreeHash.of(SYS, f.base);
        long steps = countSteps(() -> committer.commit(f.changeset(), f.upper, f.base));
        TreeHash post = TreeHash.of(SYS, f.base);
        ChangesetCommitterTest.assertSameTree(f.base, f.expected);

        int cases = 0;
        for (long stop = 1; stop <= steps; stop++) {
            reset(f.base, pristine);
            stopAt(stop);
            assertThatThrownBy(() -> committer.commit(f.changeset(), f.upper, f.base)).isInstanceOf(Stop.class);
            Path crashed = tmp.resolve("crashed");
            ChangesetCommitterTest.copyTree(f.base, crashed);
            CrashPoints.install(null);
            long recoverySteps = countSteps(() -> committer.recover(f.base));
            check(f.base, pre, post, "commit stopped at step " + stop);
            for (long rstop = 1; rstop <= recoverySteps; rstop++) {
                reset(f.base, crashed);
                stopAt(rstop);
                assertThatThrownBy(() -> committer.recover(f.base)).isInstanceOf(Stop.class);
                CrashPoints.install(null);
                committer.recover(f.base);
                check(f.base, pre, post, "commit stopped at step " + stop + ", recovery at step " + rstop);
                cases++;
            }
            BranchFixture.removeTree(tmp, b("crashed"));
            cases++;
        }
        assertThat(cases).isGreaterThan((int) steps);
        System.out.println(steps + " commit steps, " + cases + " stopped commits and recoveries checked");
    }

    private void check(Path base, TreeHash pre, TreeHash post, String what) throws Exception {
        TreeHash now = TreeHash.of(SYS, base);
        assertThat(now.equals(pre) || now.equals(post)).as(what + ": base is the pre- or post-image\n" + String.join("\n", now.listing()))
                .isTrue();
        assertThat(committer.recover(base)).as(what).isEqualTo(ChangesetCommitter.RecoveryOutcome.NOTHING_TO_DO);
    }

    private interface Action { void run() throws Exception; }

    private static long countSteps(Action action) throws Exception {
        AtomicLong n = new AtomicLong();
        CrashPoints.install(label -> n.incrementAndGet());
        try {
            action.run();
        } finally {
            CrashPoints.install(null);
        }
        return n.get();
    }

    private static void stopAt(long step) {
        AtomicLong n = new AtomicLong();
        CrashPoints.install(label -> { if (n.incrementAndGet() == step) throw new Stop(); });
    }

    private static void reset(Path base, Path from) throws Exception {
        BranchFixture.removeTree(base.getParent(), b(base.getFileName().toString()));
        Files.createDirectories(base);
        ChangesetCommitterTest.copyTree(from, base);
    }
}
