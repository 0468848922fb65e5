package org.lobstertrap.puzzlepod.daemon.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.SYS;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.b;
import static org.lobstertrap.puzzlepod.daemon.commit.BranchFixture.content;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/**
 * Kills a committing child JVM with SIGKILL at randomly chosen steps (and a few times from outside
 * after a random delay), then recovers in this JVM and checks that the base is exactly the pre-image
 * or exactly the post-image, that a second recovery changes nothing, and that a commit retried after
 * a rollback reaches the post-image. Some crashes are followed by a recovery that is itself killed.
 *
 * <p>{@code -Dpuzzlepod.crash.points=N} sets the number of crashes (default 200),
 * {@code -Dpuzzlepod.crash.seed=S} replays a run; the seed is printed and is part of every failure.
 */
@Tag("slow")
class CommitCrashTest {
    private static final int BIG_SELF_KILLS = 3, BIG_PARENT_KILLS = 2, SMALL_PARENT_KILLS = 5;

    @TempDir Path junitTmp;
    private Path tmp;
    private final ChangesetCommitter committer = ChangesetCommitter.linux();

    /**
     * The trees live on a private tmpfs: a SIGKILL loses no page-cache state, so the outcome is the
     * same as on a disk file system, while syncfs costs nothing and other users of the machine's
     * disk cannot slow the loop down.
     */
    @BeforeEach
    void mountScratch() throws Exception {
        tmp = Files.createDirectories(junitTmp.resolve("scratch"));
        SYS.mount("tmpfs", tmp.toString().getBytes(StandardCharsets.UTF_8), "tmpfs", 0, "size=1g,mode=0755");
    }

    @AfterEach
    void unmountScratch() throws Exception {
        SYS.umount2(tmp.toString().getBytes(StandardCharsets.UTF_8), 2);
    }

    /** One changeset shape, with its pristine base and both acceptable outcomes. */
    record Scenario(String name, BranchFixture fixture, Path pristine, Path changesetFile, TreeHash pre, TreeHash post,
                    long steps, long commitNanos) {}

    @Test
    void everyCrashPointRecoversToThePreOrThePostImage() throws Exception {
        int points = Integer.getInteger("puzzlepod.crash.points", 200);
        long seed = Long.getLong("puzzlepod.crash.seed", System.nanoTime());
        System.out.println("commit crash test: " + points + " crash points, seed " + seed
                + " (replay with -Dpuzzlepod.crash.seed=" + seed + ")");
        Random rnd = new Random(seed);
        List<Scenario> small = new ArrayList<>();
        small.add(scenario("small-files", this::smallFiles));
        small.add(scenario("deep-trees", this::deepTrees));
        small.add(scenario("directory-deletions", this::directoryDeletions));
        small.add(scenario("symlinks-and-type-replacements", this::typeReplacements));
        small.add(scenario("hostile-names-and-metadata", this::hostileNames));
        Scenario big = scenario("hundred-megabytes", this::hundredMegabytes);

        // the task list depends on the seed only; tasks run on a few workers, each with its own base copy
        List<CrashTask> tasks = new ArrayList<>();
        for (int i = 0; i < BIG_SELF_KILLS; i++) tasks.add(new CrashTask(big, 1 + rnd.nextLong(big.steps()), -1, rnd.nextLong()));
        for (int i = 0; i < BIG_PARENT_KILLS; i++) tasks.add(new CrashTask(big, 0, rnd.nextLong(big.commitNanos() + 1), rnd.nextLong()));
        for (int i = 0; i < SMALL_PARENT_KILLS; i++) {
            Scenario s = small.get(rnd.nextInt(small.size()));
            tasks.add(new CrashTask(s, 0, rnd.nextLong(2 * s.commitNanos() + 1), rnd.nextLong()));
        }
        for (int i = 0; tasks.size() < points; i++) {
            Scenario s = small.get(i % small.size());
            tasks.add(new CrashTask(s, 1 + rnd.nextLong(s.steps()), -1, rnd.nextLong()));
        }
        int workers = Integer.getInteger("puzzlepod.crash.workers", Math.min(2, Runtime.getRuntime().availableProcessors()));
        long loopStart = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String worker = "base-" + w;
            threads.add(Thread.ofPlatform().name("crash-worker-" + w).start(() -> {
                for (int i; failures.isEmpty() && (i = next.getAndIncrement()) < tasks.size(); ) {
                    try {
                        crashAt(tasks.get(i), worker, seed);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }
            }));
        }
        for (Thread t : threads) t.join();
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("crash test failed (seed " + seed + "): " + failures.getFirst().getMessage(),
                    failures.getFirst());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        assertThat(next.get()).isGreaterThanOrEqualTo(points);
        System.out.printf("%d crashes on %d workers in %.1f s%n", tasks.size(), workers, (System.nanoTime() - loopStart) / 1e9);
    }

    /** One kill: by the child itself at step {@code dieAt} (> 0), or by this JVM after a delay. */
    record CrashTask(Scenario scenario, long dieAt, long parentKillAfterNanos, long seed) {}

    private interface Shape { void build(BranchFixture f) throws Exception; }

