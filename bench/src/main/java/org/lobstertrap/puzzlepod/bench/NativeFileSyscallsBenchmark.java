package org.lobstertrap.puzzlepod.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The native layer's per-file hot calls against the JDK's own file API as the reference, in the same
 * run: lstat of one file, and listing a 1000-entry directory. Run:
 * {@code java -cp bench/target/classes:$(cat bench/target/classpath.txt) org.openjdk.jmh.Main NativeFileSyscalls}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeFileSyscallsBenchmark {
    private static final int FILES = 1000;
    private final FileSyscalls sys = FileSyscalls.linux();
    private Path dir;
    private int dirFd;
    private byte[][] names;
    private Path[] paths;
    private int next;

    @Setup(Level.Trial)
    public void createDirectory() throws IOException {
        dir = Files.createTempDirectory("puzzlepod-bench");
        names = new byte[FILES][];
        paths = new Path[FILES];
        for (int i = 0; i < FILES; i++) {
            String name = "file-" + i + ".txt";
            paths[i] = Files.writeString(dir.resolve(name), "x");
            names[i] = name.getBytes(StandardCharsets.UTF_8);
        }
        dirFd = sys.open(dir.toString().getBytes(StandardCharsets.UTF_8),
                FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY | FileSyscalls.O_CLOEXEC, 0);
    }

    @TearDown(Level.Trial)
    public void removeDirectory() throws IOException {
        sys.close(dirFd);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == FILES ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public FileStat lstatNative() throws LinuxException {
        return sys.fstatat(dirFd, names[nextIndex()], FileSyscalls.AT_SYMLINK_NOFOLLOW);
    }

    /** Reference: the JDK's lstat with the POSIX attribute view. */
    @Benchmark
    public PosixFileAttributes lstatJdkReference() throws IOException {
        return Files.readAttributes(paths[nextIndex()], PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Benchmark
    public void listDirectoryNative(Blackhole bh) throws LinuxException {
        int fd = sys.openat(dirFd, new byte[] {'.'}, FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY
                | FileSyscalls.O_CLOEXEC, 0);
        try {
            bh.consume(sys.readdir(fd));
        } finally {
            sys.close(fd);
        }
    }

    /** Reference: the JDK's directory stream, which also yields every name. */
    @Benchmark
    public void listDirectoryJdkReference(Blackhole bh) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) bh.consume(p);
        }
    }
}
