package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * precreate: spec in, spec out. Checks the spec first (nothing is created for a spec that is refused),
 * then creates the branch (or checks the wrapper's branch), then mounts it over the workspace. A branch
 * this stage created is rolled back again if the spec cannot be rewritten for it.
 */
public final class PrecreateStage {
    private final SpecRewriter rewriter;

    public PrecreateStage(SpecRewriter rewriter) { this.rewriter = rewriter; }

    /** The rewritten spec for {@code spec}. */
    public RewrittenSpec run(JsonNode spec, HookEnvironment env) throws HookException {
        GovernanceAnnotations annotations = GovernanceAnnotations.from(spec.get("annotations"));
        WorkspacePlan plan = rewriter.plan(spec, annotations, PrecreateStage::realPath);
        requireDirectory(plan.base());
        try (Daemon daemon = Daemon.connect(env, env.socket(annotations.runtimeDir()))) {
            if (annotations.branch().isPresent()) {
                String id = annotations.branch().get();
                BranchInfo branch = withRealBase(BranchInfo.fromJson(HookJson.parseObject(
                        daemon.call("InspectBranch", c -> c.inspectBranch(id)).getBytes(StandardCharsets.UTF_8),
                        "the daemon's answer to InspectBranch")));
                requireReusable(branch, annotations, plan);
                return rewriter.rewrite(spec, plan, branch);
            }
            ObjectNode options = JsonNodeFactory.instance.objectNode();
            options.put("workspace", plan.workspace());
            annotations.onExit().ifPresent(v -> options.put("on_exit", v));
            // no overlay option: the daemon's default fits the podman that runs this hook (root's puzzled: kernel;
            // a per-user puzzled for rootless podman: kernel overlay with userxattr, mounted from the spec)
            String created = daemon.call("CreateBranch",
                    c -> c.createBranch(annotations.profile(), plan.base(), HookJson.write(options)));
            BranchInfo branch = withRealBase(BranchInfo.fromJson(HookJson.parseObject(
                    created.getBytes(StandardCharsets.UTF_8), "the daemon's answer to CreateBranch")));
            try {
                return rewriter.rewrite(spec, plan, branch);
            } catch (HookException e) {
                // the container will not start: do not leave an unused branch behind
                try {
                    daemon.call("RollbackBranch", c -> c.rollbackBranch(branch.id(), "precreate hook: " + e.getMessage()));
                } catch (HookException ignored) {
                    // the refusal is what matters; an unused branch expires with its lifetime
                }
                throw e;
            }
        }
    }

    /** The branch with its base as a real path, so that it compares equal to the spec's however each was spelled. */
    private static BranchInfo withRealBase(BranchInfo b) throws HookException {
        return new BranchInfo(b.id(), b.profile(), realPath(b.base()), b.workspace(), b.state(), b.upper(), b.work(), b.overlay(),
                b.shimRules(), b.seccompListener());
    }

    /** The wrapper's branch must be of this base, profile and workspace, and not yet used. */
    private static void requireReusable(BranchInfo branch, GovernanceAnnotations a, WorkspacePlan plan) throws HookException {
        String id = branch.id();
        if (!branch.base().equals(plan.base())) {
            throw refused("branch " + id + " (" + Annotations.BRANCH + ") is of the base " + HostPaths.quote(branch.base())
                    + ", but the container mounts " + HostPaths.quote(plan.base()));
        }
        if (!branch.profile().equals(a.profile())) {
            throw refused("branch " + id + " was created for the profile " + HostPaths.quote(branch.profile())
                    + ", but the container asks for " + HostPaths.quote(a.profile()));
        }
        if (branch.workspace() != null && !branch.workspace().equals(plan.workspace())) {
            throw refused("branch " + id + " is meant for the workspace " + HostPaths.quote(branch.workspace())
                    + ", but the container mounts it at " + HostPaths.quote(plan.workspace()));
        }
        if (!branch.state().equals("ready")) {
            throw refused("branch " + id + " is " + branch.state() + ", not ready; a branch carries one container run");
        }
    }

    /** The real path of a host path; a missing path stays as it is (only the base must exist). */
    static String realPath(String path) throws HookException {
        try {
            return Path.of(path).toRealPath().toString();
        } catch (NoSuchFileException e) {
            return path;
        } catch (IOException | RuntimeException e) {
            throw new HookException(HookError.INTERNAL, "cannot resolve " + HostPaths.quote(path) + ": " + e.getMessage(), e);
        }
    }

    /** The base must exist and be a directory before a branch of it is asked for. */
    static void requireDirectory(String base) throws HookException {
        if (!Files.isDirectory(Path.of(base))) {
            throw new HookException(HookError.SPEC_REFUSED, "the base " + HostPaths.quote(base) + " is not a directory");
        }
    }

    private static HookException refused(String message) { return new HookException(HookError.SPEC_REFUSED, message); }
}
