package org.lobstertrap.puzzlepod.daemon.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@link DaemonConfig} from YAML, strictly: an unknown or duplicated key, a value of the wrong type,
 * an empty value, a relative path or an out-of-range number is an error that names the key and the file.
 * Keys left out keep their {@link DaemonConfig#defaults defaults}.
 */
public final class DaemonConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private DaemonConfigLoader() {}

    /** Loads file with the defaults of uid and env. */
    public static DaemonConfig load(Path file, int uid, Map<String, String> env) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(ConfigException.Code.IO, null, "configuration file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigException(ConfigException.Code.IO, null, "cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), DaemonConfig.defaults(uid, env));
    }

    /** Loads file with the defaults of the current process (uid from /proc/self, environment of the JVM). */
    public static DaemonConfig load(Path file) throws ConfigException {
        return load(file, currentUid(), System.getenv());
    }

    /** The uid this process runs as. */
    public static int currentUid() throws ConfigException {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException(ConfigException.Code.IO, null, "cannot determine the current uid: " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; source names the file in messages. */
    public static DaemonConfig parse(String text, String source, DaemonConfig defaults) throws ConfigException {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(ConfigException.Code.SYNTAX, null, source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) return defaults; // an empty file changes nothing
        if (!tree.isObject()) {
            throw new ConfigException(ConfigException.Code.SYNTAX, null, source + ": the top level must be a mapping of keys to values", null);
        }
        rejectNulls(tree, "", source);
        Raw raw;
        try {
            raw = YAML.treeToValue(tree, Raw.class);
        } catch (UnrecognizedPropertyException e) {
            String key = dotted(e);
            throw new ConfigException(ConfigException.Code.UNKNOWN_KEY, key, source + ": unknown key \"" + key + "\"; known keys: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")), e);
        } catch (JsonMappingException e) {
            String key = dotted(e);
            throw new ConfigException(ConfigException.Code.BAD_VALUE, key, source + ": bad value for \"" + key + "\": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(ConfigException.Code.SYNTAX, null, source + ": " + e.getOriginalMessage(), e);
        }
        return build(raw, defaults, source);
    }

    private static void rejectNulls(JsonNode node, String prefix, String source) throws ConfigException {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix + e.getKey();
            if (e.getValue().isNull()) {
                throw new ConfigException(ConfigException.Code.BAD_VALUE, key, source + ": \"" + key + "\" has no value (leave the key out to use the default)", null);
            }
            if (e.getValue().isObject()) rejectNulls(e.getValue(), key + ".", source);
        }
    }

    private static String dotted(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static DaemonConfig build(Raw raw, DaemonConfig d, String source) throws ConfigException {
        ReviewConfig review = d.review();
        if (raw.review != null) {
            review = new ReviewConfig(raw.review.enabled != null ? raw.review.enabled : review.enabled(),
                    duration(raw.review.timeout, review.timeout(), "review.timeout", DaemonConfig.MIN_REVIEW_TIMEOUT, DaemonConfig.MAX_REVIEW_TIMEOUT, source));
        } else {
            review = new ReviewConfig(review.enabled(), duration(null, review.timeout(), "review.timeout",
                    DaemonConfig.MIN_REVIEW_TIMEOUT, DaemonConfig.MAX_REVIEW_TIMEOUT, source));
        }
        return new DaemonConfig(
                path(raw.branchRoot, d.branchRoot(), "branch_root", source),
                path(raw.profilesDir, d.profilesDir(), "profiles_dir", source),
                path(raw.policiesDir, d.policiesDir(), "policies_dir", source),
                path(raw.runtimeDir, d.runtimeDir(), "runtime_dir", source),
                path(raw.auditDir, d.auditDir(), "audit_dir", source),
                bus(raw.bus, d.bus(), source),
                (int) range(raw.maxBranches, d.maxBranches(), "max_branches", DaemonConfig.MIN_BRANCHES, DaemonConfig.MAX_BRANCHES, source),
                duration(raw.commitTimeout, d.commitTimeout(), "commit_timeout", DaemonConfig.MIN_COMMIT_TIMEOUT, DaemonConfig.MAX_COMMIT_TIMEOUT, source),
                review,
                duration(raw.branchLifetime, d.branchLifetime(), "branch_lifetime", DaemonConfig.MIN_BRANCH_LIFETIME, DaemonConfig.MAX_BRANCH_LIFETIME, source),
                duration(raw.evalDeadline, d.evalDeadline(), "eval_deadline", DaemonConfig.MIN_EVAL_DEADLINE, DaemonConfig.MAX_EVAL_DEADLINE, source),
                range(raw.evalStepBudget, d.evalStepBudget(), "eval_step_budget", DaemonConfig.MIN_EVAL_STEPS, DaemonConfig.MAX_EVAL_STEPS, source),
                raw.network == null ? d.network() : new NetworkConfig(
                        (int) range(raw.network.proxyPort, d.network().proxyPort(), "network.proxy_port", 0, 65535, source),
                        (int) range(raw.network.dnsPort, d.network().dnsPort(), "network.dns_port", 0, 65535, source)));
    }

    private static Path path(String value, Path fallback, String key, String source) throws ConfigException {
        if (value == null) return fallback;
        if (value.isBlank()) throw new ConfigException(ConfigException.Code.BAD_VALUE, key, source + ": \"" + key + "\" is empty", null);
        if (value.indexOf('\0') >= 0) throw new ConfigException(ConfigException.Code.BAD_VALUE, key, source + ": \"" + key + "\" contains a NUL character", null);
        if (!value.startsWith("/")) {
            throw new ConfigException(ConfigException.Code.NOT_ABSOLUTE, key, source + ": \"" + key + "\" must be an absolute path, got \"" + value
                    + "\"" + (value.startsWith("~") ? " (~ is not expanded)" : ""), null);
        }
        return Path.of(value).normalize();
    }

    private static BusKind bus(String value, BusKind fallback, String source) throws ConfigException {
        if (value == null) return fallback;
        return switch (value) {
            case "system" -> BusKind.SYSTEM;
            case "session" -> BusKind.SESSION;
            default -> throw new ConfigException(ConfigException.Code.BAD_VALUE, "bus", source + ": \"bus\" must be system or session, got \""
                    + value + "\"", null);
        };
    }

    private static long range(Long value, long fallback, String key, long min, long max, String source) throws ConfigException {
        long v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new ConfigException(ConfigException.Code.OUT_OF_RANGE, key, source + ": \"" + key + "\" must be between " + min + " and " + max + ", got " + v, null);
        }
        return v;
    }

    private static Duration duration(String value, Duration fallback, String key, Duration min, Duration max, String source) throws ConfigException {
        Duration d;
        if (value == null) {
            d = fallback;
        } else {
            try {
                d = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(ConfigException.Code.BAD_VALUE, key, source + ": \"" + key + "\": " + e.getMessage(), e);
            }
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new ConfigException(ConfigException.Code.OUT_OF_RANGE, key, source + ": \"" + key + "\" must be between "
                    + Durations.format(min) + " and " + Durations.format(max) + ", got " + (value == null ? Durations.format(d) : value), null);
        }
        return d;
    }

    /** The file's shape, before defaults and validation; null = key absent. */
    static final class Raw {
        @JsonProperty("branch_root") String branchRoot;
        @JsonProperty("profiles_dir") String profilesDir;
        @JsonProperty("policies_dir") String policiesDir;
        @JsonProperty("runtime_dir") String runtimeDir;
        @JsonProperty("audit_dir") String auditDir;
        @JsonProperty("bus") String bus;
        @JsonProperty("max_branches") Long maxBranches;
        @JsonProperty("commit_timeout") String commitTimeout;
        @JsonProperty("review") RawReview review;
        @JsonProperty("branch_lifetime") String branchLifetime;
        @JsonProperty("eval_deadline") String evalDeadline;
        @JsonProperty("eval_step_budget") Long evalStepBudget;
        @JsonProperty("network") RawNetwork network;
    }

    static final class RawNetwork {
        @JsonProperty("proxy_port") Long proxyPort;
        @JsonProperty("dns_port") Long dnsPort;
    }

    static final class RawReview {
        @JsonProperty("enabled") Boolean enabled;
        @JsonProperty("timeout") String timeout;
    }
}
