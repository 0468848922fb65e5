package org.lobstertrap.puzzlepod.rego.builtins;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * YAML text ⇄ {@link Value} for the yaml.* builtins (first document only, numbers exact). Reading uses
 * SnakeYAML's composer (the parser under Jackson YAML), writing Jackson's YAML generator.
 */
final class Yaml {
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** Bound on values produced, so that nested aliases ("billion laughs") cannot exhaust memory. */
    static final int MAX_NODES = 1_000_000;

    private Yaml() {}

    /**
     * Parses the first YAML document (YAML 1.1 scalars, aliases expanded, merge keys applied, as go-yaml
     * does); IllegalArgumentException with a go-yaml style message on bad input.
     */
    static Value parse(String text) {
        try {
            Iterator<Node> docs = new org.yaml.snakeyaml.Yaml(new LoaderOptions()).composeAll(new StringReader(text)).iterator();
            if (!docs.hasNext()) return NullValue.INSTANCE;
            Node first = docs.next();
            // Compose the remaining documents too, so that syntax errors after the first are reported.
            while (docs.hasNext()) docs.next();
            return first == null ? NullValue.INSTANCE : convert(first, new int[1], 0);
        } catch (YamlLimit e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(message(e), e);
        }
    }

    /** A document the builtins refuse (too large, or not representable as a Rego value). */
    private static final class YamlLimit extends RuntimeException {
        YamlLimit(String message) { super(message, null, false, false); }
    }

    private static Value convert(Node node, int[] count, int depth) {
        if (++count[0] > MAX_NODES) throw new YamlLimit("yaml: document has more than " + MAX_NODES + " values");
        if (depth > 10_000) throw new YamlLimit("yaml: document nested deeper than 10000 levels");
        switch (node) {
            case ScalarNode sn -> { return scalar(sn); }
            case SequenceNode seq -> {
                List<Value> items = new ArrayList<>(seq.getValue().size());
                for (Node n : seq.getValue()) items.add(convert(n, count, depth + 1));
                return ArrayValue.of(items);
            }
            case MappingNode map -> {
                ObjectValue.Builder b = ObjectValue.builder();
                List<NodeTuple> merges = new ArrayList<>();
                for (NodeTuple t : map.getValue()) {
                    if (t.getKeyNode().getTag().equals(Tag.MERGE)) { merges.add(t); continue; }
                    b.put(StringValue.of(key(t.getKeyNode())), convert(t.getValueNode(), count, depth + 1));
                }
                // Merge keys ("<<") add the merged mappings' entries that are not set explicitly.
                for (NodeTuple t : merges) {
                    List<Node> sources = t.getValueNode() instanceof SequenceNode sq ? sq.getValue() : List.of(t.getValueNode());
                    for (Node src : sources) {
                        if (!(convert(src, count, depth + 1) instanceof ObjectValue o))
                            throw new YamlLimit("yaml: map merge requires map or sequence of maps as the value");
                        for (var e : o.asMap().entrySet()) if (!b.containsKey(e.getKey())) b.put(e.getKey(), e.getValue());
                    }
                }
                return b.build();
            }
            default -> throw new YamlLimit("yaml: unsupported node " + node.getNodeId());
        }
    }

    /** Keys become strings, as in the JSON form of the document. */
    private static String key(Node node) {
        if (!(node instanceof ScalarNode sn)) throw new YamlLimit("yaml: invalid map key: only scalar keys are supported");
        Value v = scalar(sn);
        return v instanceof StringValue s ? s.value() : Json.write(v);
    }

    private static Value scalar(ScalarNode n) {
        String text = n.getValue();
        Tag tag = n.getTag();
        if (tag.equals(Tag.NULL)) return NullValue.INSTANCE;
        if (tag.equals(Tag.BOOL)) {
            String t = text.toLowerCase(java.util.Locale.ROOT);
            return BooleanValue.of(t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y"));
        }
        try {
            if (tag.equals(Tag.INT)) return NumberValue.of(yamlInt(text));
            if (tag.equals(Tag.FLOAT)) {
                String t = text.replace("_", "");
                String lower = t.toLowerCase(java.util.Locale.ROOT);
                if (lower.endsWith(".inf") || lower.equals(".nan"))
                    throw new YamlLimit("yaml: cannot represent " + text + " as a number");
                if (t.contains(":")) return NumberValue.of(sexagesimal(t));
                return NumberValue.of(new BigDecimal(t));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new YamlLimit("yaml: cannot parse number " + text);
        }
        return StringValue.of(text);
    }

    /** YAML 1.1 integers: sign, underscores, 0b binary, 0x hex, leading-zero octal, base 60 with ':'. */
    private static BigInteger yamlInt(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (t.startsWith("-") || t.startsWith("+")) t = t.substring(1);
        BigInteger v;
        if (t.equals("0")) v = BigInteger.ZERO;
        else if (t.startsWith("0b")) v = new BigInteger(t.substring(2), 2);
        else if (t.startsWith("0x")) v = new BigInteger(t.substring(2), 16);
        else if (t.startsWith("0o")) v = new BigInteger(t.substring(2), 8);
        else if (t.contains(":")) v = sexagesimal(t).toBigIntegerExact();
        else if (t.startsWith("0")) v = new BigInteger(t.substring(1), 8);
        else v = new BigInteger(t);
        return negative ? v.negate() : v;
    }

    private static BigDecimal sexagesimal(String t) {
        BigDecimal v = BigDecimal.ZERO;
        for (String part : t.split(":")) v = v.multiply(BigDecimal.valueOf(60)).add(new BigDecimal(part));
        return v;
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
