package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.lobstertrap.puzzlepod.client.Annotations;
import org.lobstertrap.puzzlepod.client.spec.BaseExposure;
import org.lobstertrap.puzzlepod.client.spec.HostPaths;
import org.lobstertrap.puzzlepod.client.spec.SpecFormatException;

/**
 * The precreate stage's work on an OCI spec, without I/O: {@link #plan} finds the workspace and the base
 * and refuses specs that would expose the base read-write outside the branch; {@link #rewrite} turns the
 * workspace into an overlay over a branch ({@code lowerdir=BASE,upperdir=UPPER,workdir=WORK}, which runc
 * mounts itself), records the branch id in the annotations, and applies the {@link SpecExtension}s.
 */
public final class SpecRewriter {
    /** Options of a bind mount that mean the same on an overlay mount; everything else is dropped. */
    private static final Set<String> KEPT_OPTIONS = Set.of("ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime",
            "relatime", "strictatime", "private", "rprivate", "slave", "rslave", "shared", "rshared");

    private final List<SpecExtension> extensions;

    /** A rewriter that only mounts the branch. */
    public SpecRewriter() { this(List.of()); }

    /** A rewriter that mounts the branch and then applies {@code extensions} in order. */
    public SpecRewriter(List<SpecExtension> extensions) { this.extensions = List.copyOf(extensions); }

    /** Turns a host path into its real path (symlinks resolved); the identity where nothing is resolved. */
    @FunctionalInterface
    public interface PathResolver extends BaseExposure.Resolver<HookException> {
        @Override
        String real(String path) throws HookException;
    }

    /**
     * Finds the workspace mount and the base. The base is the {@link Annotations#BASE} annotation if set,
     * otherwise the source of the mount at the workspace path (a bind, or the lower dir of an overlay
     * volume); neither is a refusal. Also refused: a second mount at the workspace, and any other bind
     * (or overlay upper/work dir, or the root file system) that is the base, inside it, or above it without
     * {@code ro}, because the agent could write the base there without going through the branch.
     */
    public WorkspacePlan plan(JsonNode spec, GovernanceAnnotations annotations, PathResolver resolver) throws HookException {
        if (spec == null || !spec.isObject()) throw bad("the spec on stdin is not a JSON object");
        ArrayNode mounts = mounts(spec);
        String ws = annotations.workspace();
        int index = -1;
        for (int i = 0; i < mounts.size(); i++) {
            if (ws.equals(trimSlash(text(mounts.get(i), "destination", i)))) {
                if (index >= 0) {
                    throw refused("the spec has two mounts at the workspace " + HostPaths.quote(ws) + " (mounts " + index + " and " + i
                            + "); mount the project there once");
                }
                index = i;
            }
        }
        String source = index < 0 ? null : workspaceSource(mounts.get(index), index);
        String declared = annotations.base().orElse(source);
        if (declared == null) {
            throw refused("nothing to govern: the spec has no mount at the workspace " + HostPaths.quote(ws) + " and no "
                    + Annotations.BASE + " annotation; mount the project with -v DIR:" + ws + " or name it in the annotation");
        }
        String base = resolver.real(declared);
        if (base.equals("/")) throw refused("the base cannot be \"/\"; mount a project directory at " + HostPaths.quote(ws));
        requireOverlaySafe("the base", base);

        final int workspaceMount = index;
        List<String> exposures;
        try {
            exposures = BaseExposure.of(spec, base, i -> i == workspaceMount, resolver);
        } catch (SpecFormatException e) {
            throw bad(e.getMessage());
        }
        if (!exposures.isEmpty()) throw refused(BaseExposure.refusal(base, exposures));

        List<String> kept = new ArrayList<>(), dropped = new ArrayList<>();
        if (index >= 0) {
            for (String o : options(mounts.get(index), index)) {
                if (KEPT_OPTIONS.contains(o)) kept.add(o);
                else if (!o.startsWith("lowerdir=") && !o.startsWith("upperdir=") && !o.startsWith("workdir=")) dropped.add(o);
            }
        }
        return new WorkspacePlan(base, ws, index, kept, dropped);
    }

