package org.lobstertrap.puzzlepod.daemon.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one byte form of a JSON tree that the MAC is computed over: object keys sorted (by UTF-16 code
 * units, as {@link String#compareTo}), no whitespace, every non-ASCII character escaped as {@code \\uXXXX}
 * (so lone surrogates and control characters survive and a record is always one ASCII line), integers only.
 */
final class CanonicalJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();

    private CanonicalJson() {}

    static byte[] bytes(JsonNode node) {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                Collections.sort(names);
                for (String name : names) {
                    g.writeFieldName(name);
                    write(g, node.get(name));
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) write(g, element);
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                // Floats have no single textual form, so they would not survive a parse/print round trip.
                if (!node.isIntegralNumber()) throw new IllegalArgumentException("floating-point number " + node + " in audit data");
                g.writeNumber(node.bigIntegerValue());
            }
            default -> throw new IllegalArgumentException("unsupported JSON node " + node.getNodeType() + " in audit data");
        }
    }
}
