package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.call;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.error;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.json;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.set;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.str;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.strings;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class JsonBuiltinsTest {
    private static final Value NUMBERS = json("[1234567890, 2000000, 1000000000]");

    @Test
    void marshalIsCompactSortedAndEscapesLikeGo() throws RegoException {
        Value v = ArrayValue.of(ObjectValue.builder().put("foo", set(NumberValue.of(3), NumberValue.of(1), NumberValue.of(2))).build());
        assertThat(call("json.marshal", v)).isEqualTo(str("[{\"foo\":[1,2,3]}]"));
        assertThat(call("json.marshal", NUMBERS)).isEqualTo(str("[1234567890,2000000,1000000000]"));
        assertThat(call("json.marshal", str("<a&b>\u2028\b"))).isEqualTo(str("\"\\u003ca\\u0026b\\u003e\\u2028\\b\""));
    }

    @Test
    void marshalWithOptions() throws RegoException {
        assertThat(call("json.marshal_with_options", NUMBERS, json("{\"indent\":\"  \"}")))
                .isEqualTo(str("[\n  1234567890,\n  2000000,\n  1000000000\n]"));
        assertThat(call("json.marshal_with_options", NUMBERS, json("{}"))).isEqualTo(str("[1234567890,2000000,1000000000]"));
        assertThat(call("json.marshal_with_options", NUMBERS, json("{\"pretty\":true}")))
                .isEqualTo(str("[\n\t1234567890,\n\t2000000,\n\t1000000000\n]"));
        assertThat(call("json.marshal_with_options", NUMBERS, json("{\"pretty\":false,\"prefix\":\"NO!\",\"indent\":\"BAD!\"}")))
                .isEqualTo(str("[1234567890,2000000,1000000000]"));
        assertThat(call("json.marshal_with_options", json("{\"foo\":\"bar\",\"bar\":\"baz\"}"), json("{\"prefix\":\"JSON => \"}")))
                .isEqualTo(str("JSON => {\nJSON => \t\"bar\": \"baz\",\nJSON => \t\"foo\": \"bar\"\nJSON => }"));
        assertThat(call("json.marshal_with_options", json("[]"), json("{\"indent\":\"    \",\"prefix\":\"---\"}"))).isEqualTo(str("---[]"));
        assertThat(call("json.marshal_with_options", json("[[[]]]"), json("{\"indent\":\" \"}"))).isEqualTo(str("[\n [\n  []\n ]\n]"));
        RegoException e = error("json.marshal_with_options", json("[]"), json("{\"indent\":\"    \",\"include_winning_lottery_numbers\":true}"));
        assertThat(e.code()).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(e.detail()).contains("object contained unknown key \"include_winning_lottery_numbers\"");
    }

    @Test
    void unmarshalAndValidity() throws RegoException {
        assertThat(call("json.unmarshal", str("[{\"foo\":[1,2,3]}]"))).isEqualTo(json("[{\"foo\":[1,2,3]}]"));
        assertThat(error("json.unmarshal", NumberValue.of(1)).detail()).endsWith("operand 1 must be string but got number");
        assertThat(error("json.unmarshal", str("{")).code()).isEqualTo(RegoException.BUILTIN);
        assertThat(call("json.is_valid", str("plainstring"))).isEqualTo(BooleanValue.FALSE);
        assertThat(call("json.is_valid", str("{"))).isEqualTo(BooleanValue.FALSE);
        assertThat(call("json.is_valid", str("{\"json\": \"ok\"}"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("json.is_valid", NumberValue.of(1))).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void yamlRoundTripValidityAndErrors() throws RegoException {
        Value v = ArrayValue.of(ObjectValue.builder().put("foo", set(NumberValue.of(1), NumberValue.of(2), NumberValue.of(3))).build());
        Value text = call("yaml.marshal", v);
        assertThat(call("yaml.unmarshal", text)).isEqualTo(json("[{\"foo\":[1,2,3]}]"));
        assertThat(call("yaml.unmarshal", str("a: 1.50\nb: [x, 'y']\nc: ~\n"))).isEqualTo(json("{\"a\":1.5,\"b\":[\"x\",\"y\"],\"c\":null}"));
        assertThat(call("yaml.is_valid", str("foo:\n   - qux: bar\n   - baz: 2"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("yaml.is_valid", str("foo:\n   - qux: bar\n   - baz: {"))).isEqualTo(BooleanValue.FALSE);
        assertThat(call("yaml.is_valid", str("{\"json\": \"ok\"}"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("yaml.is_valid", NumberValue.of(1))).isEqualTo(BooleanValue.FALSE);
        assertThat(call("yaml.unmarshal", str("a: yes\nb: 0x1F\nc: &x [1, 2]\nd: *x\ne: 1_000.000000000000000000001\nf: {<<: {g: 1, h: 2}, h: 3}")))
                .isEqualTo(json("{\"a\":true,\"b\":31,\"c\":[1,2],\"d\":[1,2],\"e\":1000.000000000000000000001,\"f\":{\"g\":1,\"h\":3}}"));
        assertThat(error("yaml.unmarshal", str("a: .inf")).detail()).isEqualTo("yaml.unmarshal: yaml: cannot represent .inf as a number");
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 7; i++) bomb.append("a").append(i).append(": &a").append(i).append(" [").append(("*a" + (i - 1) + ", ").repeat(7)).append("*a").append(i - 1).append("]\n");
        assertThat(error("yaml.unmarshal", str(bomb.toString())).detail()).contains("more than 1000000 values");
        RegoException e = error("yaml.unmarshal", str("[1,2,3"));
        assertThat(e.code()).isEqualTo(RegoException.BUILTIN);
        assertThat(e.toString()).contains("yaml: line 1: did not find");
    }

    @Test
    void filterKeepsOnlyTheGivenPaths() throws RegoException {
        Value doc = json("{\"a\":{\"b\":{\"c\":7,\"d\":8}},\"e\":9}");
        assertThat(call("json.filter", doc, strings("a/b/c"))).isEqualTo(json("{\"a\":{\"b\":{\"c\":7}}}"));
        assertThat(call("json.filter", doc, json("[\"a/b/c\",\"e\"]"))).isEqualTo(json("{\"a\":{\"b\":{\"c\":7}},\"e\":9}"));
        assertThat(call("json.filter", json("{\"a\":{\"b\":7}}"), strings("a", "a/b"))).isEqualTo(json("{\"a\":{\"b\":7}}"));
        assertThat(call("json.filter", json("{\"a\":[{\"b\":7,\"c\":8},{\"d\":9}]}"), strings("a/0/b", "a/1")))
                .isEqualTo(json("{\"a\":[{\"b\":7},{\"d\":9}]}"));
        assertThat(call("json.filter", json("{\"a\":[{\"1\":[\"b\",\"c\",\"d\"]},{\"x\":\"y\"}]}"), strings("a/0/1/2")))
                .isEqualTo(json("{\"a\":[{\"1\":[\"d\"]}]}"));
        assertThat(call("json.filter", json("{\"a\":{\"b\":{\"c\":7,\"d\":8,\"x\":0}},\"e\":9}"),
                set(str("a/b/d"), json("[\"a\",\"b\",\"c\"]")))).isEqualTo(json("{\"a\":{\"b\":{\"c\":7,\"d\":8}}}"));
        assertThat(call("json.filter", json("{\"a\":7}"), set())).isEqualTo(json("{}"));
    }

    @Test
    void removeDropsTheGivenPathsWithOpaErrors() throws RegoException {
        Value doc = json("{\"a\":{\"b\":{\"c\":7,\"d\":8}},\"e\":9}");
        assertThat(call("json.remove", doc, strings("a/b/c"))).isEqualTo(json("{\"a\":{\"b\":{\"d\":8}},\"e\":9}"));
        assertThat(call("json.remove", json("{\"a\":{\"b\":7},\"c\":1}"), strings("a", "a/b"))).isEqualTo(json("{\"c\":1}"));
        assertThat(call("json.remove", json("{\"a\":{\"b\":7},\"c\":1}"), strings("a/b", "c"))).isEqualTo(json("{\"a\":{}}"));
        assertThat(call("json.remove", json("{\"a\":[{\"b\":7,\"c\":8},{\"d\":9}]}"), strings("a/0/b", "a/1")))
                .isEqualTo(json("{\"a\":[{\"c\":8}]}"));
        assertThat(call("json.remove", json("{\"a\":[{\"1\":[\"b\",\"c\",\"d\"]},{\"x\":\"y\"}]}"), strings("a/0/1/2")))
                .isEqualTo(json("{\"a\":[{\"1\":[\"b\",\"c\"]},{\"x\":\"y\"}]}"));
        assertThat(error("json.remove", str("foo"), strings("a/b/c")).detail()).isEqualTo("json.remove: operand 1 must be object but got string");
        assertThat(error("json.remove", json("{}"), json("{\"y\":123}")).detail())
                .isEqualTo("json.remove: operand 2 must be one of {set, array} but got object");
        assertThat(error("json.remove", json("{}"), json("[\"a\",1]")).detail())
                .isEqualTo("json.remove: operand 2 must be one of {set, array} containing string paths or array of path segments but got number");
        assertThat(error("json.remove", json("{}"), set(str("a"), json("{\"x\":1}"))).code()).isEqualTo(RegoException.EVAL_TYPE);
    }

    private static Value patch(String doc, String ops) throws RegoException {
        return call("json.patch", json(doc), json(ops));
    }

    @Test
    void patchImplementsRfc6902() throws RegoException {
        assertThat(patch("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]")).isEqualTo(json("{\"baz\":\"qux\",\"foo\":\"bar\"}"));
        assertThat(patch("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]")).isEqualTo(json("{\"foo\":[\"bar\",\"qux\",\"baz\"]}"));
        assertThat(patch("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
                "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]"))
                .isEqualTo(json("{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}"));
        assertThat(patch("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}", "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]"))
                .isEqualTo(json("{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}"));
        assertThat(patch("[1,2,[3,[4,5]]]", "[{\"op\":\"add\",\"path\":\"/2/1/-\",\"value\":6}]")).isEqualTo(json("[1,2,[3,[4,5,6]]]"));
        assertThat(patch("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]")).isEqualTo(json("{\"/\":9,\"~1\":10}"));
        assertThat(patch("{\"foo\":1}", "[{\"op\":\"test\",\"path\":\"\",\"value\":{\"foo\":1}}]")).isEqualTo(json("{\"foo\":1}"));
        assertThat(patch("{}", "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}]")).isEqualTo(json("{\"\":1}"));
        assertThat(patch("{\"foo\":null}", "[{\"op\":\"copy\",\"from\":\"/foo\",\"path\":\"/bar\"}]")).isEqualTo(json("{\"foo\":null,\"bar\":null}"));
        assertThat(patch("\"foo\"", "[{\"op\":\"replace\",\"path\":\"\",\"value\":\"bar\"}]")).isEqualTo(str("bar"));
        assertThat(patch("[1,2,3,4]", "[{\"op\":\"remove\",\"path\":\"/1\"},{\"op\":\"remove\",\"path\":\"/2\"}]")).isEqualTo(json("[1,3]"));
        // Operations that do not apply leave the result undefined.
        for (String failing : new String[] {
                "[{\"op\":\"add\",\"path\":\"/a/b\",\"value\":1}]", "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
                "[{\"op\":\"test\",\"path\":\"/foo\",\"value\":\"1\"}]", "[{\"op\":\"replace\",\"path\":\"/foo/bar\",\"value\":1}]",
                "[{\"op\":\"copy\",\"from\":\"/bar\",\"path\":\"/foo\"}]"}) {
            assertThat(patch("{\"foo\":1}", failing)).as(failing).isNull();
        }
        for (String badIndex : new String[] {"/00", "/01", "/1e0", "/-1", "/3"}) {
            assertThat(patch("[\"foo\",\"bar\"]", "[{\"op\":\"add\",\"path\":\"" + badIndex + "\",\"value\":\"x\"}]")).as(badIndex).isNull();
        }
        assertThat(error("json.patch", json("{}"), json("[{\"op\":\"add\",\"value\":\"bar\"}]")).code()).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(error("json.patch", json("{}"), json("[{\"op\":\"spam\",\"path\":\"/a\"}]")).code()).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(call("json.patch", json("[1,2,3]"), json("[{\"op\":\"add\",\"path\":\"1.2\",\"value\":\"foo\"}]"))).isNull();
    }

    @Test
    void patchAddressesSetMembers() throws RegoException {
        Value doc = ObjectValue.builder().put("foo", strings("a", "b", "c")).build();
        assertThat(call("json.patch", doc, json("[{\"op\":\"remove\",\"path\":\"foo/b\"}]")))
                .isEqualTo(ObjectValue.builder().put("foo", strings("a", "c")).build());
        assertThat(call("json.patch", doc, json("[{\"op\":\"add\",\"path\":\"foo/d\",\"value\":\"d\"}]")))
                .isEqualTo(ObjectValue.builder().put("foo", strings("a", "b", "c", "d")).build());
        assertThat(call("json.patch", doc, json("[{\"op\":\"add\",\"path\":\"foo/d\",\"value\":\"e\"}]"))).isNull();
        Value two = ObjectValue.builder().put("foo", strings("a", "b")).put("bar", strings("c", "d")).build();
        assertThat(call("json.patch", two, json("[{\"op\":\"move\",\"from\":\"foo/a\",\"path\":\"bar/a\"}]")))
                .isEqualTo(ObjectValue.builder().put("foo", strings("b")).put("bar", strings("a", "c", "d")).build());
        assertThat(call("json.patch", set(json("[1]")), json("[{\"op\":\"add\",\"path\":[[1],1],\"value\":2}]")))
                .isEqualTo(set(json("[1,2]")));
    }

    @Test
    void schemaVerificationAndMatching() throws RegoException {
        Value schema = json("{\"properties\":{\"id\":{\"type\":\"integer\"}},\"required\":[\"id\"]}");
        Value ok = ArrayValue.of(BooleanValue.TRUE, ArrayValue.EMPTY);
        assertThat(call("json.match_schema", json("{\"id\":5}"), schema)).isEqualTo(ok);
        assertThat(call("json.match_schema", str("{\"id\": 5}"), schema)).isEqualTo(ok);
        assertThat(call("json.match_schema", json("{\"id\":5}"), str(schema.toJson()))).isEqualTo(ok);
        assertThat(call("json.match_schema", json("{\"id\":\"foo\"}"), schema)).isEqualTo(json(
                "[false,[{\"desc\":\"Invalid type. Expected: integer, given: string\",\"error\":\"id: Invalid type. Expected: integer, given: string\",\"field\":\"id\",\"type\":\"invalid_type\"}]]"));
        assertThat(call("json.match_schema", json("{}"), schema)).isEqualTo(json(
                "[false,[{\"desc\":\"id is required\",\"error\":\"(root): id is required\",\"field\":\"(root)\",\"type\":\"required\"}]]"));
        String invalid = "has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]";
        RegoException e = error("json.match_schema", json("{\"id\":\"foo\"}"), json("{\"properties\":{\"id\":{\"type\":\"unknown\"}}}"));
        assertThat(e.code()).isEqualTo(RegoException.BUILTIN);
        assertThat(e.detail()).isEqualTo("json.match_schema: " + invalid);
        assertThat(call("json.verify_schema", str("{\"type\": \"boolean\"}"))).isEqualTo(ArrayValue.of(BooleanValue.TRUE, NullValue.INSTANCE));
        assertThat(call("json.verify_schema", json("{\"type\":\"unknown\"}")))
                .isEqualTo(ArrayValue.of(BooleanValue.FALSE, str("jsonschema: " + invalid)));
    }
}