    /**
     * A copy of {@code spec} with the workspace mounted as an overlay over {@code branch}, the branch id in
     * the {@link Annotations#BRANCH} annotation, and the extensions applied.
     */
    public RewrittenSpec rewrite(JsonNode spec, WorkspacePlan plan, BranchInfo branch) throws HookException {
        if (spec == null || !spec.isObject()) throw bad("the spec on stdin is not a JSON object");
        if (!branch.base().equals(plan.base())) {
            throw refused("branch " + branch.id() + " is of the base " + HostPaths.quote(branch.base()) + ", not of "
                    + HostPaths.quote(plan.base()) + " which the container mounts");
        }
        List<String> flavour = switch (branch.overlay()) {
            case "kernel" -> List.of();
            case "userxattr" -> List.of("userxattr");
            case "fuse" -> throw refused("branch " + branch.id() + " is a fuse-overlayfs branch, which the runtime cannot "
                    + "mount from a spec; start the container with puzzle-podman, or create the branch with overlay kernel");
            default -> throw refused("branch " + branch.id() + " has an unknown overlay kind " + HostPaths.quote(branch.overlay()));
        };
        requireOverlaySafe("the branch's upper dir", branch.upper());
        requireOverlaySafe("the branch's work dir", branch.work());

        List<String> reasons = new ArrayList<>();
        ObjectNode out = ((ObjectNode) spec).deepCopy();
        ArrayNode mounts = out.has("mounts") ? (ArrayNode) out.get("mounts") : out.putArray("mounts");
        ObjectNode overlay = JsonNodeFactory.instance.objectNode();
        overlay.put("destination", plan.workspace());
        overlay.put("type", "overlay");
        overlay.put("source", "overlay");
        ArrayNode options = overlay.putArray("options");
        options.add("lowerdir=" + plan.base()).add("upperdir=" + branch.upper()).add("workdir=" + branch.work());
        flavour.forEach(options::add);
        plan.keptOptions().forEach(options::add);
        if (plan.mountIndex() >= 0) {
            JsonNode old = mounts.get(plan.mountIndex());
            mounts.set(plan.mountIndex(), overlay);
            reasons.add("the " + old.path("type").asText("bind") + " mount of " + HostPaths.quote(old.path("source").asText())
                    + " at " + plan.workspace() + " is now an overlay over branch " + branch.id() + " (lower " + plan.base()
                    + ", upper " + branch.upper() + ")");
            if (!plan.droppedOptions().isEmpty()) {
                reasons.add("mount options that do not apply to an overlay were dropped: " + String.join(",", plan.droppedOptions()));
            }
        } else {
            int at = firstMountBelow(mounts, plan.workspace());
            mounts.insert(at, overlay);
            reasons.add("an overlay over branch " + branch.id() + " (lower " + plan.base() + ", upper " + branch.upper()
                    + ") is mounted at " + plan.workspace());
        }
        ObjectNode annotations = out.get("annotations") instanceof ObjectNode a ? a : out.putObject("annotations");
        annotations.put(Annotations.BRANCH, branch.id());
        reasons.add("annotation " + Annotations.BRANCH + "=" + branch.id() + " tells the later stages the branch");
        for (SpecExtension e : extensions) e.apply(out, plan, branch, reasons);
        return new RewrittenSpec(out, reasons);
    }

    /** The index before which a new workspace mount goes: before any mount nested in the workspace, else at the end. */
    private static int firstMountBelow(ArrayNode mounts, String workspace) {
        for (int i = 0; i < mounts.size(); i++) {
            if (HostPaths.contains(workspace, trimSlash(mounts.get(i).path("destination").asText()))) return i;
        }
        return mounts.size();
    }

    private static String workspaceSource(JsonNode mount, int i) throws HookException {
        String type = mount.path("type").asText("");
        List<String> options = options(mount, i);
        if (isBind(type, options)) {
            return AbsolutePaths.require("the source of the workspace mount", text(mount, "source", i));
        }
        if (type.equals("overlay")) {
            List<String> lowers = values(options, "lowerdir=");
            if (lowers.size() != 1 || lowers.getFirst().contains(":")) {
                throw refused("the overlay mount at the workspace has " + (lowers.isEmpty() ? "no" : "more than one")
                        + " lower dir; mount a single project directory there");
            }
            return AbsolutePaths.require("the lower dir of the workspace overlay", lowers.getFirst());
        }
        throw refused("the mount at the workspace is of type " + HostPaths.quote(type)
                + ", not a bind of a project directory; mount the project with -v DIR:WORKSPACE");
    }

    /** Overlay options are comma-separated and lower dirs colon-separated; such paths cannot be passed safely. */
    private static void requireOverlaySafe(String what, String path) throws HookException {
        for (char c : new char[] {',', ':', '\\'}) {
            if (path.indexOf(c) >= 0) {
                throw refused(what + " " + HostPaths.quote(path) + " contains '" + c + "', which overlay mount options cannot carry");
            }
        }
    }

    private static boolean isBind(String type, List<String> options) { return BaseExposure.isBind(type, options); }

    private static List<String> values(List<String> options, String prefix) { return BaseExposure.values(options, prefix); }

    private static ArrayNode mounts(JsonNode spec) throws HookException {
        try {
            return BaseExposure.mounts(spec);
        } catch (SpecFormatException e) {
            throw bad(e.getMessage());
        }
    }

    private static List<String> options(JsonNode mount, int i) throws HookException {
        try {
            return BaseExposure.options(mount, i);
        } catch (SpecFormatException e) {
            throw bad(e.getMessage());
        }
    }

    private static String text(JsonNode mount, String field, int i) throws HookException {
        JsonNode v = mount.get(field);
        if (v == null || !v.isTextual()) throw bad("mount " + i + " in the spec has no \"" + field + "\" string");
        return v.asText();
    }

    private static String trimSlash(String p) { return HostPaths.trimSlash(p); }

    private static HookException bad(String message) { return new HookException(HookError.BAD_INPUT, message); }

    private static HookException refused(String message) { return new HookException(HookError.SPEC_REFUSED, message); }
}
