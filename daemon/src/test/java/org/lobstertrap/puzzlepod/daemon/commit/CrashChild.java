package org.lobstertrap.puzzlepod.daemon.commit;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.lobstertrap.puzzlepod.core.linux.Processes;

/**
 * The process the crash test kills: runs one commit (or one recovery) and sends itself SIGKILL when
 * the committer reaches step N. Usage: {@code commit|recover CHANGESET UPPER BASE N}; N = 0 never dies
 * by itself (the parent kills it after printing "ready").
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path changesetFile = Path.of(args[1]), upper = Path.of(args[2]), base = Path.of(args[3]);
        long dieAt = Long.parseLong(args[4]);
        AtomicLong steps = new AtomicLong();
        int pid = Processes.getpid(); // loads the native kill before the first step
        if (dieAt > 0) {
            CrashPoints.install(label -> {
                if (steps.incrementAndGet() == dieAt) killSelf(pid, label);
            });
        }
        ChangesetCommitter committer = ChangesetCommitter.linux();
        var changeset = mode.equals("commit") ? ChangesetFile.read(changesetFile) : null;
        System.out.println("ready");
        System.out.flush();
        if (mode.equals("commit")) committer.commit(changeset, upper, base);
        else committer.recover(base);
        System.out.println("finished after " + steps.get() + " steps");
        System.exit(0);
    }

    private static void killSelf(int pid, String label) {
        System.out.println("dying at " + label);
        System.out.flush();
        try {
            Processes.kill(pid, 9);
            Thread.sleep(60_000);
        } catch (Exception e) {
            e.printStackTrace();
            Runtime.getRuntime().halt(99);
        }
        Runtime.getRuntime().halt(98); // never reached: SIGKILL cannot be caught
    }
}
