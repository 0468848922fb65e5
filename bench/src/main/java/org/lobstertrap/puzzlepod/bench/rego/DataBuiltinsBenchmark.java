package org.lobstertrap.puzzlepod.bench.rego;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.builtins.Builtin;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinContext;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinRegistry;
import org.lobstertrap.puzzlepod.rego.value.Json;
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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Collection/encoding builtins against plain-JDK or library references measured in the same run:
 * <ul>
 * <li>{@code base64.decode} (Go's decoder and error offsets) vs {@code java.util.Base64};</li>
 * <li>{@code hex.encode} vs {@code HexFormat};</li>
 * <li>{@code json.marshal} (Go's escaping, sorted keys) vs Jackson writing the same document as Java maps;</li>
 * <li>{@code yaml.unmarshal} (exact numbers, bounded alias expansion) vs SnakeYAML's own object loader.</li>
 * </ul>
 * Run: {@code mvn -q -B -o -pl bench -am package -DskipTests}, then
 * {@code java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main DataBuiltinsBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DataBuiltinsBenchmark {
    private static final String TEXT = "apiVersion: v1, kind: ConfigMap, data: {key: value, other: 12345} ".repeat(16);
    private static final String DOC_JSON = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web","tier":"frontend"}},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"spec":{"containers":[
              {"name":"web","image":"registry.local/web:1.4.2","ports":[{"containerPort":8080}],
               "env":[{"name":"MODE","value":"production"},{"name":"LIMIT","value":"<100 & >10"}],
               "resources":{"limits":{"cpu":"500m","memory":"256Mi"}}}]}}}}""";
    private static final String DOC_YAML = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, tier: frontend}
            spec:
              replicas: 3
              selector:
                matchLabels: {app: web}
              template:
                spec:
                  containers:
                  - name: web
                    image: registry.local/web:1.4.2
                    ports: [{containerPort: 8080}]
                    env:
                    - {name: MODE, value: production}
                    - {name: RATIO, value: 0.75}
                    resources:
                      limits: {cpu: 500m, memory: 256Mi}
            """;

    private final BuiltinContext ctx = BuiltinContext.simple();
    private final Builtin base64Decode = BuiltinRegistry.standard().lookup("base64.decode").fn();
    private final Builtin hexEncode = BuiltinRegistry.standard().lookup("hex.encode").fn();
    private final Builtin jsonMarshal = BuiltinRegistry.standard().lookup("json.marshal").fn();
    private final Builtin yamlUnmarshal = BuiltinRegistry.standard().lookup("yaml.unmarshal").fn();

    private final String encoded = Base64.getEncoder().encodeToString(TEXT.getBytes(StandardCharsets.UTF_8));
    private final Value[] base64Args = {StringValue.of(encoded)};
    private final Value[] hexArgs = {StringValue.of(TEXT)};
    private final Value doc = Json.parse(DOC_JSON);
    private final Value[] marshalArgs = {doc};
    private final Object docAsJava = Json.toJava(doc);
    private final ObjectMapper jackson = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private final Value[] yamlArgs = {StringValue.of(DOC_YAML)};
    private final LoaderOptions loaderOptions = new LoaderOptions();

    @Benchmark public Value base64DecodeBuiltin() throws RegoException { return base64Decode.call(ctx, base64Args); }
    @Benchmark public String base64DecodeJdk() { return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8); }

    @Benchmark public Value hexEncodeBuiltin() throws RegoException { return hexEncode.call(ctx, hexArgs); }
    @Benchmark public String hexEncodeJdk() { return HexFormat.of().formatHex(TEXT.getBytes(StandardCharsets.UTF_8)); }

    @Benchmark public Value jsonMarshalBuiltin() throws RegoException { return jsonMarshal.call(ctx, marshalArgs); }
    @Benchmark public String jsonMarshalJackson() throws JsonProcessingException { return jackson.writeValueAsString(docAsJava); }

    @Benchmark public Value yamlUnmarshalBuiltin() throws RegoException { return yamlUnmarshal.call(ctx, yamlArgs); }
    @Benchmark public Object yamlLoadSnakeYaml() { return new Yaml(new SafeConstructor(loaderOptions)).load(DOC_YAML); }
}
