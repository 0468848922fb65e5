package org.lobstertrap.puzzlepod.daemon.gate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.rego.EvalOptions;
import org.lobstertrap.puzzlepod.rego.PreparedPolicy;
import org.lobstertrap.puzzlepod.rego.RegoEngine;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.Value;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The commit policy: every {@code *.rego} of one directory compiled into one {@link PreparedPolicy},
 * identified by the SHA-256 of the module names and sources. {@link #reload()} swaps in a new policy only
 * when it compiles; otherwise the previous one stays and the error is kept for {@code Status}. With no
 * policy at all (empty directory, first load failed) every {@link #evaluate} throws, so the gate fails closed.
 */
public final class PolicyStore {
    /** The one query the gate asks (allow, violations and warnings in a single evaluation). */
    public static final String DECISION_QUERY = "data.puzzlepod.commit.decision";
    /** Largest policy file read; a bigger one is a mistake, not a policy. */
    static final long MAX_MODULE_BYTES = 4L << 20;

    /** The loaded policy (null when there is none), its digest and module names, and the last load error. */
    public record Snapshot(PreparedPolicy policy, String digest, List<String> modules, Instant loadedAt, String error) {
        public Snapshot { modules = List.copyOf(modules); }

        public boolean loaded() { return policy != null; }
    }

    private final Path directory;
    private volatile Snapshot current;

    private PolicyStore(Path directory) {
        this.directory = directory;
        this.current = new Snapshot(null, null, List.of(), null, "not loaded yet");
    }

    /** Loads the directory; a failure leaves a store without policy (its error says why), never an exception. */
    public static PolicyStore open(Path directory) {
        PolicyStore s = new PolicyStore(directory);
        try {
            s.reload();
        } catch (PolicyUnavailable e) {
            // kept in the snapshot's error; decisions fail closed until a reload succeeds
        }
        return s;
    }

    public Path directory() { return directory; }

    public Snapshot snapshot() { return current; }

    /**
     * Compiles the directory again. On success the new policy replaces the old one at once (evaluations
     * already running finish with the old one); on failure the old one stays, the error is recorded and
     * thrown.
     */
    public synchronized Snapshot reload() throws PolicyUnavailable {
        try {
            Map.Entry<List<String>, List<String>> modules = readModules();
            List<String> names = modules.getKey(), sources = modules.getValue();
            if (names.isEmpty()) throw new PolicyUnavailable(PolicyUnavailable.NO_POLICY, "no *.rego files in " + directory, null);
            RegoEngine engine = new RegoEngine();
            for (int i = 0; i < names.size(); i++) engine.addModule(names.get(i), sources.get(i));
            PreparedPolicy policy = engine.prepare();
            current = new Snapshot(policy, digest(names, sources), names, Instant.now(), null);
            return current;
        } catch (RegoException e) {
            throw keepOld(new PolicyUnavailable(PolicyUnavailable.NO_POLICY, "policy does not compile: " + e.getMessage(), e));
        } catch (IOException e) {
            throw keepOld(new PolicyUnavailable(PolicyUnavailable.NO_POLICY, "cannot read policies in " + directory + ": " + e.getMessage(), e));
        } catch (PolicyUnavailable e) {
            throw keepOld(e);
        }
    }

    private PolicyUnavailable keepOld(PolicyUnavailable e) {
        Snapshot old = current;
        current = new Snapshot(old.policy(), old.digest(), old.modules(), old.loadedAt(), e.getMessage());
        return e;
    }

    /**
     * Evaluates the decision document over {@code input}. Throws {@link PolicyUnavailable} when there is
     * no policy, the evaluation fails or runs out of time/steps, or the result is not a decision.
     */
    public Verdict evaluate(ObjectNode input, EvalOptions options) throws PolicyUnavailable {
        return evaluate(current, input, options);
    }

    /** As {@link #evaluate(ObjectNode, EvalOptions)} with a given snapshot (so the digest recorded matches). */
    public static Verdict evaluate(Snapshot snapshot, ObjectNode input, EvalOptions options) throws PolicyUnavailable {
        if (snapshot.policy() == null)
            throw new PolicyUnavailable(PolicyUnavailable.NO_POLICY, "no commit policy is loaded ("
                    + (snapshot.error() == null ? "none" : snapshot.error()) + ")", null);
        Value in = Json.parse(input.toString());
        Value out;
        try {
            out = snapshot.policy().evaluate(DECISION_QUERY, in, options);
        } catch (RegoException e) {
            throw new PolicyUnavailable(PolicyUnavailable.EVAL_FAILED, "policy evaluation failed: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new PolicyUnavailable(PolicyUnavailable.EVAL_FAILED, "policy evaluation failed: " + e, e);
        }
        if (out == null) throw new PolicyUnavailable(PolicyUnavailable.BAD_DECISION, DECISION_QUERY + " is undefined", null);
        return toVerdict(Json.toJava(out));
    }

    private static Verdict toVerdict(Object o) throws PolicyUnavailable {
        if (!(o instanceof Map<?, ?> m) || !(m.get("allow") instanceof Boolean allow))
            throw new PolicyUnavailable(PolicyUnavailable.BAD_DECISION, DECISION_QUERY + " is not {allow, violations, warnings}", null);
        List<Finding> violations = findings(m.get("violations"));
        // a policy that allows while listing violations is inconsistent: the violations win
        return new Verdict(allow && violations.isEmpty(), violations, findings(m.get("warnings")));
    }

    private static List<Finding> findings(Object o) throws PolicyUnavailable {
        if (o == null) return List.of();
        if (!(o instanceof Collection<?> c))
            throw new PolicyUnavailable(PolicyUnavailable.BAD_DECISION, "violations/warnings must be a set or array", null);
        List<Finding> out = new ArrayList<>();
        for (Object e : c) {
            if (e instanceof Map<?, ?> f) out.add(new Finding(str(f.get("rule")), str(f.get("message")), str(f.get("severity"))));
            else out.add(new Finding("unknown", String.valueOf(e), "high"));
        }
        return out;
    }

    private static String str(Object o) { return o == null ? null : o.toString(); }

    private Map.Entry<List<String>, List<String>> readModules() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) throw new IOException(directory + " is not a directory");
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*.rego")) {
            for (Path f : ds) if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) files.add(f);
        }
        files.sort(null);
        List<String> names = new ArrayList<>(), sources = new ArrayList<>();
        for (Path f : files) {
            if (Files.size(f) > MAX_MODULE_BYTES) throw new IOException(f.getFileName() + " is larger than " + MAX_MODULE_BYTES + " bytes");
            names.add(f.getFileName().toString());
            sources.add(Files.readString(f));
        }
        return Map.entry(names, sources);
    }

    private static String digest(List<String> names, List<String> sources) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < names.size(); i++) {
                md.update(names.get(i).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(sources.get(i).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
