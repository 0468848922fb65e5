package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The wrapper's own JSON reader and writer, checked against Jackson. */
class JsonValueTest {
    @Test
    void readsTheDaemonsShapes() throws Exception {
        JsonValue v = JsonValue.parse("""
                {"id":"b1","decided":true,"pid":null,"decision":{"outcome":"rejected","bytes":12345678901,
                 "violations":[{"rule":"r","severity":"high","message":"caf\\u00e9 \\"x\\"\\n"}]},"ratio":-1.5e2}""");
        assertThat(v.path("id").asText()).isEqualTo("b1");
        assertThat(v.path("decided").asBoolean()).isTrue();
        assertThat(v.get("pid").isNull()).isTrue();
        assertThat(v.path("nothing").isNull()).isTrue();
        assertThat(v.path("nothing").path("deeper").asText()).isEmpty();
        assertThat(v.path("decision").path("bytes").asLong()).isEqualTo(12345678901L);
        assertThat(v.path("decision").path("violations").size()).isEqualTo(1);
        assertThat(v.path("decision").path("violations").elements().getFirst().path("message").asText()).isEqualTo("café \"x\"\n");
        assertThat(v.path("ratio").asText()).isEqualTo("-150");
        assertThat(v.fields().keySet()).containsExactly("id", "decided", "pid", "decision", "ratio");
    }

    @Test
    void rejectsWhatIsNotJson() {
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "{\"a\":1}x", "tru", "01", "\"a", "{'a':1}", "1.", "\"\t\"", "[\"\\x\"]"))
            assertThatThrownBy(() -> JsonValue.parse(bad)).as(bad).isInstanceOf(JsonValue.JsonSyntaxException.class);
        assertThatThrownBy(() -> JsonValue.parse("[".repeat(600) + "]".repeat(600))).isInstanceOf(JsonValue.JsonSyntaxException.class).hasMessageContaining("depth");
    }

    @Test
    void writesWhatJacksonReadsBack() throws Exception {
        String s = new Json.Obj().put("workspace", "/w\"s\\\n\u0001").put("exit_code", 143).put("require_clean_exit", true).toString();
        JsonNode n = TestJson.MAPPER.readTree(s);
        assertThat(n.path("workspace").asText()).isEqualTo("/w\"s\\\n\u0001");
        assertThat(n.path("exit_code").asInt()).isEqualTo(143);
        assertThat(n.path("require_clean_exit").asBoolean()).isTrue();
        assertThat(new Json.Obj().isEmpty()).isTrue();
    }

    @Property(tries = 200)
    void agreesWithJacksonOnAnyDocument(@ForAll("documents") JsonNode doc) throws Exception {
        String text = TestJson.write(doc);
        JsonValue mine = JsonValue.parse(text);
        JsonNode expected = TestJson.MAPPER.readTree(text);  // Jackson's own reading (int vs long nodes alike)
        assertThat(TestJson.MAPPER.readTree(mine.toString())).isEqualTo(expected);
        assertThat(TestJson.MAPPER.readTree(mine.pretty())).isEqualTo(expected);
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> TestJson.MAPPER.getNodeFactory().textNode(s)),
                Arbitraries.longs().map(l -> TestJson.MAPPER.getNodeFactory().numberNode(l)),
                Arbitraries.of(true, false).map(b -> TestJson.MAPPER.getNodeFactory().booleanNode(b)),
                Arbitraries.just(TestJson.MAPPER.getNodeFactory().nullNode()));
        Arbitrary<JsonNode> arrays = leaf.list().ofMaxSize(4).map(l -> {
            var a = TestJson.MAPPER.createArrayNode();
            l.forEach(a::add);
            return a;
        });
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), Arbitraries.oneOf(leaf, arrays)).ofMaxSize(6).map(m -> {
            var o = TestJson.object();
            m.forEach(o::set);
            return (JsonNode) o;
        });
    }
}
