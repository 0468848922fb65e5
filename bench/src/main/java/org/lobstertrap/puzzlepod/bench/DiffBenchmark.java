package org.lobstertrap.puzzlepod.bench;

import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.daemon.diff.DiffException;
import org.lobstertrap.puzzlepod.daemon.diff.OverlayFlavor;
import org.lobstertrap.puzzlepod.daemon.diff.UpperDirDiff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The branch diff against the plain-tools floor: hashing every file of the upper directory with
 * {@code find UPPER -type f -print0 | xargs -0 sha256sum > /dev/null}.
 *
 * <p>Builds a base of 100 directories x 20 files and an upper directory of exactly 10 000 entries:
 * the 100 copied-up base directories, 100 modified files (half with the same size as the base file,
 * so their bytes must be compared), and 100 added directories of 97 added files each. File sizes are
 * 512 B to 16 KiB. Both sides run warm and interleaved in the same process run; the medians and their
 * ratio are printed. Usage: {@code DiffBenchmark [runs] [scratch-dir]} (defaults 15 and the system temp dir).
 */
public final class DiffBenchmark {
    private static final int DIRS = 100, BASE_FILES_PER_DIR = 20, ADDED_FILES_PER_DIR = 97;

    private DiffBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path scratch = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        Path root = Files.createTempDirectory(scratch, "puzzlepod-diff-bench");
        try {
            Path base = Files.createDirectory(root.resolve("base"));
            Path upper = Files.createDirectory(root.resolve("upper"));
            long entries = build(base, upper);
            UpperDirDiff differ = UpperDirDiff.onLinux();
            Changeset cs = diff(differ, base, upper);
            System.out.printf("upper entries: %d; changeset: %d changes (%d Added, %d Modified), %d bytes%n",
                    entries, cs.size(), cs.count(ChangeKind.Added), cs.count(ChangeKind.Modified), cs.totalBytes());
            if (cs.count(ChangeKind.Modified) != DIRS) throw new IllegalStateException("expected " + DIRS + " modified files");

            for (int i = 0; i < 5; i++) { diff(differ, base, upper); reference(upper); } // warm-up: JIT, page cache
            long[] ours = new long[runs], ref = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                diff(differ, base, upper);
                long t1 = System.nanoTime();
                reference(upper);
                long t2 = System.nanoTime();
                ours[i] = t1 - t0;
                ref[i] = t2 - t1;
            }
            double oursMs = median(ours) / 1e6, refMs = median(ref) / 1e6;
            System.out.printf("UpperDirDiff (in-process, warm)        median %8.2f ms over %d runs%n", oursMs, runs);
            System.out.printf("find -type f | xargs -0 sha256sum      median %8.2f ms over %d runs%n", refMs, runs);
            System.out.printf("ratio diff / sha256sum: %.2fx (goal <= 1.5x)%n", oursMs / refMs);
        } finally {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private static Changeset diff(UpperDirDiff differ, Path base, Path upper) throws DiffException {
        return differ.diff(base.toString(), upper.toString(), OverlayFlavor.TRUSTED_XATTR).changeset();
    }

    private static void reference(Path upper) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "find \"$1\" -type f -print0 | xargs -0 sha256sum > /dev/null", "sh", upper.toString())
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0)
            throw new IllegalStateException("reference command failed: " + new String(out));
    }

    /** Builds base and upper; returns the number of entries in upper. */
    private static long build(Path base, Path upper) throws IOException {
        Random rnd = new Random(42);
        long entries = 0;
        for (int d = 0; d < DIRS; d++) {
            Path bd = Files.createDirectory(base.resolve(String.format("d%03d", d)));
            Path ud = Files.createDirectory(upper.resolve(bd.getFileName()));
            entries++;
            for (int f = 0; f < BASE_FILES_PER_DIR; f++) {
                byte[] content = content(rnd);
                Files.write(bd.resolve("f" + f + ".src"), content);
                if (f == 0) {
                    // the modified file: same size (bytes must be compared) for even dirs, grown for odd ones
                    byte[] changed = d % 2 == 0 ? content.clone() : Arrays.copyOf(content, content.length + 100);
                    changed[changed.length / 2] ^= 0x55;
                    Files.write(ud.resolve("f0.src"), changed);
                    entries++;
                }
            }
        }
        for (int d = 0; d < DIRS; d++) {
            Path nd = Files.createDirectory(upper.resolve(String.format("n%03d", d)));
            entries++;
            for (int f = 0; f < ADDED_FILES_PER_DIR; f++) {
                Files.write(nd.resolve("added" + f + ".src"), content(rnd));
                entries++;
            }
        }
        return entries;
    }

    private static byte[] content(Random rnd) {
        byte[] b = new byte[512 + rnd.nextInt(16 * 1024 - 512)];
        rnd.nextBytes(b);
        return b;
    }

    private static double median(long[] xs) {
        List<Long> sorted = new ArrayList<>();
        for (long x : xs) sorted.add(x);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
