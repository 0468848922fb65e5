package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.core.linux.FileSyscalls.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Any legal Linux file name (1–255 bytes, no '/' or NUL) survives create, list, stat, rename and unlink. */
class HostileNamesPropertyTest {
    private static final FileSyscalls sys = FileSyscalls.linux();
    private static Path dir;
    private static int dirFd;

    @BeforeContainer
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("puzzlepod-names");
        dirFd = sys.open(dir.toString().getBytes(StandardCharsets.UTF_8), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        sys.close(dirFd);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Provide
    Arbitrary<byte[]> names() {
        Arbitrary<Byte> legal = Arbitraries.bytes().filter(b -> b != 0 && b != '/');
        return legal.array(byte[].class).ofMinSize(1).ofMaxSize(255)
                .filter(n -> !(n.length == 1 && n[0] == '.') && !(n.length == 2 && n[0] == '.' && n[1] == '.'));
    }

    @Property(tries = 300)
    void nameRoundTrips(@ForAll("names") byte[] name) throws LinuxException {
        int fd = sys.openat(dirFd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        sys.close(fd);
        long ino = sys.fstatat(dirFd, name, AT_SYMLINK_NOFOLLOW).ino();
        List<DirEntry> listed = list();
        assertThat(listed).hasSize(1);
        assertThat(listed.getFirst().name()).isEqualTo(name);
        assertThat(listed.getFirst().ino()).isEqualTo(ino);

        byte[] renamed = name.length < 255 ? concat(name, new byte[] {(byte) 0xff}) : name.clone();
        renamed[0] = (byte) (renamed[0] == 'z' ? 'y' : 'z');
        sys.renameat2(dirFd, name, dirFd, renamed, RENAME_NOREPLACE);
        assertThat(sys.fstatat(dirFd, renamed, AT_SYMLINK_NOFOLLOW).ino()).isEqualTo(ino);
        sys.unlinkat(dirFd, renamed, 0);
        assertThat(list()).isEmpty();
    }

    /** Lists through a fresh fd each time: readdir consumes the fd's offset. */
    private static List<DirEntry> list() throws LinuxException {
        int fd = sys.openat(dirFd, new byte[] {'.'}, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        try {
            return sys.readdir(fd);
        } finally {
            sys.close(fd);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
