package org.lobstertrap.puzzlepod.bench;

import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.daemon.branch.BranchStore;
import org.lobstertrap.puzzlepod.daemon.branch.NewBranch;
import org.lobstertrap.puzzlepod.daemon.branch.RawTreeRemover;
import org.lobstertrap.puzzlepod.daemon.branch.StoreOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rollback of a branch holding N files (default 10 000) as its caller sees it, measured in the same
 * run as three references: the rollback of a 1-file branch (O(1) means the two are alike), one
 * durable small-file write (fsync of a file and of its directory: the floor any crash-safe state
 * change pays), and the background deletion of the N-file tree (what the caller does not wait for).
 *
 * <p>Usage: {@code RollbackBench [--dir DIR] [--files 10000] [--runs 7] [--warmup 1]}. DIR must be
 * on a disk file system; a branch root and a base are created in it and removed at the end.
 */
public final class RollbackBench {
    private RollbackBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "puzzlepod-rollback-bench");
        int files = 10_000, runs = 7, warmup = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: RollbackBench [--dir DIR] [--files N] [--runs N] [--warmup N]");
            }
        }
        Logger.getLogger("").setLevel(Level.WARNING);
        Files.createDirectories(dir);
        Path base = Files.createDirectories(dir.resolve("base"));
        Path root = dir.resolve("root");
        FileSyscalls sys = FileSyscalls.linux();

        TimedExecutor deleter = new TimedExecutor();
        long[] big = new long[runs], small = new long[runs], fsync = new long[runs], deletion = new long[runs];
        try (BranchStore store = BranchStore.open(root, StoreOptions.defaults().withDeletionExecutor(deleter))) {
            for (int run = -warmup; run < runs; run++) {
                BranchId bigId = store.create(NewBranch.of(0, "bench", base, Duration.ofHours(1))).id();
                populate(store.paths(bigId).upper(), files);
                BranchId smallId = store.create(NewBranch.of(0, "bench", base, Duration.ofHours(1))).id();
                populate(store.paths(smallId).upper(), 1);
                // the agent's files were written long before a rollback: start from a clean journal
                syncfs(sys, dir);

                long t0 = System.nanoTime();
                store.rollback(bigId);
                long t1 = System.nanoTime();
                long bigDeletion = deleter.awaitNext();

                syncfs(sys, dir);
                long t2 = System.nanoTime();
                store.rollback(smallId);
                long t3 = System.nanoTime();
                deleter.awaitNext();

                long t4 = System.nanoTime();
                durableWrite(dir.resolve("fsync-reference"));
                long t5 = System.nanoTime();

                System.err.printf("run %d: %d-file rollback %.3f ms, 1-file rollback %.3f ms, durable write %.3f ms, deletion %.1f ms%n",
                        run, files, ms(t1 - t0), ms(t3 - t2), ms(t5 - t4), ms(bigDeletion));
                if (run >= 0) {
                    big[run] = t1 - t0;
                    small[run] = t3 - t2;
                    fsync[run] = t5 - t4;
                    deletion[run] = bigDeletion;
                }
            }
        } finally {
            new RawTreeRemover(sys).removeTree(root);
            new RawTreeRemover(sys).removeTree(base);
            Files.deleteIfExists(dir.resolve("fsync-reference"));
        }
        System.out.printf("rollback as seen by the caller, %d runs (+%d warm-up), dir %s%n", runs, warmup, dir);
        System.out.printf("  %6d-file branch:     median %8.3f ms  p90 %8.3f ms  max %8.3f ms%n", files,
                ms(median(big)), ms(percentile(big, 90)), ms(max(big)));
        System.out.printf("       1-file branch:     median %8.3f ms%n", ms(median(small)));
        System.out.printf("  durable small write:    median %8.3f ms  (fsync file + fsync dir)%n", ms(median(fsync)));
        System.out.printf("  background deletion:    median %8.3f ms  (%d files, not waited for)%n", ms(median(deletion)), files);
        System.out.printf("  ratio %d-file / 1-file rollback:       %.2f%n", files, (double) median(big) / median(small));
        System.out.printf("  ratio %d-file rollback / durable write: %.2f%n", files, (double) median(big) / median(fsync));
        System.out.printf("  ratio %d-file rollback / its deletion:  %.5f%n", files, (double) median(big) / median(deletion));
        System.out.printf("  goal: median < 5 ms -> %s%n", ms(median(big)) < 5 ? "met" : "NOT met on this disk");
    }

    /** {@code files} small files spread over up to 100 directories, like a build tree. */
    private static void populate(Path dir, int files) throws IOException {
        byte[] content = "content of a small source file\n".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < files; i++) {
            Path sub = dir.resolve("d" + (i % 100));
            if (i < 100) Files.createDirectories(sub);
            Files.write(sub.resolve("f" + i), content);
        }
    }

    private static void durableWrite(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap("{\"state\":\"rolled-back\"}\n".getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try (FileChannel d = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void syncfs(FileSyscalls sys, Path onFs) throws IOException {
        int fd = sys.open(onFs.toString().getBytes(StandardCharsets.UTF_8), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY, 0);
        try {
            sys.syncfs(fd);
        } finally {
            sys.close(fd);
        }
    }

    /** Runs each deletion on its own platform thread and reports how long the job ran. */
    private static final class TimedExecutor implements Executor {
        private final LinkedBlockingQueue<Long> durations = new LinkedBlockingQueue<>();

        @Override public void execute(Runnable job) {
            Thread.ofPlatform().daemon(true).stackSize(64L << 20).start(() -> {
                long t0 = System.nanoTime();
                job.run();
                durations.add(System.nanoTime() - t0);
            });
        }

        long awaitNext() throws InterruptedException { return durations.take(); }
    }

    private static double ms(long nanos) { return nanos / 1e6; }

    private static long median(long[] v) { return percentile(v, 50); }

    private static long percentile(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * s.length) - 1))];
    }

    private static long max(long[] v) { return Arrays.stream(v).max().orElse(0); }
}
