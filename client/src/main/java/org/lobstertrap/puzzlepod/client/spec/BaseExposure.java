package org.lobstertrap.puzzlepod.client.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Whether a container's final OCI spec lets it write a branch's base without going through the branch: any
 * bind (or overlay upper/work dir, or the root file system) that is the base, inside it, or above it without
 * {@code ro}. The same rule serves both places that see the final spec: the precreate hook before it mounts
 * the branch, and puzzled when it admits the container (the only check on runs that skip the hook, where
 * system-wide volumes from containers.conf or mounts.conf reach the spec unseen by the wrapper).
 */
public final class BaseExposure {
    private BaseExposure() {}

    /** Turns a host path into its real path (symlinks resolved); a path that is not there stays as it is. */
    @FunctionalInterface
    public interface Resolver<E extends Exception> {
        String real(String path) throws E;
    }

    /**
     * Why the spec lets the agent write {@code base} (a real path), one reason per exposing mount and one
     * for a writable root that overlaps it; empty when it does not. Mounts whose index {@code skip} accepts
     * (the branch's own mount at the workspace) are not looked at.
     */
    public static <E extends Exception> List<String> of(JsonNode spec, String base, IntPredicate skip, Resolver<E> resolver)
            throws SpecFormatException, E {
        if (spec == null || !spec.isObject()) throw new SpecFormatException("the spec is not a JSON object");
        ArrayNode mounts = mounts(spec);
        List<String> exposures = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            if (skip.test(i)) continue;
            ofMount(mounts.get(i), i, base, resolver).ifPresent(exposures::add);
        }
        JsonNode root = spec.get("root");
        if (root != null && root.hasNonNull("path") && !root.path("readonly").asBoolean(false)) {
            String rootPath = resolver.real(root.get("path").asText());
            if (HostPaths.overlap(rootPath, base)) {
                exposures.add("the container's root file system " + HostPaths.quote(rootPath) + " is writable and overlaps the base");
            }
        }
        return exposures;
    }

    /** The refusal message for {@code exposures} of {@code base}. */
    public static String refusal(String base, List<String> exposures) {
        return "the spec would let the agent write the base " + HostPaths.quote(base) + " outside its branch: "
                + String.join("; ", exposures) + ". Mount those read-only (:ro) or drop them";
    }

    /** Why mount {@code i} lets the agent write {@code base}, if it does. */
    public static <E extends Exception> Optional<String> ofMount(JsonNode mount, int i, String base, Resolver<E> resolver)
            throws SpecFormatException, E {
        String type = mount.path("type").asText("");
        List<String> options = options(mount, i);
        String dest = mount.path("destination").asText();
        if (isBind(type, options)) {
            if (options.contains("ro") || options.contains("rro")) return Optional.empty();
            String source = mount.path("source").asText("");
            if (HostPaths.problem(source) != null) return Optional.empty(); // not a host path: cannot be the base
            String real = resolver.real(source);
            if (HostPaths.overlap(real, base)) {
                return Optional.of("mount " + i + " binds " + HostPaths.quote(real) + " read-write at " + HostPaths.quote(dest));
            }
        } else if (type.equals("overlay")) {
            for (String dir : values(options, "upperdir=")) {
                if (HostPaths.problem(dir) == null && HostPaths.overlap(resolver.real(dir), base)) {
                    return Optional.of("mount " + i + " at " + HostPaths.quote(dest) + " writes its overlay into " + HostPaths.quote(dir));
                }
            }
            for (String dir : values(options, "workdir=")) {
                if (HostPaths.problem(dir) == null && HostPaths.overlap(resolver.real(dir), base)) {
                    return Optional.of("mount " + i + " at " + HostPaths.quote(dest) + " keeps its overlay work dir in " + HostPaths.quote(dir));
                }
            }
        }
        return Optional.empty();
    }

    /** True for a bind mount, whichever way the spec says so. */
    public static boolean isBind(String type, List<String> options) {
        return type.equals("bind") || options.contains("bind") || options.contains("rbind");
    }

    /** The values of the options that start with {@code prefix} (e.g. {@code "lowerdir="}), in order. */
    public static List<String> values(List<String> options, String prefix) {
        List<String> out = new ArrayList<>();
        for (String o : options) if (o.startsWith(prefix)) out.add(o.substring(prefix.length()));
        return out;
    }

    /** The spec's mounts (none when absent); each must be an object. */
    public static ArrayNode mounts(JsonNode spec) throws SpecFormatException {
        JsonNode m = spec.get("mounts");
        if (m == null || m.isNull()) return JsonNodeFactory.instance.arrayNode();
        if (!m.isArray()) throw new SpecFormatException("\"mounts\" in the spec is not an array");
        for (int i = 0; i < m.size(); i++) {
            if (!m.get(i).isObject()) throw new SpecFormatException("mount " + i + " in the spec is not an object");
        }
        return (ArrayNode) m;
    }

    /** The options of mount {@code i} (none when absent); each must be a string. */
    public static List<String> options(JsonNode mount, int i) throws SpecFormatException {
        JsonNode o = mount.get("options");
        if (o == null || o.isNull()) return List.of();
        if (!o.isArray()) throw new SpecFormatException("the options of mount " + i + " are not an array");
        List<String> out = new ArrayList<>(o.size());
        for (JsonNode v : o) {
            if (!v.isTextual()) throw new SpecFormatException("an option of mount " + i + " is not a string");
            out.add(v.asText());
        }
        return out;
    }
}
