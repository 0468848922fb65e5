package org.lobstertrap.puzzlepod.daemon.diff;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.daemon.diff.Tree.b;

/**
 * Failures during the walk: the real kernel underneath, with one system call made to fail or the tree
 * changed at the moment the diff looks at it. Every case must end in a DiffException naming the path.
 */
class DiffFaultTest {
    @TempDir Path tmp;
    Tree base, upper;

    @BeforeEach void dirs() throws IOException {
        base = new Tree(Files.createDirectory(tmp.resolve("base")));
        upper = new Tree(Files.createDirectory(tmp.resolve("upper")));
        base.dir("d").file("d/f", "base");
        upper.dir("d").file("d/f", "upper!").file("d/g", "g");
    }

    /** The real system calls, with {@code hook} run before each call (it may throw to fail the call). */
    interface Hook { void before(String method, Object[] args) throws LinuxException; }

    static FileSyscalls hooked(Hook hook) {
        InvocationHandler h = (proxy, method, args) -> {
            hook.before(method.getName(), args == null ? new Object[0] : args);
            try {
                return method.invoke(Tree.SYS, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (FileSyscalls) Proxy.newProxyInstance(FileSyscalls.class.getClassLoader(), new Class<?>[] {FileSyscalls.class}, h);
    }

    DiffException diffFailing(FileSyscalls sys) {
        try {
            new UpperDirDiff(sys).diff(base.bytes(), upper.bytes(), OverlayFlavor.TRUSTED_XATTR);
        } catch (DiffException e) {
            return e;
        }
        throw new AssertionError("diff succeeded although the tree was broken under it");
    }

    @Test void fileVanishingBetweenListingAndStatIsReportedWithItsPath() {
        DiffException e = diffFailing(hooked((m, a) -> {
            if (m.equals("fstatat") && Arrays.equals((byte[]) a[1], b("g"))) {
                try { Files.delete(upper.root.resolve("d/g")); } catch (IOException io) { throw new AssertionError(io); }
            }
        }));
        assertThat(e.code()).isEqualTo(DiffException.Code.CHANGED_DURING_DIFF);
        assertThat(e.path()).isEqualTo(RelPath.of("d/g"));
        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
        assertThat(e.getMessage()).contains("d/g").contains("upper");
    }

    @Test void directoryVanishingBeforeItIsVisitedIsReported() {
        DiffException e = diffFailing(hooked((m, a) -> {
            if (m.equals("openat2") && Arrays.equals((byte[]) a[1], b("d")) && (int) a[0] >= 0) {
                try {
                    Files.delete(upper.root.resolve("d/f"));
                    Files.delete(upper.root.resolve("d/g"));
                    Files.delete(upper.root.resolve("d"));
                } catch (IOException io) { throw new AssertionError(io); }
            }
        }));
        assertThat(e.code()).isEqualTo(DiffException.Code.CHANGED_DURING_DIFF);
        assertThat(e.path()).isEqualTo(RelPath.of("d"));
    }

    @Test void fileReplacedAfterStatIsDetected() {
        DiffException e = diffFailing(hooked((m, a) -> {
            if (m.equals("openat") && Arrays.equals((byte[]) a[1], b("g"))) {
                try {
                    Files.delete(upper.root.resolve("d/g"));
                    Files.writeString(upper.root.resolve("d/g"), "another inode");
                } catch (IOException io) { throw new AssertionError(io); }
            }
        }));
        assertThat(e.code()).isEqualTo(DiffException.Code.CHANGED_DURING_DIFF);
        assertThat(e.path()).isEqualTo(RelPath.of("d/g"));
    }

    @Test void unreadableFileIsReportedWithErrno() {
        DiffException e = diffFailing(hooked((m, a) -> {
            if (m.equals("read")) throw new LinuxException("read", "fd " + a[0], Errno.EIO);
        }));
        assertThat(e.code()).isEqualTo(DiffException.Code.UNREADABLE);
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.path()).isNotNull();
        assertThat(e.getMessage()).contains("Input/output error");
    }

    @Test void baseVanishingDuringTheWalkIsReported() {
        DiffException e = diffFailing(hooked((m, a) -> {
            if (m.equals("openat2") && Arrays.equals((byte[]) a[1], b("d"))) {
                try {
                    Files.delete(base.root.resolve("d/f"));
                    Files.delete(base.root.resolve("d"));
                } catch (IOException io) {
                    // already gone on the second call
                }
            }
        }));
        assertThat(e.code()).isEqualTo(DiffException.Code.CHANGED_DURING_DIFF);
        assertThat(e.path()).isEqualTo(RelPath.of("d"));
        assertThat(e.getMessage()).contains("base");
    }
}
