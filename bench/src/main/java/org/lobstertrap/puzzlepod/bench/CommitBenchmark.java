package org.lobstertrap.puzzlepod.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.daemon.commit.ChangesetCommitter;

/**
 * Crash-safe commit of 1 000 new files (4–64 KiB, in 30 directories) into an empty base, journal and
 * durability included, against {@code cp -a SRC/. DST/ && sync} of the same files. The two are
 * interleaved (alternating which goes first) in the same run; medians of each are compared.
 *
 * <p>Arguments: {@code [work directory (default: java.io.tmpdir)] [runs (default 9)]}. The work
 * directory should sit on the file system a real base would use: durability is part of the cost.
 */
public final class CommitBenchmark {
    private static final int FILES = 1_000, DIRS = 30;

    private CommitBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir")), "commit-bench");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        try {
            Path src = root.resolve("src");
            Changeset changeset = generate(src, new Random(1));
            System.out.printf("commit benchmark: %d files, %d directories, %.1f MiB, %d runs each, in %s%n", FILES, DIRS,
                    changeset.totalBytes() / 1048576.0, runs, root);
            ChangesetCommitter committer = ChangesetCommitter.linux();
            // warm-up of both (JIT, page cache of SRC) outside the measurement
            timeCommit(committer, changeset, src, root.resolve("warm-commit"));
            timeCopy(src, root.resolve("warm-cp"));
            long[] commit = new long[runs], copy = new long[runs];
            for (int i = 0; i < runs; i++) {
                if (i % 2 == 0) {
                    commit[i] = timeCommit(committer, changeset, src, root.resolve("commit-" + i));
                    copy[i] = timeCopy(src, root.resolve("cp-" + i));
                } else {
                    copy[i] = timeCopy(src, root.resolve("cp-" + i));
                    commit[i] = timeCommit(committer, changeset, src, root.resolve("commit-" + i));
                }
            }
            double c = median(commit) / 1e6, r = median(copy) / 1e6;
            System.out.printf("ChangesetCommitter.commit (journal + syncfs): median %.1f ms  %s%n", c, ms(commit));
            System.out.printf("cp -a SRC/. DST/ && sync (reference):         median %.1f ms  %s%n", r, ms(copy));
            System.out.printf("ratio commit / reference: %.2fx%n", c / r);
        } finally {
            new ProcessBuilder("rm", "-rf", "--", root.toString()).inheritIO().start().waitFor();
        }
    }

    private static long timeCommit(ChangesetCommitter committer, Changeset changeset, Path src, Path base) throws Exception {
        Files.createDirectories(base);
        long start = System.nanoTime();
        committer.commit(changeset, src, base);
        long t = System.nanoTime() - start;
        remove(base);
        return t;
    }

    private static long timeCopy(Path src, Path dst) throws Exception {
        Files.createDirectories(dst);
        long start = System.nanoTime();
        Process p = new ProcessBuilder("sh", "-c", "cp -a \"$0\"/. \"$1\"/ && sync", src.toString(), dst.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("cp -a failed");
        long t = System.nanoTime() - start;
        remove(dst);
        return t;
    }

    private static void remove(Path dir) throws Exception {
        new ProcessBuilder("rm", "-rf", "--", dir.toString()).inheritIO().start().waitFor();
    }

    /** Writes the files under src and returns the changeset that adds them to an empty base. */
    private static Changeset generate(Path src, Random rnd) throws Exception {
        List<Change> changes = new ArrayList<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int d = 0; d < DIRS; d++) {
            Path dir = Files.createDirectories(src.resolve("dir" + d));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            changes.add(new Change(RelPath.of("dir" + d), ChangeKind.Added, true, 0, FileStat.S_IFDIR | 0755, 0, 0,
                    null, null, null, 0, null));
        }
        for (int i = 0; i < FILES; i++) {
            String rel = "dir" + (i % DIRS) + "/file" + i + ".dat";
            byte[] content = new byte[4096 + rnd.nextInt(60 * 1024 + 1)];
            rnd.nextBytes(content);
            Path file = src.resolve(rel);
            Files.write(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            changes.add(new Change(RelPath.of(rel), ChangeKind.Added, false, content.length, FileStat.S_IFREG | 0644, 0, 0,
                    HexFormat.of().formatHex(sha.digest(content)), null, null, 0, null));
        }
        return new Changeset(changes);
    }

    private static double median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static String ms(long[] xs) {
        StringBuilder sb = new StringBuilder("[");
        for (long x : xs) sb.append(sb.length() > 1 ? " " : "").append(Math.round(x / 1e6));
        return sb.append("] ms").toString();
    }
}