    private Scenario scenario(String name, Shape shape) throws Exception {
        Path root = Files.createDirectories(tmp.resolve(name));
        BranchFixture f = new BranchFixture(root);
        shape.build(f);
        Path pristine = root.resolve("pristine");
        ChangesetCommitterTest.copyTree(f.base, pristine);
        Path changesetFile = root.resolve("changeset");
        ChangesetFile.write(f.changeset(), changesetFile);
        TreeHash pre = TreeHash.of(SYS, f.base);
        AtomicLong steps = new AtomicLong();
        CrashPoints.install(label -> steps.incrementAndGet());
        long start = System.nanoTime();
        try {
            committer.commit(f.changeset(), f.upper, f.base);
        } finally {
            CrashPoints.install(null);
        }
        long nanos = System.nanoTime() - start;
        ChangesetCommitterTest.assertSameTree(f.base, f.expected);
        TreeHash post = TreeHash.of(SYS, f.base);
        assertThat(post).as("scenario %s changes the base", name).isNotEqualTo(pre);
        System.out.printf("scenario %s: %d changes, %d steps, clean commit %.1f ms%n", name, f.changeset().size(), steps.get(),
                nanos / 1e6);
        return new Scenario(name, f, pristine, changesetFile, pre, post, steps.get(), nanos);
    }

    private void crashAt(CrashTask task, String worker, long seed) throws Exception {
        Scenario s = task.scenario();
        long dieAt = task.dieAt(), parentKillAfterNanos = task.parentKillAfterNanos();
        Random rnd = new Random(task.seed());
        Path base = s.fixture().base.resolveSibling(worker);
        if (BranchFixture.lstatOrNull(base.toString().getBytes(StandardCharsets.UTF_8)) != null) {
            BranchFixture.removeTree(base.getParent(), b(worker));
        }
        ChangesetCommitterTest.copyTree(s.pristine(), base);
        String what = "seed " + seed + ", scenario " + s.name() + (dieAt > 0 ? ", self-kill at step " + dieAt + " of " + s.steps()
                : ", parent kill after " + parentKillAfterNanos / 1000 + " us");
        String out = runChild("commit", s, base, dieAt, parentKillAfterNanos, what);
        boolean recoveryCrash = rnd.nextInt(8) == 0;
        if (recoveryCrash) {
            long recoverDieAt = 1 + rnd.nextInt(30);
            what += ", recovery killed at step " + recoverDieAt;
            out += runChild("recover", s, base, recoverDieAt, -1, what);
        }
        ChangesetCommitter.RecoveryOutcome outcome = committer.recover(base);
        TreeHash after = TreeHash.of(SYS, base);
        String context = what + ", recovery " + outcome + "\nchild output:\n" + out;
        if (!after.equals(s.pre()) && !after.equals(s.post())) {
            fail("base is neither pre- nor post-image: " + context + "\nbase:\n" + String.join("\n", after.listing())
                    + "\npost-image:\n" + String.join("\n", s.post().listing()));
        }
        switch (outcome) {
            case ROLLED_BACK -> assertThat(after).as(context).isEqualTo(s.pre());
            case ROLLED_FORWARD, CLEANED_UP -> assertThat(after).as(context).isEqualTo(s.post());
            case NOTHING_TO_DO -> { }
        }
        assertThat(committer.recover(base)).as("second recovery: " + context).isEqualTo(ChangesetCommitter.RecoveryOutcome.NOTHING_TO_DO);
        assertThat(TreeHash.of(SYS, base)).as("second recovery: " + context).isEqualTo(after);
        if (after.equals(s.pre())) {
            committer.commit(s.fixture().changeset(), s.fixture().upper, base);
            assertThat(TreeHash.of(SYS, base)).as("retry after rollback: " + context).isEqualTo(s.post());
        }
    }

