package org.lobstertrap.puzzlepod.rego.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Reads OPA-format YAML case files with exact numbers (BigInteger/BigDecimal). */
public final class CaseLoader {
    private static final ObjectReader READER = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build().readerFor(JsonNode.class);

    private CaseLoader() {}

    /** Every case under {@code root} (recursively), files in name order; the folder is the file's parent directory name. */
    public static List<ConformanceCase> loadAll(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        List<ConformanceCase> out = new ArrayList<>();
        for (Path f : files) out.addAll(load(f));
        return out;
    }

    /** The cases of one file. */
    public static List<ConformanceCase> load(Path file) throws IOException {
        String folder = file.getParent() == null ? "" : file.getParent().getFileName().toString();
        List<ConformanceCase> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = READER.readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || !doc.has("cases")) continue;
                for (JsonNode c : doc.get("cases")) out.add(toCase(folder, file.getFileName().toString(), c));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    private static ConformanceCase toCase(String folder, String file, JsonNode c) {
        List<String> modules = new ArrayList<>();
        if (c.has("modules")) for (JsonNode m : c.get("modules")) modules.add(m.asText());
        List<Map<String, Value>> want = null;
        if (c.has("want_result") && !c.get("want_result").isNull()) {
            want = new ArrayList<>();
            for (JsonNode row : c.get("want_result")) {
                Map<String, Value> m = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : row.properties()) {
                    m.put(e.getKey(), toValue(e.getValue()));
                }
                want.add(m);
            }
        }
        return new ConformanceCase(folder, file, text(c, "note"), text(c, "query"), modules,
                c.has("data") && !c.get("data").isNull() ? toValue(c.get("data")) : null,
                c.has("input") ? toValue(c.get("input")) : null,
                text(c, "input_term"), want, text(c, "want_error_code"), text(c, "want_error"),
                c.path("sort_bindings").asBoolean(false), c.path("strict_error").asBoolean(false));
    }

    private static String text(JsonNode c, String field) {
        JsonNode n = c.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    /** A YAML/JSON tree as a value, numbers exact. */
    public static Value toValue(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) return NullValue.INSTANCE;
        if (n.isBoolean()) return BooleanValue.of(n.booleanValue());
        if (n.isIntegralNumber()) return NumberValue.of(n.bigIntegerValue());
        if (n.isNumber()) return NumberValue.of(n.decimalValue());
        if (n.isTextual()) return StringValue.of(n.textValue());
        if (n.isArray()) {
            List<Value> items = new ArrayList<>();
            for (JsonNode x : n) items.add(toValue(x));
            return ArrayValue.of(items);
        }
        if (n.isObject()) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                b.put(e.getKey(), toValue(e.getValue()));
            }
            return b.build();
        }
        return StringValue.of(n.asText());
    }
}
