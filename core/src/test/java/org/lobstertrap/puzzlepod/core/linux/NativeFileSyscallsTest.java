package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NativeFileSyscalls} against the real kernel, in a temporary directory (tests run as root). */
class NativeFileSyscallsTest {
    private final FileSyscalls sys = FileSyscalls.linux();
    @TempDir Path tmp;
    private int dir;

    @BeforeEach
    void openDir() throws LinuxException {
        dir = sys.open(bytes(tmp.toString()), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    }

    @AfterEach
    void closeDir() throws LinuxException {
        sys.close(dir);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private void createFile(byte[] name, byte[] content) throws LinuxException {
        int fd = sys.openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, content.length));
            MemorySegment.copy(content, 0, buf, ValueLayout.JAVA_BYTE, 0, content.length);
            long done = 0;
            while (done < content.length) done += sys.write(fd, buf.asSlice(done), content.length - done);
        } finally {
            sys.close(fd);
        }
    }

    private byte[] readAll(int fd, int max) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(max);
            long n = 0, r;
            while ((r = sys.read(fd, buf.asSlice(n), max - n)) > 0) n += r;
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void linuxReturnsTheSingleton() {
        assertThat(FileSyscalls.linux()).isSameAs(FileSyscalls.linux()).isInstanceOf(NativeFileSyscalls.class);
    }

    @Test
    void statLayoutMatchesWhatTheJdkReadsFromTheKernel() throws Exception {
        createFile(bytes("f"), new byte[1234]);
        Path f = tmp.resolve("f");
        Files.createLink(tmp.resolve("f2"), f);
        Files.setLastModifiedTime(f, FileTime.from(java.time.Instant.ofEpochSecond(1_600_000_000L, 123_456_789)));
        FileStat st = sys.fstatat(dir, bytes("f"), AT_SYMLINK_NOFOLLOW);

        assertThat(st.dev()).isEqualTo((long) Files.getAttribute(f, "unix:dev"));
        assertThat(st.ino()).isEqualTo((long) Files.getAttribute(f, "unix:ino"));
        assertThat(st.mode()).isEqualTo((int) Files.getAttribute(f, "unix:mode"));
        assertThat(st.nlink()).isEqualTo(2L).isEqualTo((int) Files.getAttribute(f, "unix:nlink"));
        assertThat(st.uid()).isEqualTo((int) Files.getAttribute(f, "unix:uid"));
        assertThat(st.gid()).isEqualTo((int) Files.getAttribute(f, "unix:gid"));
        assertThat(st.size()).isEqualTo(1234L);
        assertThat(st.mtimeSec()).isEqualTo(1_600_000_000L);
        assertThat(st.mtimeNsec()).isEqualTo(123_456_789L);
        FileTime ctime = (FileTime) Files.getAttribute(f, "unix:ctime");
        assertThat(st.ctimeSec()).isEqualTo(ctime.toInstant().getEpochSecond());
        assertThat(st.isRegular()).isTrue();
        assertThat(st.permissions()).isEqualTo(0644 & ~umaskBits());

        int fd = sys.openat(dir, bytes("f"), O_RDONLY | O_CLOEXEC, 0);
        try {
            assertThat(sys.fstat(fd)).isEqualTo(st);
        } finally {
            sys.close(fd);
        }
        assertThat(sys.fstatat(dir, new byte[0], AT_EMPTY_PATH).isDirectory()).isTrue();
    }

    private int umaskBits() throws Exception {
        Path probe = Files.createFile(tmp.resolve("umask-probe"));
        int mode = (int) Files.getAttribute(probe, "unix:mode") & 0777;
        Files.delete(probe);
        return 0666 & ~mode;
    }

    @Test
    void hostileNamesRoundTripExactly() throws LinuxException {
        byte[] newline = bytes("line\nbreak");
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, 'x', (byte) 0x80};
        byte[] longest = new byte[255];
        Arrays.fill(longest, (byte) 'n');
        for (byte[] name : List.of(newline, notUtf8, longest)) createFile(name, name);

        Set<String> listed = sys.readdir(dir).stream().map(e -> Arrays.toString(e.name())).collect(Collectors.toSet());
        assertThat(listed).containsExactlyInAnyOrder(Arrays.toString(newline), Arrays.toString(notUtf8),
                Arrays.toString(longest));
        for (byte[] name : List.of(newline, notUtf8, longest)) {
            int fd = sys.openat(dir, name, O_RDONLY | O_CLOEXEC, 0);
            try {
                assertThat(readAll(fd, 1024)).isEqualTo(name);
            } finally {
                sys.close(fd);
            }
        }
    }

    @Test
    void nameLongerThan255BytesFailsWithEnametoolongNamingTheCall() {
        byte[] tooLong = new byte[256];
        Arrays.fill(tooLong, (byte) 'n');
        assertThatThrownBy(() -> sys.openat(dir, tooLong, O_WRONLY | O_CREAT | O_CLOEXEC, 0644))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENAMETOOLONG);
                    assertThat(e.call()).isEqualTo("openat");
                    assertThat(e.getMessage()).startsWith("openat(nnn").endsWith(": File name too long (ENAMETOOLONG)");
                });
        byte[] pathTooLong = new byte[5000];
        Arrays.fill(pathTooLong, (byte) 'a');
        assertThatThrownBy(() -> sys.fstatat(dir, pathTooLong, 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENAMETOOLONG));
    }

    @Test
    void nameWithNulByteIsRefusedInsteadOfTruncated() throws LinuxException {
        createFile(bytes("a"), new byte[0]);
        assertThatThrownBy(() -> sys.unlinkat(dir, new byte[] {'a', 0, 'b'}, 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.getMessage()).contains("a\\x00b").contains("NUL");
                });
        assertThat(sys.fstatat(dir, bytes("a"), 0).isRegular()).isTrue();
    }

    @Test
    void errnoMessagesNameTheCallTheSubjectAndTheError() {
        assertThatThrownBy(() -> sys.fstatat(dir, bytes("missing\u00e9\n"), 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("fstatat(missing\u00e9\\x0a): No such file or directory (ENOENT)");
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.is(Errno.ENOENT)).isTrue();
                });
        assertThatThrownBy(() -> sys.fsync(-1))
                .hasMessage("fsync(fd -1): Bad file descriptor (EBADF)");
    }

    @Test
    void renameat2ExchangeSwapsAndNoreplaceRefusesAnExistingTarget() throws LinuxException {
        createFile(bytes("a"), bytes("A"));
        createFile(bytes("b"), bytes("B"));
        sys.renameat2(dir, bytes("a"), dir, bytes("b"), RENAME_EXCHANGE);
        assertThat(contentOf("a")).isEqualTo(bytes("B"));
        assertThat(contentOf("b")).isEqualTo(bytes("A"));

        assertThatThrownBy(() -> sys.renameat2(dir, bytes("a"), dir, bytes("b"), RENAME_NOREPLACE))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EEXIST);
                    assertThat(e.getMessage()).isEqualTo("renameat2(a -> b): File exists (EEXIST)");
                });
        assertThat(contentOf("a")).isEqualTo(bytes("B"));
        sys.renameat2(dir, bytes("a"), dir, bytes("c"), RENAME_NOREPLACE);
        assertThat(contentOf("c")).isEqualTo(bytes("B"));
    }

    private byte[] contentOf(String name) throws LinuxException {
        int fd = sys.openat(dir, bytes(name), O_RDONLY | O_CLOEXEC, 0);
        try {
            return readAll(fd, 1 << 16);
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void openat2StaysBeneathTheDirectory() throws Exception {
        sys.mkdirat(dir, bytes("inner"), 0755);
        createFile(bytes("x"), bytes("outside"));
        sys.mkdirat(dir, bytes("real"), 0755);
        createFile(bytes("real/f"), bytes("in real"));
        sys.symlinkat(bytes("real"), dir, bytes("link"));
        int inner = sys.openat(dir, bytes("inner"), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        try {
            assertThatThrownBy(() -> sys.openat2(inner, bytes("../x"), O_RDONLY | O_CLOEXEC, 0, RESOLVE_BENEATH))
                    .isInstanceOfSatisfying(LinuxException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EXDEV);
                        assertThat(e.call()).isEqualTo("openat2");
                    });
        } finally {
            sys.close(inner);
        }
        assertThatThrownBy(() -> sys.openat2(dir, bytes("link/f"), O_RDONLY | O_CLOEXEC, 0, RESOLVE_NO_SYMLINKS))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELOOP));

        // a mode without O_CREAT is ignored as openat ignores it (the raw syscall would say EINVAL)
        int fd = sys.openat2(dir, bytes("real/f"), O_RDONLY | O_CLOEXEC, 0644, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
        try {
            assertThat(readAll(fd, 100)).isEqualTo(bytes("in real"));
        } finally {
            sys.close(fd);
        }
        // flags and mode reach the kernel through struct open_how
        int created = sys.openat2(dir, bytes("new"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600, RESOLVE_BENEATH);
        sys.close(created);
        assertThat(sys.fstatat(dir, bytes("new"), 0).permissions()).isEqualTo(0600);
    }

    @Test
    void trustedXattrsSetGetListRemove() throws LinuxException {
        createFile(bytes("f"), new byte[0]);
        byte[] path = bytes(tmp.resolve("f").toString());
        byte[] value = {0, 1, 2, (byte) 0xff};
        sys.lsetxattr(path, "trusted.overlay.opaque", bytes("y"), 0);
        int fd = sys.openat(dir, bytes("f"), O_RDONLY | O_CLOEXEC, 0);
        try {
            sys.fsetxattr(fd, "trusted.puzzle.value", value, 0);
            assertThat(sys.fgetxattr(fd, "trusted.overlay.opaque")).isEqualTo(bytes("y"));
            assertThat(sys.lgetxattr(path, "trusted.puzzle.value")).isEqualTo(value);
            assertThat(sys.flistxattr(fd)).contains("trusted.overlay.opaque", "trusted.puzzle.value");
            assertThat(sys.llistxattr(path)).contains("trusted.overlay.opaque", "trusted.puzzle.value");

            sys.fsetxattr(fd, "trusted.puzzle.empty", new byte[0], 0);
            assertThat(sys.fgetxattr(fd, "trusted.puzzle.empty")).isEmpty();

            sys.fremovexattr(fd, "trusted.puzzle.value");
            sys.lremovexattr(path, "trusted.overlay.opaque");
            assertThat(sys.fgetxattr(fd, "trusted.puzzle.value")).isNull();
            assertThat(sys.lgetxattr(path, "trusted.overlay.opaque")).isNull();
            assertThat(sys.flistxattr(fd)).doesNotContain("trusted.overlay.opaque", "trusted.puzzle.value");
            assertThatThrownBy(() -> sys.fremovexattr(fd, "trusted.puzzle.value"))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODATA));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void whiteoutIsACharDevice00AndOtherDevicesKeepTheirNumbers() throws LinuxException {
        sys.mknodat(dir, bytes("wh"), FileStat.S_IFCHR, 0);
        FileStat wh = sys.fstatat(dir, bytes("wh"), AT_SYMLINK_NOFOLLOW);
        assertThat(wh.isCharDevice()).isTrue();
        assertThat(wh.isWhiteout()).isTrue();

        long devNull = (1L << 8) | 3; // makedev(1, 3)
        sys.mknodat(dir, bytes("null"), FileStat.S_IFCHR | 0600, devNull);
        FileStat n = sys.fstatat(dir, bytes("null"), AT_SYMLINK_NOFOLLOW);
        assertThat(n.isWhiteout()).isFalse();
        assertThat(n.rdevMajor()).isEqualTo(1);
        assertThat(n.rdevMinor()).isEqualTo(3);

        sys.mknodat(dir, bytes("fifo"), FileStat.S_IFIFO | 0600, 0);
        assertThat(sys.fstatat(dir, bytes("fifo"), 0).isFifo()).isTrue();
    }

    @Test
    void directoryFdsCanBeSynced() throws LinuxException {
        sys.fsync(dir);
        sys.fdatasync(dir);
        sys.syncfs(dir);
    }

    @Test
    void copyFileRangeCopiesFiveMegabytes() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(content);
        Files.write(tmp.resolve("src"), content);
        int in = sys.openat(dir, bytes("src"), O_RDONLY | O_CLOEXEC, 0);
        int out = sys.openat(dir, bytes("dst"), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        try {
            long total = 0, n;
            while ((n = sys.copyFileRange(in, out, content.length - total)) > 0) total += n;
            assertThat(total).isEqualTo(content.length);
            sys.fsync(out);
        } finally {
            sys.close(in);
            sys.close(out);
        }
        assertThat(Files.readAllBytes(tmp.resolve("dst"))).isEqualTo(content);
    }

    @Test
    void readdirListsTenThousandEntries() throws LinuxException {
        sys.mkdirat(dir, bytes("big"), 0755);
        int big = sys.openat(dir, bytes("big"), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        try {
            for (int i = 0; i < 10_000; i++) sys.mknodat(big, bytes("entry-" + i), FileStat.S_IFREG | 0644, 0);
            sys.mkdirat(big, bytes("sub"), 0755);
            sys.symlinkat(bytes("entry-0"), big, bytes("sym"));
            List<DirEntry> entries = sys.readdir(big);
            assertThat(entries).hasSize(10_002);
            Set<String> names = new HashSet<>();
            for (DirEntry e : entries) names.add(new String(e.name(), StandardCharsets.UTF_8));
            Set<String> expected = new HashSet<>(List.of("sub", "sym"));
            for (int i = 0; i < 10_000; i++) expected.add("entry-" + i);
            assertThat(names).isEqualTo(expected);
            DirEntry sub = entries.stream().filter(e -> Arrays.equals(e.name(), bytes("sub"))).findFirst().orElseThrow();
            assertThat(sub.type()).isEqualTo(DirEntry.DT_DIR);
            assertThat(sub.ino()).isEqualTo(sys.fstatat(big, bytes("sub"), 0).ino());
            assertThat(entries.stream().filter(e -> Arrays.equals(e.name(), bytes("sym"))).findFirst().orElseThrow().type())
                    .isEqualTo(DirEntry.DT_LNK);
            assertThat(entries.stream().filter(e -> Arrays.equals(e.name(), bytes("entry-7"))).findFirst().orElseThrow()
                    .type()).isEqualTo(DirEntry.DT_REG);
        } finally {
            sys.close(big);
        }
    }

    @Test
    void linksSymlinksAndRemoval() throws LinuxException {
        createFile(bytes("f"), bytes("data"));
        sys.linkat(dir, bytes("f"), dir, bytes("hard"), 0);
        assertThat(sys.fstatat(dir, bytes("hard"), 0).ino()).isEqualTo(sys.fstatat(dir, bytes("f"), 0).ino());

        byte[] target = {'.', '.', '/', (byte) 0xff, '\n'};
        sys.symlinkat(target, dir, bytes("sym"));
        assertThat(sys.readlinkat(dir, bytes("sym"))).isEqualTo(target);
        assertThat(sys.fstatat(dir, bytes("sym"), AT_SYMLINK_NOFOLLOW).isSymlink()).isTrue();

        sys.mkdirat(dir, bytes("d"), 0700);
        createFile(bytes("d/inside"), new byte[0]);
        assertThatThrownBy(() -> sys.unlinkat(dir, bytes("d"), AT_REMOVEDIR))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTEMPTY));
        sys.unlinkat(dir, bytes("d/inside"), 0);
        sys.unlinkat(dir, bytes("d"), AT_REMOVEDIR);
        sys.unlinkat(dir, bytes("sym"), 0);
        assertThat(sys.readdir(dir).stream().map(e -> new String(e.name(), StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrder("f", "hard");
        assertThatThrownBy(() -> sys.mkdirat(dir, bytes("f"), 0755))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
    }

    @Test
    void modesOwnersAndTimes() throws LinuxException {
        createFile(bytes("f"), bytes("data"));
        sys.fchmodat(dir, bytes("f"), 04751);
        assertThat(sys.fstatat(dir, bytes("f"), 0).permissions()).isEqualTo(04751);
        sys.fchownat(dir, bytes("f"), 1234, 5678, 0);
        FileStat owned = sys.fstatat(dir, bytes("f"), 0);
        assertThat(owned.uid()).isEqualTo(1234);
        assertThat(owned.gid()).isEqualTo(5678);

        sys.symlinkat(bytes("f"), dir, bytes("sym"));
        sys.fchownat(dir, bytes("sym"), 42, 43, AT_SYMLINK_NOFOLLOW);
        assertThat(sys.fstatat(dir, bytes("sym"), AT_SYMLINK_NOFOLLOW).uid()).isEqualTo(42);
        assertThat(sys.fstatat(dir, bytes("f"), 0).uid()).isEqualTo(1234);

        sys.utimensat(dir, bytes("f"), 1_000_000_000L, 5, 1_500_000_000L, 999_999_999L, 0);
        FileStat timed = sys.fstatat(dir, bytes("f"), 0);
        assertThat(timed.atimeSec()).isEqualTo(1_000_000_000L);
        assertThat(timed.atimeNsec()).isEqualTo(5L);
        assertThat(timed.mtimeSec()).isEqualTo(1_500_000_000L);
        assertThat(timed.mtimeNsec()).isEqualTo(999_999_999L);
        sys.utimensat(dir, bytes("sym"), 7, 0, 8, 0, AT_SYMLINK_NOFOLLOW);
        assertThat(sys.fstatat(dir, bytes("sym"), AT_SYMLINK_NOFOLLOW).mtimeSec()).isEqualTo(8L);

        int fd = sys.openat(dir, bytes("f"), O_RDWR | O_CLOEXEC, 0);
        try {
            sys.fchmod(fd, 0600);
            sys.fchown(fd, 0, 0);
            sys.utimensat(fd, new byte[0], 0, UTIME_OMIT, 77, 0, 0);
            FileStat st = sys.fstat(fd);
            assertThat(st.permissions()).isEqualTo(0600);
            assertThat(st.uid()).isZero();
            assertThat(st.mtimeSec()).isEqualTo(77L);
            assertThat(st.atimeSec()).isEqualTo(1_000_000_000L);
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void readWritePreadAndTruncate() throws LinuxException {
        int fd = sys.openat(dir, bytes("f"), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom("hello world", StandardCharsets.US_ASCII);
            assertThat(sys.write(fd, buf, 11)).isEqualTo(11);
            MemorySegment in = arena.allocate(16);
            assertThat(sys.pread(fd, in, 5, 6)).isEqualTo(5);
            assertThat(in.getString(0, StandardCharsets.US_ASCII)).startsWith("world");
            assertThat(sys.read(fd, in, 16)).isZero(); // offset is at the end after write
            sys.ftruncate(fd, 5);
            assertThat(sys.fstat(fd).size()).isEqualTo(5L);
            assertThatThrownBy(() -> sys.read(fd, in, 17)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside the buffer");
            assertThatThrownBy(() -> sys.write(fd, MemorySegment.ofArray(new byte[4]), 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("native");
        } finally {
            sys.close(fd);
        }
        assertThatThrownBy(() -> sys.close(fd))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }

    @Test
    void callsFromManyThreadsDoNotShareBuffers() throws Exception {
        for (int i = 0; i < 8; i++) sys.mkdirat(dir, bytes("d" + i), 0755);
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        for (int t = 0; t < 8; t++) {
            byte[] name = bytes("d" + t);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    long ino = sys.fstatat(dir, name, 0).ino();
                    for (int i = 0; i < 2000; i++) {
                        if (sys.fstatat(dir, name, 0).ino() != ino) throw new AssertionError("wrong file for " + new String(name));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) t.join();
        assertThat(failure.get()).isNull();
    }
}
