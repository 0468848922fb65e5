package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON as the hooks read and write it: strict (duplicate keys and trailing data are errors, so a spec
 * cannot say two things at once), numbers kept exactly as given, input bounded. Trees are built from
 * jackson-core's streaming parser directly: an {@code ObjectMapper} costs more start-up than the rest of
 * a hook run together.
 */
final class HookJson {
    private HookJson() {}

    /** The most a hook reads from stdin or a bundle's config.json; real specs are ~20 KiB. */
    static final int MAX_INPUT = 16 << 20;
    private static final int MAX_DEPTH = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** Reads at most {@link #MAX_INPUT} bytes; more is a {@code BAD_INPUT} error. */
    static byte[] readBounded(InputStream in, String what) throws HookException {
        try {
            byte[] data = in.readNBytes(MAX_INPUT + 1);
            if (data.length > MAX_INPUT) throw new HookException(HookError.BAD_INPUT, what + " is larger than " + (MAX_INPUT >> 20) + " MiB");
            return data;
        } catch (IOException e) {
            throw new HookException(HookError.INTERNAL, "cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** Parses one JSON object; anything else is a {@code BAD_INPUT} error that says what was expected. */
    static JsonNode parseObject(byte[] data, String what) throws HookException {
        if (data.length == 0) throw new HookException(HookError.BAD_INPUT, what + " is empty (expected a JSON object)");
        JsonNode n;
        try (JsonParser p = FACTORY.createParser(data)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new HookException(HookError.BAD_INPUT, what + " is empty (expected a JSON object)");
            n = value(p, first);
            if (p.nextToken() != null) throw new HookException(HookError.BAD_INPUT, what + " is not valid JSON: data after the end of the value");
        } catch (JsonProcessingException e) {
            throw new HookException(HookError.BAD_INPUT, what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new HookException(HookError.BAD_INPUT, what + " cannot be read as JSON: " + e.getMessage(), e);
        }
        if (!n.isObject()) throw new HookException(HookError.BAD_INPUT, what + " is not a JSON object");
        return n;
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    if (o.has(name)) throw new JsonProcessingException("Duplicate field '" + name + "'", p.currentLocation()) {};
                    o.set(name, value(p, p.nextToken()));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) a.add(value(p, v));
                yield a;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new JsonProcessingException("unexpected " + t, p.currentLocation()) {};
        };
    }

    /** Reads and parses a JSON file of at most {@link #MAX_INPUT} bytes. */
    static JsonNode readObject(Path file, String what) throws HookException {
        try (InputStream in = Files.newInputStream(file)) {
            return parseObject(readBounded(in, what), what);
        } catch (NoSuchFileException e) {
            throw new HookException(HookError.BAD_INPUT, what + " does not exist", e);
        } catch (IOException e) {
            throw new HookException(HookError.INTERNAL, "cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** Compact JSON of a tree, numbers as they were read. */
    static String write(JsonNode n) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, n);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree could not be written", e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode v : n) write(g, v);
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                if (n.isInt()) g.writeNumber(n.intValue());
                else if (n.isLong()) g.writeNumber(n.longValue());
                else if (n.isBigInteger()) g.writeNumber(n.bigIntegerValue());
                else g.writeNumber(n.decimalValue().toString());
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            default -> throw new IOException("cannot write a " + n.getNodeType() + " node");
        }
    }
}
