package org.lobstertrap.puzzlepod.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mount(2) and umount2(2) with a real kernel overlay over temporary directories (needs root). */
class OverlayMountTest {
    private static final int MNT_DETACH = 2;
    private final FileSyscalls sys = FileSyscalls.linux();
    @TempDir Path tmp;

    private static byte[] bytes(Object s) { return s.toString().getBytes(StandardCharsets.UTF_8); }

    @Test
    void overlayMountShowsTheLowerDirAndRecordsADeletionAsAWhiteout() throws Exception {
        Path lower = Files.createDirectory(tmp.resolve("lower"));
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path merged = Files.createDirectory(tmp.resolve("merged"));
        Files.writeString(lower.resolve("a"), "from lower");
        String options = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;

        sys.mount("overlay", bytes(merged), "overlay", 0, options);
        boolean mounted = true;
        try {
            assertThat(Files.readString(merged.resolve("a"))).isEqualTo("from lower");
            Files.delete(merged.resolve("a"));
            Files.writeString(merged.resolve("b"), "new");
            sys.umount2(bytes(merged), 0);
            mounted = false;
        } finally {
            if (mounted) sys.umount2(bytes(merged), MNT_DETACH);
        }
        FileStat whiteout = sys.fstatat(FileSyscalls.AT_FDCWD, bytes(upper.resolve("a")), FileSyscalls.AT_SYMLINK_NOFOLLOW);
        assertThat(whiteout.isWhiteout()).isTrue();
        assertThat(Files.readString(upper.resolve("b"))).isEqualTo("new");
        assertThat(Files.readString(lower.resolve("a"))).isEqualTo("from lower");
        assertThat(Files.list(merged)).isEmpty();
    }

    @Test
    void failedMountAndUmountReportTheErrno() {
        assertThatThrownBy(() -> sys.mount("overlay", bytes(tmp.resolve("missing")), "overlay", 0,
                "lowerdir=" + tmp + ",upperdir=" + tmp + ",workdir=" + tmp))
                .isInstanceOfSatisfying(LinuxException.class, e -> {
                    assertThat(e.call()).isEqualTo("mount");
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                });
        assertThatThrownBy(() -> sys.umount2(bytes(tmp), 0))
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }
}
