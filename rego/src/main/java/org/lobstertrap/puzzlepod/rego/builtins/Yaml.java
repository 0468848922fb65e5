package org.lobstertrap.puzzlepod.rego.builtins;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** YAML text ⇄ {@link Value} for the yaml.* builtins (first document only, numbers exact). */
final class Yaml {
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private Yaml() {}

    /** Parses the first YAML document; IllegalArgumentException with a go-yaml style message on bad input. */
    static Value parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) return NullValue.INSTANCE;
            Value v = read(p, t);
            // Consume the rest so that syntax errors after the first value are reported too.
            while (p.nextToken() != null) { /* skip */ }
            return v;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(message(e), e);
        }
    }

    private static Value read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectValue.Builder b = ObjectValue.builder();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    String key = p.currentName();
                    b.put(StringValue.of(key), read(p, p.nextToken()));
                }
                return b.build();
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) items.add(read(p, n));
                return ArrayValue.of(items);
            }
            case VALUE_STRING -> { return StringValue.of(p.getText()); }
            case VALUE_NUMBER_INT -> { return NumberValue.of(p.getBigIntegerValue()); }
            case VALUE_NUMBER_FLOAT -> {
                try {
                    return NumberValue.of(p.getDecimalValue());
                } catch (NumberFormatException | IOException e) {
                    throw new IllegalArgumentException("yaml: cannot represent " + p.getText() + " as a number");
                }
            }
            case VALUE_TRUE -> { return BooleanValue.TRUE; }
            case VALUE_FALSE -> { return BooleanValue.FALSE; }
            case VALUE_NULL -> { return NullValue.INSTANCE; }
            default -> { return StringValue.of(p.getText()); }
        }
    }

    /** "yaml: line N: did not find expected ..." in go-yaml's wording where the parser's allows it. */
    private static String message(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m) {
                String problem = m.getProblem() == null ? "invalid YAML" : m.getProblem();
                int line = m.getProblemMark() != null ? m.getProblemMark().getLine() + 1 : 1;
                // SnakeYAML says "expected X, but found Y"; go-yaml says "did not find expected X".
                if (problem.startsWith("expected ")) {
                    int comma = problem.indexOf(", but ");
                    problem = "did not find " + (comma > 0 ? problem.substring(0, comma) : problem);
                }
                return "yaml: line " + line + ": " + problem;
            }
        }
        if (e instanceof IllegalArgumentException) return e.getMessage();
        return "yaml: " + e.getMessage();
    }

    static String write(Value v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(v, g);
        } catch (IOException e) {
            throw new IllegalStateException("YAML output failed", e);
        }
        return out.toString();
    }

    private static void write(Value v, JsonGenerator g) throws IOException {
        switch (v) {
            case NullValue n -> g.writeNull();
            case BooleanValue b -> g.writeBoolean(b.value());
            case NumberValue n -> {
                if (n.isLong()) g.writeNumber(n.longValue()); else g.writeNumber(n.bigDecimal());
            }
            case StringValue s -> g.writeString(s.value());
            case ArrayValue a -> {
                g.writeStartArray();
                for (Value e : a.asList()) write(e, g);
                g.writeEndArray();
            }
            case SetValue s -> {
                g.writeStartArray();
                for (Value e : s.sortedElements()) write(e, g);
                g.writeEndArray();
            }
            case ObjectValue o -> {
                g.writeStartObject();
                for (Value k : o.sortedKeys()) {
                    g.writeFieldName(k instanceof StringValue ks ? ks.value() : Json.write(k));
                    write(o.get(k), g);
                }
                g.writeEndObject();
            }
        }
    }
}
