package org.lobstertrap.puzzlepod.hook;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The stderr of the process that ran the hook. podman 4.3 keeps a precreate hook's stderr to itself and
 * reports only "exit status N"; writing the reason to podman's own stderr is the only way the person
 * starting the container learns why it was refused.
 */
final class ParentConsole {
    private ParentConsole() {}

    /** Writes {@code line} to the parent's fd 2 unless it is our own stderr; never fails. */
    static void tell(String line) {
        try {
            long ppid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(0L);
            if (ppid <= 1) return;
            Path theirs = Path.of("/proc", Long.toString(ppid), "fd", "2");
            Path ours = Path.of("/proc/self/fd/2");
            if (Files.readSymbolicLink(theirs).equals(Files.readSymbolicLink(ours))) return;
            try (OutputStream o = Files.newOutputStream(theirs, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the message is on our own stderr already
        }
    }
}
