package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.lobstertrap.puzzlepod.client.json.JsonText;

/**
 * Compact JSON of a Jackson tree, byte for byte as jackson-core's generator writes it (numbers as they were
 * read; in strings, {@code "} and {@code \} escaped, control characters as <code>&#92;n &#92;t &#92;r</code>,
 * <code>&#92;b &#92;f</code> or <code>&#92;u00XX</code>, everything else as is), without its start-up cost.
 */
final class JsonTreeWriter {
    private JsonTreeWriter() {}

    static String write(JsonNode n) {
        StringBuilder b = new StringBuilder(4096);
        write(b, n);
        return b.toString();
    }

    private static void write(StringBuilder b, JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    if (!first) b.append(',');
                    first = false;
                    string(b, e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case ARRAY -> {
                b.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) b.append(',');
                    write(b, n.get(i));
                }
                b.append(']');
            }
            case STRING -> string(b, n.textValue());
            case NUMBER -> {
                if (n.isInt()) b.append(n.intValue());
                else if (n.isLong()) b.append(n.longValue());
                else if (n.isBigInteger()) b.append(n.bigIntegerValue());
                else b.append(n.decimalValue().toString());
            }
            case BOOLEAN -> b.append(n.booleanValue());
            case NULL -> b.append("null");
            default -> throw new IllegalArgumentException("cannot write a " + n.getNodeType() + " node as JSON");
        }
    }

    private static void string(StringBuilder b, String s) { JsonText.quote(b, s); }
}
