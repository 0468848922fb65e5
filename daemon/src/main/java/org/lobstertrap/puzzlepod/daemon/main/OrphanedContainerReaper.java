package org.lobstertrap.puzzlepod.daemon.main;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lobstertrap.puzzlepod.core.linux.Errno;
import org.lobstertrap.puzzlepod.core.linux.FileSyscalls;
import org.lobstertrap.puzzlepod.core.linux.LinuxException;
import org.lobstertrap.puzzlepod.core.linux.Processes;
import org.lobstertrap.puzzlepod.daemon.seccomp.ContainerInit;
import org.lobstertrap.puzzlepod.daemon.service.GovernanceService;
import org.lobstertrap.puzzlepod.daemon.service.GovernanceService.AttachedContainer;

/**
 * Ends the governed containers a previous puzzled left running. Their seccomp notify fds died with that
 * daemon and cannot be had again: every exec and connect of theirs now fails with ENOSYS, nobody audits them,
 * and their branch would wait forever. At start-up, after recovery and before the seccomp listener accepts
 * new containers, every live branch's attached container whose init is still alive (pidfd, then
 * {@link ContainerInit}: its cgroup names the container and it started after the branch, so a reused pid is
 * never hit) is killed with SIGKILL through the pidfd (the whole pid namespace dies with its init). Its
 * branch becomes failed with on_exit hold (the upper dir stays: a person commits it through the gate or
 * rolls it back) and a {@code container.orphaned} record is audited. A process whose identity cannot be
 * confirmed is left alone and audited with {@code killed: false}.
 */
public final class OrphanedContainerReaper {
    private static final System.Logger LOG = System.getLogger(OrphanedContainerReaper.class.getName());
    private static final int SIGKILL = 9;
    private static final int EXIT_WAIT_MS = 10_000;

    /**
     * What became of one orphan.
     *
     * @param container the container as attached
     * @param killed    whether it was killed
     * @param detail    what was found (why it was left alone)
     * @param state     its branch's state afterwards
     */
    public record Outcome(AttachedContainer container, boolean killed, String detail, String state) {}

    private OrphanedContainerReaper() {}

    /** Kills and records every orphan of {@code service} whose container id is not in {@code held}. */
    public static List<Outcome> reap(GovernanceService service, Set<String> held) {
        List<Outcome> out = new ArrayList<>();
        for (AttachedContainer c : service.attachedContainers()) {
            if (held.contains(c.containerId())) continue;
            try {
                Outcome o = reapOne(service, c);
                if (o != null) out.add(o);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "orphaned container " + c.containerId() + " of branch " + c.branchId() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Outcome reapOne(GovernanceService service, AttachedContainer c) {
        int pidfd;
        try {
            pidfd = Processes.pidfdOpen(c.pid());
        } catch (LinuxException e) {
            if (e.errno() != Errno.ESRCH) LOG.log(System.Logger.Level.WARNING, "orphan check of " + c.containerId() + ": " + e.getMessage());
            return null; // not running: its stop is governed the usual way
        }
        try {
            String mismatch = ContainerInit.mismatch(c.pid(), c.containerId(), c.branchCreated());
            if (mismatch != null && mismatch.startsWith("gone")) return null;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("container_id", c.containerId());
            data.put("pid", c.pid());
            if (mismatch != null) {
                LOG.log(System.Logger.Level.WARNING, "branch {0}: container {1} not killed: {2}", c.branchId(), c.containerId(), mismatch);
                data.put("killed", false);
                data.put("detail", mismatch);
                return new Outcome(c, false, mismatch, service.containerOrphaned(c, false, null, data));
            }
            Processes.pidfdSendSignal(pidfd, SIGKILL);
            boolean exited = Processes.poll(new int[] {pidfd}, Processes.POLLIN, EXIT_WAIT_MS)[0] != 0;
            String detail = "its seccomp supervisor was lost when puzzled stopped; killed (SIGKILL) at daemon start"
                    + (exited ? "" : ", not yet exited after " + EXIT_WAIT_MS / 1000 + " s");
            data.put("killed", true);
            data.put("exited", exited);
            data.put("detail", detail);
            String reason = "container " + c.containerId() + " ran unsupervised after puzzled restarted (orphaned): " + detail;
            String state = service.containerOrphaned(c, true, reason, data);
            LOG.log(System.Logger.Level.WARNING, "branch {0}: orphaned container {1} (pid {2}) killed; branch {3}", c.branchId(),
                    c.containerId(), String.valueOf(c.pid()), state);
            return new Outcome(c, true, detail, state);
        } catch (LinuxException e) {
            LOG.log(System.Logger.Level.ERROR, "branch " + c.branchId() + ": orphaned container " + c.containerId() + ": " + e.getMessage());
            return null;
        } finally {
            try { FileSyscalls.linux().close(pidfd); } catch (LinuxException e) { LOG.log(System.Logger.Level.WARNING, e.getMessage()); }
        }
    }
}
