package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * createRuntime: tells puzzled which container runs on the branch ({@code AttachGovernance} with the
 * container id, the init pid, its cgroup and the bundle). Runs in the runtime's process while the init
 * process exists but has not started the agent, so the cgroup read here is the container's.
 */
public final class CreateRuntimeStage {
    private final Path proc;

    /** Reads cgroups from {@code proc} (normally {@code /proc}). */
    public CreateRuntimeStage(Path proc) { this.proc = proc; }

    /** The daemon's branch JSON after attaching. */
    public String run(ContainerState state, HookEnvironment env) throws HookException {
        String branch = GovernanceAnnotations.branchId(state.annotations()).orElseThrow(() -> new HookException(HookError.BAD_INPUT,
                "the container has no " + Annotations.BRANCH + " annotation; the precreate hook did not run for it "
                        + "(is puzzlepod-precreate.json installed in the hooks directory?)"));
        long pid = state.pid().orElseThrow(() -> new HookException(HookError.BAD_INPUT, "the state has no \"pid\" of the container's init"));
        ObjectNode container = JsonNodeFactory.instance.objectNode();
        container.put("container_id", state.id());
        container.put("pid", pid);
        container.put("cgroup", cgroupOf(pid));
        container.put("bundle", state.bundle());
        try (Daemon daemon = Daemon.connect(env, env.bus(GovernanceAnnotations.busOf(state.annotations())))) {
            return daemon.call("AttachGovernance", c -> c.attachGovernance(branch, HookJson.write(container)));
        }
    }

    /** The process's cgroup path: the unified (v2) one if there is one, else systemd's v1 hierarchy, else the first. */
    String cgroupOf(long pid) throws HookException {
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("cgroup"));
        } catch (IOException e) {
            throw new HookException(HookError.INTERNAL, "cannot read the cgroup of the container's init (pid " + pid + "): " + e.getMessage(), e);
        }
        String systemd = null, first = null;
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (f[0].equals("0") && f[1].isEmpty()) return f[2];
            if (f[1].equals("name=systemd")) systemd = f[2];
            if (first == null) first = f[2];
        }
        if (systemd != null) return systemd;
        if (first != null) return first;
        throw new HookException(HookError.INTERNAL, "the container's init (pid " + pid + ") is in no cgroup");
    }
}