    private String runChild(String mode, Scenario s, Path base, long dieAt, long parentKillAfterNanos, String what) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("cannot find the java binary"));
        String classPath = childClassPath();
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", classPath, CrashChild.class.getName(), mode,
                s.changesetFile().toString(), s.fixture().upper.toString(), base.toString(), Long.toString(dieAt));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            if (parentKillAfterNanos >= 0) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                    if (line.equals("ready")) break;
                }
                TimeUnit.NANOSECONDS.sleep(parentKillAfterNanos);
                p.toHandle().destroyForcibly(); // SIGKILL; Process.destroyForcibly would also close our end of the pipe
            }
            String line;
            while ((line = r.readLine()) != null) out.append(line).append('\n');
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("child did not end: " + what);
        }
        int exit = p.exitValue();
        if (exit != 0 && exit != 137) fail("child failed with exit " + exit + " (" + what + "):\n" + out);
        return out.toString();
    }

    private String childClassPath;

    /**
     * The classes this JVM runs the committer from, for the children. Jars are copied once into the
     * test's directory, so that a rebuild of a module elsewhere during the run cannot change what a
     * child loads halfway through the loop.
     */
    private synchronized String childClassPath() throws Exception {
        if (childClassPath != null) return childClassPath;
        Path snapshot = Files.createDirectories(tmp.resolve("classpath"));
        List<Path> seen = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (Class<?> c : List.of(CrashChild.class, ChangesetCommitter.class, FileSyscalls.class, Changeset.class)) {
            Path location = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (seen.contains(location)) continue;
            seen.add(location);
            if (Files.isRegularFile(location)) {
                Path copy = snapshot.resolve(seen.size() + "-" + location.getFileName());
                Files.copy(location, copy);
                location = copy;
            }
            entries.add(location.toString());
        }
        childClassPath = String.join(java.io.File.pathSeparator, entries);
        return childClassPath;
    }

    // ---- shapes ----

    private void smallFiles(BranchFixture f) throws Exception {
        for (int d = 0; d < 3; d++) for (int i = 0; i < 10; i++) f.baseFile("dir" + d + "/f" + i, content(d * 100 + i, 100 + i), 0644);
        for (int i = 0; i < 40; i++) f.file((i % 2 == 0 ? "dir" + (i % 3) : "fresh" + (i % 2 + i % 5)) + "/n" + i, content(1000 + i, 50 + i * 7), 0644);
        for (int i = 0; i < 5; i++) f.file("dir1/f" + i, content(2000 + i, 300), 0640);
        for (int i = 5; i < 10; i++) f.delete("dir2/f" + i);
        f.chmod("dir0/f1", 0600, 1000, 1000).chmod("dir0", 0711, 0, 0);
    }

    private void deepTrees(BranchFixture f) throws Exception {
        StringBuilder old = new StringBuilder("old");
        for (int i = 0; i < 40; i++) { old.append("/o").append(i); if (i % 10 == 0) f.baseFile(old + "/leaf", b("l" + i), 0644); }
        f.baseFile(old + "/bottom", b("bottom"), 0644);
        f.delete("old");
        StringBuilder path = new StringBuilder("new");
        f.dir("new", 0755);
        for (int i = 0; i < 60; i++) {
            path.append("/n").append(i);
            f.dir(path.toString(), 0755);
            if (i % 15 == 0) f.file(path + "/leaf", content(i, 200), 0644);
        }
    }

    private void directoryDeletions(BranchFixture f) throws Exception {
        for (int s = 0; s < 3; s++) for (int i = 0; i < 5; i++) f.baseFile("a/s" + s + "/f" + i, b("a" + s + i), 0644);
        f.baseFile("b/sub/x", b("x"), 0644).baseFile("b/sub/more/y", b("y"), 0600).baseFile("b/keep", b("k"), 0644)
                .baseFile("c/stay", b("s"), 0644);
        f.delete("a").delete("b/sub").file("b/keep", b("kept and changed"), 0644);
    }

    private void typeReplacements(BranchFixture f) throws Exception {
        f.baseFile("file-to-dir", b("f"), 0644).baseFile("dir-to-file/sub/z", b("z"), 0644)
                .baseFile("dir-to-link/q", b("q"), 0644).baseSymlink("link-to-dir", "/etc").baseSymlink("retarget", "a")
                .baseFile("file-to-link", b("l"), 0644).baseFile("opaque/gone", b("g"), 0644).baseFile("link-to-file-target", b("t"), 0644)
                .baseSymlink("link-to-file", "link-to-file-target");
        f.dir("file-to-dir", 0755).file("file-to-dir/inner", b("i"), 0644).file("dir-to-file", b("now a file"), 0600)
                .symlink("dir-to-link", b("/nonexistent/absolute")).dir("link-to-dir", 0711).file("link-to-dir/passwd", b("p"), 0644)
                .symlink("retarget", b("../../b")).symlink("file-to-link", b("dangling"))
                .delete("opaque/gone").dir("opaque", 0700).file("opaque/fresh", b("fresh"), 0644)
                .file("link-to-file", b("was a link"), 0644);
    }

    private void hostileNames(BranchFixture f) throws Exception {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        f.baseFile(b("old\nname"), b("o"), 0644, 0, 0).baseFile("owned", b("o"), 0644);
        f.file(b("line\nbreak"), b("nl"), 0644, 0, 0).file(latin1, b("l1"), 0644, 0, 0)
                .file("n".repeat(255).getBytes(), b("long"), 0644, 0, 0).file(b("-rf"), b("dash"), 0644, 0, 0)
                .file(b("setuid"), b("suid"), 04755, 1000, 1001).file(b("setgid"), b("sgid"), 02711, 0, 1002)
                .delete(b("old\nname")).chmod("owned", 01777, 1234, 5678)
                .node("fifo", ChangeKind.Fifo, 0620, 0).node("null", ChangeKind.CharDevice, 0666, (1L << 8) | 3)
                .hardlink("twin", "setuid");
        f.dir(RelPath.of(b("dir\n")).resolve(latin1).bytes(), 0755, 0, 0);
    }

    private void hundredMegabytes(BranchFixture f) throws Exception {
        f.baseFile("small", b("s"), 0644).baseFile("gone", b("g"), 0644);
        f.largeFile("big.bin", 100L << 20, 42).file("small", b("changed"), 0644).delete("gone");
    }
}
