package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.lobstertrap.puzzlepod.client.json.StrictJsonReader;

/**
 * Reads JSON into a Jackson tree with {@link StrictJsonReader}: integers become int, long or BigInteger nodes by
 * size (as jackson-core's parser makes them) and other numbers exact BigDecimal nodes; BigInteger and BigDecimal
 * are only initialised when a number needs them (their class initialisation costs 20–30 ms of CPU).
 */
final class JsonTreeReader implements StrictJsonReader.Builder<JsonNode> {
    private final JsonNodeFactory nodes;

    private JsonTreeReader(JsonNodeFactory nodes) { this.nodes = nodes; }

    /** The one JSON value in {@code utf8}; null when it holds nothing but white space. */
    static JsonNode read(byte[] utf8, int maxDepth, JsonNodeFactory nodes) throws StrictJsonReader.Malformed {
        return StrictJsonReader.read(utf8, maxDepth, new JsonTreeReader(nodes));
    }

    @Override public Object startObject() { return nodes.objectNode(); }

    @Override public boolean has(Object object, String name) { return ((ObjectNode) object).has(name); }

    @Override public void put(Object object, String name, JsonNode value) { ((ObjectNode) object).set(name, value); }

    @Override public JsonNode endObject(Object object) { return (ObjectNode) object; }

    @Override public Object startArray() { return nodes.arrayNode(); }

    @Override public void add(Object array, JsonNode value) { ((ArrayNode) array).add(value); }

    @Override public JsonNode endArray(Object array) { return (ArrayNode) array; }

    @Override public JsonNode string(String s) { return nodes.textNode(s); }

    @Override public JsonNode bool(boolean b) { return nodes.booleanNode(b); }

    @Override public JsonNode nul() { return nodes.nullNode(); }

    @Override
    public JsonNode number(String n, boolean integral) {
        if (!integral) return nodes.numberNode(new BigDecimal(n));
        int digits = n.length() - (n.charAt(0) == '-' ? 1 : 0);
        if (digits <= 9) return nodes.numberNode(Integer.parseInt(n));
        if (digits <= 18) {
            long v = Long.parseLong(n);
            return v == (int) v ? nodes.numberNode((int) v) : nodes.numberNode(v);
        }
        BigInteger big = new BigInteger(n);
        if (big.bitLength() < 32) return nodes.numberNode(big.intValue());
        if (big.bitLength() < 64) return nodes.numberNode(big.longValue());
        return nodes.numberNode(big);
    }
}
