package org.lobstertrap.puzzlepod.daemon.branch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.linux.FileStat;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Real kernel, real file system: the remover must delete whatever an agent can leave in an upper dir. */
class RawTreeRemoverTest {
    @TempDir Path tmp;
    private final FileSyscalls sys = FileSyscalls.linux();

    @Test
    void removesHostileNamesSpecialFilesDeepTreesAndNeverFollowsSymlinks() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        int fd = sys.open(victim.toString().getBytes(StandardCharsets.UTF_8), FileSyscalls.O_RDONLY | FileSyscalls.O_DIRECTORY, 0);
        try {
            byte[] notUtf8 = {'b', (byte) 0xff, (byte) 0xfe, '\n', 'x'};
            sys.close(sys.openat(fd, notUtf8, FileSyscalls.O_CREAT | FileSyscalls.O_WRONLY, 0644));
            sys.mkdirat(fd, new byte[]{'d', (byte) 0xc3}, 0755);
            sys.close(sys.openat(fd, new byte[]{'d', (byte) 0xc3, '/', 'f'}, FileSyscalls.O_CREAT | FileSyscalls.O_WRONLY, 0600));
            sys.mknodat(fd, "whiteout".getBytes(StandardCharsets.US_ASCII), FileStat.S_IFCHR, 0);
            sys.mknodat(fd, "fifo".getBytes(StandardCharsets.US_ASCII), FileStat.S_IFIFO | 0600, 0);
            sys.symlinkat(outside.toString().getBytes(StandardCharsets.UTF_8), fd, "escape".getBytes(StandardCharsets.US_ASCII));
        } finally {
            sys.close(fd);
        }
        Path deep = victim;
        for (int i = 0; i < 300; i++) deep = Files.createDirectory(deep.resolve("n"));
        Files.writeString(deep.resolve("bottom"), "x");
        Path locked = Files.createDirectories(victim.resolve("locked/inner"));
        Files.writeString(locked.resolve("f"), "x");
        Files.setPosixFilePermissions(victim.resolve("locked"), PosixFilePermissions.fromString("---------"));

        new RawTreeRemover(sys).removeTree(victim);

        assertThat(victim).doesNotExist();
        assertThat(Files.readString(outside.resolve("keep.txt"))).isEqualTo("keep");
        new RawTreeRemover(sys).removeTree(victim); // a missing tree is not an error
        assertThat(tmp.resolve("outside")).isDirectory();
    }

    @Test
    void removesASingleFileOrSymlink() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("file"));
        new RawTreeRemover(sys).removeTree(link);
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(file).exists();
        new RawTreeRemover(sys).removeTree(file);
        assertThat(file).doesNotExist();
    }
}
