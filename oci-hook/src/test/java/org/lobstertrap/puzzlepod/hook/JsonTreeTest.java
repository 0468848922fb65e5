package org.lobstertrap.puzzlepod.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.lobstertrap.puzzlepod.client.json.StrictJsonReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The hook's own JSON reader and writer agree with Jackson's, and are as strict. */
class JsonTreeTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** Jackson as strict as the hook: exact decimals, duplicate keys refused. */
    private static final ObjectMapper JACKSON = JsonMapper.builder().nodeFactory(NODES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static JsonNode read(String json) throws StrictJsonReader.Malformed {
        return JsonTreeReader.read(json.getBytes(StandardCharsets.UTF_8), 256, NODES);
    }

    @Test
    void realSpecsReadAsJacksonReadsThemAndWriteAsJacksonWritesThem() throws Exception {
        List<Path> specs;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/specs"))) {
            specs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(specs).hasSizeGreaterThanOrEqualTo(4);
        for (Path spec : specs) {
            byte[] bytes = Files.readAllBytes(spec);
            JsonNode ours = JsonTreeReader.read(bytes, 256, NODES);
            JsonNode theirs = JACKSON.readTree(bytes);
            assertThat(ours).as(spec.toString()).isEqualTo(theirs);
            assertThat(JsonTreeWriter.write(ours)).as(spec.toString()).isEqualTo(JACKSON.writeValueAsString(theirs));
        }
    }

    @Test
    void numbersKeepTheirSizeAndExactValue() throws Exception {
        String json = "{\"i\":-2147483648,\"l\":2147483648,\"u\":18446744073709551615,\"n\":-9223372036854775808,"
                + "\"d\":1.50,\"e\":1e3,\"z\":0,\"f\":-0.0}";
        JsonNode n = read(json);
        assertThat(n.get("i").isInt()).isTrue();
        assertThat(n.get("l").isLong()).isTrue();
        assertThat(n.get("u").isBigInteger()).isTrue();
        assertThat(n.get("n").isLong()).isTrue();
        assertThat(n.get("d").decimalValue().toString()).isEqualTo("1.50");
        assertThat(n).isEqualTo(JACKSON.readTree(json));
        assertThat(JsonTreeWriter.write(n)).isEqualTo(JACKSON.writeValueAsString(JACKSON.readTree(json)));
    }

    @Test
    void stringsWithEscapesAndControlCharactersRoundTripLikeJackson() throws Exception {
        String json = "{\"s\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u0001\\u001f\\u00e9\\u20ac\\ud83d\\ude00 \u00e9\",\"k\\u0000\":[]}";
        JsonNode n = read(json);
        assertThat(n).isEqualTo(JACKSON.readTree(json));
        assertThat(JsonTreeWriter.write(n)).isEqualTo(JACKSON.writeValueAsString(n));
    }

    @Test
    void nestingAndWhiteSpace() throws Exception {
        String json = " \r\n\t{ \"a\" : [ 1 , { \"b\" : [ ] , \"c\" : { } } , true , false , null ] }\n";
        assertThat(read(json)).isEqualTo(JACKSON.readTree(json));
        assertThat(read("   ")).isNull();
        assertThat(read("\uFEFF{}")).isEqualTo(NODES.objectNode());
    }

    @Test
    void malformedTextIsRefusedWithWhatAndWhere() {
        String[][] cases = {
                {"{\"a\":1,\"a\":2}", "Duplicate field 'a'"},
                {"{} {}", "data after the end of the value"},
                {"{\"a\":01}", "leading zeros"},
                {"{\"a\":1.}", "after the decimal point"},
                {"{\"a\":-}", "expected a digit"},
                {"{\"a\":1e}", "exponent"},
                {"{\"a\":\"x\ny\"}", "unescaped control character"},
                {"{\"a\":\"\\x\"}", "invalid escape"},
                {"{\"a\":\"\\u12g4\"}", "invalid \\u escape"},
                {"{\"a\":\"abc", "unterminated string"},
                {"{\"a\":tru}", "expected true"},
                {"{\"a\" 1}", "expected ':'"},
                {"{\"a\":1 \"b\":2}", "expected ',' or '}'"},
                {"[1 2]", "expected ',' or ']'"},
                {"{a:1}", "expected a field name"},
                {"{\"a\":", "unexpected end of input"},
                {"NaN", "unexpected character 'N'"},
                {"[".repeat(257) + "]".repeat(257), "maximum depth of 256"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> read(c[0])).as(c[0]).isInstanceOf(StrictJsonReader.Malformed.class).hasMessageContaining(c[1]);
        }
        assertThatThrownBy(() -> JsonTreeReader.read(new byte[] {'"', (byte) 0xC3, '"'}, 256, NODES))
                .isInstanceOf(StrictJsonReader.Malformed.class).hasMessageContaining("invalid UTF-8");
        assertThat(catchDepth256()).as("256 levels are fine").isTrue();
    }

    private static boolean catchDepth256() {
        try {
            return read("[".repeat(256) + "]".repeat(256)).isArray();
        } catch (StrictJsonReader.Malformed e) {
            return false;
        }
    }
}
