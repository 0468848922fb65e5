package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.spec.HostPaths;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.client.Annotations;

/**
 * The product's annotations of one container, validated. They come from whoever started the container,
 * so every value is checked against the API's limits before it reaches the daemon or a message.
 *
 * @param profile the profile to govern under (required)
 * @param base the base directory, when the annotation names one
 * @param workspace the container path of the workspace (default {@code /workspace})
 * @param branch a branch the wrapper created, to be reused
 * @param onExit {@code commit}, {@code rollback} or {@code hold}, when given
 * @param runtimeDir the daemon's runtime directory, whose hook socket the hook uses, when given
 */
public record GovernanceAnnotations(String profile, Optional<String> base, String workspace, Optional<String> branch,
                                    Optional<String> onExit, Optional<String> runtimeDir) {
    private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern BRANCH_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern ON_EXIT = Pattern.compile("commit|rollback|hold");

    /** Reads the annotations object of a spec or state ({@code null}/missing ⇒ no annotations, which is an error: no profile). */
    public static GovernanceAnnotations from(JsonNode annotations) throws HookException {
        if (annotations != null && !annotations.isNull() && !annotations.isObject()) {
            throw new HookException(HookError.BAD_INPUT, "\"annotations\" is not a JSON object");
        }
        String profile = string(annotations, Annotations.PROFILE)
                .orElseThrow(() -> new HookException(HookError.BAD_INPUT,
                        "the container has no " + Annotations.PROFILE + " annotation; the hooks only govern containers that name a profile"));
        if (!PROFILE.matcher(profile).matches()) {
            throw new HookException(HookError.BAD_INPUT, Annotations.PROFILE + " " + HostPaths.quote(profile)
                    + " is not a profile name ([a-z0-9][a-z0-9-]{0,63})");
        }
        Optional<String> base = string(annotations, Annotations.BASE);
        if (base.isPresent()) base = Optional.of(AbsolutePaths.require(Annotations.BASE, base.get()));
        String workspace = AbsolutePaths.require(Annotations.WORKSPACE,
                string(annotations, Annotations.WORKSPACE).orElse(Annotations.DEFAULT_WORKSPACE));
        if (workspace.equals("/")) {
            throw new HookException(HookError.BAD_INPUT, Annotations.WORKSPACE + " cannot be \"/\" (the container's root)");
        }
        Optional<String> branch = branchId(annotations);
        Optional<String> onExit = string(annotations, Annotations.ON_EXIT);
        if (onExit.isPresent() && !ON_EXIT.matcher(onExit.get()).matches()) {
            throw new HookException(HookError.BAD_INPUT, Annotations.ON_EXIT + " " + HostPaths.quote(onExit.get())
                    + " is not one of commit, rollback, hold");
        }
        Optional<String> runtimeDir = string(annotations, Annotations.RUNTIME_DIR);
        if (runtimeDir.isPresent()) runtimeDir = Optional.of(AbsolutePaths.require(Annotations.RUNTIME_DIR, runtimeDir.get()));
        return new GovernanceAnnotations(profile, base, workspace, branch, onExit, runtimeDir);
    }

    /** The {@link Annotations#BRANCH} annotation alone (what the later stages need), validated. */
    public static Optional<String> branchId(JsonNode annotations) throws HookException {
        Optional<String> branch = string(annotations, Annotations.BRANCH);
        if (branch.isPresent() && !BRANCH_ID.matcher(branch.get()).matches()) {
            throw new HookException(HookError.BAD_INPUT, Annotations.BRANCH + " " + HostPaths.quote(branch.get())
                    + " is not a branch id ([A-Za-z0-9][A-Za-z0-9_.-]{0,63})");
        }
        return branch;
    }

    private static Optional<String> string(JsonNode annotations, String key) throws HookException {
        if (annotations == null || annotations.isNull()) return Optional.empty();
        JsonNode v = annotations.get(key);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new HookException(HookError.BAD_INPUT, "annotation " + key + " is not a string");
        return Optional.of(v.asText());
    }
}
