package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * poststop: asks puzzled to decide the branch ({@code TriggerGovernance} with reason {@code stopped}),
 * which returns at once; the gate runs in the daemon. podman's poststop state carries the annotations of
 * the container as created, not the spec precreate rewrote, so the branch id is read from the bundle's
 * config.json when the state does not have it. The exit code is not known here; when puzzle-podman
 * waits for the container it triggers governance itself with the exit code, and this stage does nothing.
 */
public final class PoststopStage {
    static final String TRIGGER = Annotations.TRIGGER;
    static final String TRIGGER_WRAPPER = Annotations.TRIGGER_WRAPPER;

    /**
     * The daemon's answer ({@code {"branch","accepted","state"}}), or empty when the wrapper triggers
     * governance itself (annotation {@link #TRIGGER} = {@link #TRIGGER_WRAPPER}) and nothing is called.
     */
    public Optional<String> run(ContainerState state, HookEnvironment env) throws HookException {
        JsonNode trigger = state.annotations().path(TRIGGER);
        if (trigger.isTextual() && trigger.asText().equals(TRIGGER_WRAPPER)) return Optional.empty();
        Optional<String> branch = GovernanceAnnotations.branchId(state.annotations());
        Optional<String> bus = GovernanceAnnotations.busOf(state.annotations());
        if (branch.isEmpty()) {
            JsonNode spec = HookJson.readObject(Path.of(state.bundle(), "config.json"), "the bundle's config.json");
            JsonNode annotations = spec.path("annotations");
            branch = GovernanceAnnotations.branchId(annotations);
            if (bus.isEmpty()) bus = GovernanceAnnotations.busOf(annotations);
        }
        String id = branch.orElseThrow(() -> new HookException(HookError.BAD_INPUT, "container " + state.id() + " has no "
                + Annotations.BRANCH + " annotation, neither in the state nor in its bundle; it was not started on a branch"));
        try (Daemon daemon = Daemon.connect(env, env.bus(bus))) {
            return Optional.of(daemon.call("TriggerGovernance", c -> c.triggerGovernance(id, "{\"reason\":\"stopped\"}")));
        }
    }
}
