package org.lobstertrap.puzzlepod.bench.rego;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.lobstertrap.puzzlepod.bench.rego.HandCodedCommitGate.Decision;
import org.lobstertrap.puzzlepod.bench.rego.HandCodedCommitGate.Violation;
import org.lobstertrap.puzzlepod.rego.EvalOptions;
import org.lobstertrap.puzzlepod.rego.PreparedPolicy;
import org.lobstertrap.puzzlepod.rego.RegoEngine;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The commit gate ({@code policies/commit.rego}, ~25 rules) over a 1 000-change input: the prepared Rego
 * policy against {@link HandCodedCommitGate} doing the same checks, plus parse+compile of the policy.
 * Setup fails unless both give the same decision and the same violations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss8m"})
public class CommitPolicyBenchmark {
    static final String POLICY_RESOURCE = "/policies/commit.rego";
    static final String DOCUMENT = "data.puzzlepod.commit";

    String policySource;
    PreparedPolicy policy;
    CommitInput typedInput;
    Value input;

    @Setup
    public void setup() throws IOException, RegoException {
        policySource = policySource();
        policy = prepare(policySource);
        typedInput = CommitInput.realistic();
        input = typedInput.toValue();
        Decision fromRego = decision(policy.evaluate(DOCUMENT, input, EvalOptions.DEFAULT));
        Decision handCoded = HandCodedCommitGate.evaluate(typedInput);
        if (!fromRego.equals(handCoded))
            throw new IllegalStateException("policy and hand-coded gate disagree:\n rego:      " + fromRego + "\n hand-coded: " + handCoded);
        if (handCoded.allow() || handCoded.violations().size() < 10)
            throw new IllegalStateException("the benchmark input should trip the planted violations: " + handCoded);
    }

    /** Evaluates the whole package document (allow, violations and the helper values). */
    @Benchmark
    public Value rego() throws RegoException {
        return policy.evaluate(DOCUMENT, input, EvalOptions.DEFAULT);
    }

    @Benchmark
    public Decision handCoded() {
        return HandCodedCommitGate.evaluate(typedInput);
    }

    @Benchmark
    public PreparedPolicy parseAndCompile() throws RegoException {
        return prepare(policySource);
    }

    static PreparedPolicy prepare(String source) throws RegoException {
        return new RegoEngine().addModule("commit.rego", source).prepare();
    }

    static String policySource() throws IOException {
        try (InputStream in = CommitPolicyBenchmark.class.getResourceAsStream(POLICY_RESOURCE)) {
            if (in == null) throw new IOException("policy resource missing from the classpath: " + POLICY_RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The Rego package document as the hand-coded gate's decision type. */
    static Decision decision(Value document) {
        if (!(document instanceof ObjectValue doc)) throw new IllegalStateException("package document undefined or not an object: " + document);
        if (!(doc.get("allow") instanceof BooleanValue allow)) throw new IllegalStateException("allow undefined");
        Set<Violation> out = new HashSet<>();
        if (doc.get("violations") instanceof SetValue vs) {
            for (Value v : vs) {
                ObjectValue o = (ObjectValue) v;
                out.add(new Violation(text(o, "rule"), text(o, "message"), text(o, "severity")));
            }
        }
        return new Decision(allow.value(), out);
    }

    private static String text(ObjectValue o, String key) { return ((StringValue) o.get(key)).value(); }
}
