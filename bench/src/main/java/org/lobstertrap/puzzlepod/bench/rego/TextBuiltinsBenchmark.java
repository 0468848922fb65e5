package org.lobstertrap.puzzlepod.bench.rego;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.builtins.Builtin;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinContext;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinRegistry;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Text builtins against plain-JDK references measured in the same run:
 * <ul>
 * <li>{@code regex.match} (RE2 pattern, cached translation, budgeted input) vs the equivalent
 *     java.util.regex pattern compiled once ({@code javaPrecompiled}: the floor) and compiled on every
 *     call ({@code javaCompileEachCall}: what the cache saves);</li>
 * <li>{@code glob.match} (cached) vs a hand-written java.util.regex equivalent compiled once;</li>
 * <li>{@code sprintf} (Go verbs, exact) vs {@code String.format}.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TextBuiltinsBenchmark {
    private static final String HOST = "api.v2.service.example.com";
    private static final String RE2 = "^[a-z0-9-]+(\\.[a-z0-9-]+)*\\.example\\.com$";
    private static final String JAVA_RE = "\\A[a-z0-9-]+(\\.[a-z0-9-]+)*\\.example\\.com\\z";
    private static final Pattern JAVA_PATTERN = Pattern.compile(JAVA_RE);
    private static final Pattern GLOB_AS_JAVA = Pattern.compile("[^.]*\\.service\\.example\\.com", Pattern.DOTALL);

    private final BuiltinContext ctx = BuiltinContext.simple();
    private final Builtin regexMatch = BuiltinRegistry.standard().lookup("regex.match").fn();
    private final Builtin globMatch = BuiltinRegistry.standard().lookup("glob.match").fn();
    private final Builtin sprintf = BuiltinRegistry.standard().lookup("sprintf").fn();
    private final Value[] regexArgs = {StringValue.of(RE2), StringValue.of(HOST)};
    private final Value[] globArgs = {StringValue.of("*.service.example.com"), ArrayValue.of(StringValue.of(".")),
            StringValue.of("v2.service.example.com")};
    private final Value[] sprintfArgs = {StringValue.of("%s-%05d-%.2f"),
            ArrayValue.of(StringValue.of("pod"), NumberValue.of(42), NumberValue.parse("3.14159"))};

    @Benchmark public Value regexMatchBuiltin() throws RegoException { return regexMatch.call(ctx, regexArgs); }
    @Benchmark public boolean regexJavaPrecompiled() { return JAVA_PATTERN.matcher(HOST).find(); }
    @Benchmark public boolean regexJavaCompileEachCall() { return Pattern.compile(JAVA_RE).matcher(HOST).find(); }

    @Benchmark public Value globMatchBuiltin() throws RegoException { return globMatch.call(ctx, globArgs); }
    @Benchmark public boolean globJavaPrecompiled() { return GLOB_AS_JAVA.matcher("v2.service.example.com").matches(); }

    @Benchmark public Value sprintfBuiltin() throws RegoException { return sprintf.call(ctx, sprintfArgs); }
    @Benchmark public String sprintfJavaFormat() { return String.format(Locale.ROOT, "%s-%05d-%.2f", "pod", 42, 3.14159); }
}
