package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.RemoteMemory;
import org.lobstertrap.puzzlepod.core.linux.SeccompNotification;
import org.lobstertrap.puzzlepod.core.linux.SeccompNotify;

/**
 * Reads an intercepted execve/execveat from the caller: path and argv with as few system calls as the
 * common case allows (one vectored read for the path and the argv pointer array, one for every argument
 * string, each range kept within a page), then has the path resolved inside the caller's root (by the
 * container's {@link RootResolver}). Strings that
 * cross a page or run longer than the first read fall back to page-by-page reads. One instance per
 * supervisor thread: its buffers are reused for every notification.
 */
final class ExecReader {
    private static final int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
    /** First read of each argument; longer ones are read again page by page. */
    private static final int ARG_PEEK = 256;
    private static final Pattern SELF_EXE = Pattern.compile("/proc/(self|thread-self)/exe");
    private static final FileSyscalls SYS = FileSyscalls.linux();

    private final RemoteMemory memory = new RemoteMemory();
    private final long[] addresses = new long[RemoteMemory.MAX_RANGES];
    private final int[] lengths = new int[RemoteMemory.MAX_RANGES];
    private final long[] argPointers = new long[SeccompSupervisor.MAX_ARGS];

    /** The exec of notification {@code n}, its path resolved by {@code roots} (the container's resolver). */
    ExecRequest read(SeccompNotification n, RootResolver roots) throws LinuxException {
        int pid = n.pid();
        boolean at = n.syscall() == SeccompSupervisor.NR_EXECVEAT;
        long pathPtr = at ? n.arg(1) : n.arg(0);
        long argvPtr = at ? n.arg(2) : n.arg(1);
        int dirfd = at ? (int) n.arg(0) : AT_FDCWD;
        int flags = at ? (int) n.arg(4) : 0;

        // 1. path and argv pointers in one read
        addresses[0] = pathPtr;
        lengths[0] = Math.min(RemoteMemory.toPageEnd(pathPtr), SeccompSupervisor.MAX_PATH);
        int ranges = 1;
        if (argvPtr != 0) {
            addresses[1] = argvPtr;
            lengths[1] = Math.min(RemoteMemory.toPageEnd(argvPtr), 8 * (SeccompSupervisor.MAX_ARGS + 1));
            ranges = 2;
        }
        int got = memory.read(pid, addresses, lengths, ranges);
        String path;
        int nul = got >= 1 ? memory.indexOfNul(0) : -1;
        if (nul >= 0) path = text(memory.bytes(0, nul));
        else path = text(SeccompNotify.readCString(pid, pathPtr, SeccompSupervisor.MAX_PATH)); // crosses a page, or EFAULT
        boolean[] truncated = {false};
        int argc = 0;
        if (argvPtr != 0) {
            boolean ended = false;
            if (got >= 2) {
                for (int i = 0; i + 8 <= lengths[1] && argc < SeccompSupervisor.MAX_ARGS; i += 8) {
                    long p = memory.longAt(1, i);
                    if (p == 0) { ended = true; break; }
                    argPointers[argc++] = p;
                }
                if (!ended && argc < SeccompSupervisor.MAX_ARGS) { // the array crosses a page: read the rest slowly
                    argc = slowPointers(pid, argvPtr, truncated);
                    ended = !truncated[0];
                }
            } else {
                argc = slowPointers(pid, argvPtr, truncated);
                ended = !truncated[0];
            }
            if (!ended) truncated[0] = true;
        }
        List<String> argv = readArgs(pid, argc, truncated);

        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            path = link("/proc/" + pid + "/fd/" + dirfd);
        } else if (!path.startsWith("/")) {
            String base = dirfd == AT_FDCWD ? link("/proc/" + pid + "/cwd") : link("/proc/" + pid + "/fd/" + dirfd);
            path = base.endsWith("/") ? base + path : base + "/" + path;
        }
        boolean self = SELF_EXE.matcher(path).matches();
        if (self) return new ExecRequest(path, link("/proc/" + pid + "/exe"), argv, true, truncated[0], null);
        String[] resolved = roots.resolveExec(pid, path);
        return new ExecRequest(path, resolved[0], argv, false, truncated[0], resolved[1]);
    }

    /** The pointers of argv read page by page (argv crossing a page); {@code truncated[0]} when no NULL came within MAX_ARGS. */
    private int slowPointers(int pid, long argvPtr, boolean[] truncated) throws LinuxException {
        byte[] pointers = SeccompNotify.readProcessMemory(pid, argvPtr, 8 * (SeccompSupervisor.MAX_ARGS + 1));
        int argc = 0;
        for (int i = 0; i + 8 <= pointers.length; i += 8) {
            long p = java.nio.ByteBuffer.wrap(pointers, i, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            if (p == 0) return argc;
            if (argc == SeccompSupervisor.MAX_ARGS) break;
            argPointers[argc++] = p;
        }
        truncated[0] = true;
        return argc;
    }

    private List<String> readArgs(int pid, int argc, boolean[] truncated) throws LinuxException {
        List<String> argv = new ArrayList<>(argc);
        if (argc == 0) return argv;
        for (int i = 0; i < argc; i++) {
            addresses[i] = argPointers[i];
            lengths[i] = Math.min(RemoteMemory.toPageEnd(argPointers[i]), ARG_PEEK);
        }
        int got = memory.read(pid, addresses, lengths, argc);
        for (int i = 0; i < argc; i++) {
            int nul = i < got ? memory.indexOfNul(i) : -1;
            if (nul >= 0) {
                argv.add(text(memory.bytes(i, nul)));
                continue;
            }
            try {
                argv.add(text(SeccompNotify.readCString(pid, argPointers[i], SeccompSupervisor.MAX_ARG_LENGTH)));
            } catch (LinuxException e) {
                if (e.errno() != Errno.ENAMETOOLONG) throw e;
                argv.add(text(SeccompNotify.readProcessMemory(pid, argPointers[i], SeccompSupervisor.MAX_ARG_LENGTH)));
                truncated[0] = true;
            }
        }
        return argv;
    }

    private static String link(String procPath) throws LinuxException {
        return text(SYS.readlinkat(AT_FDCWD, procPath.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(byte[] bytes) { return new String(bytes, StandardCharsets.UTF_8); }
}
