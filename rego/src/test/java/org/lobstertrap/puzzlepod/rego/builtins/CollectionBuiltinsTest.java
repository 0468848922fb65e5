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
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class CollectionBuiltinsTest {
    private static Value n(long v) { return NumberValue.of(v); }

    @Test
    void arrayConcatSliceReverse() throws RegoException {
        assertThat(call("array.concat", json("[1,2]"), json("[3,4]"))).isEqualTo(json("[1,2,3,4]"));
        assertThat(error("array.concat", json("{\"v\":1}"), json("[3]")).toString())
                .isEqualTo("eval_type_error: array.concat: operand 1 must be array but got object");
        assertThat(error("array.concat", json("[1]"), json("{}")).detail()).endsWith("operand 2 must be array but got object");
        assertThat(call("array.slice", json("[1,2,3,4,5]"), n(1), n(3))).isEqualTo(json("[2,3]"));
        assertThat(call("array.slice", json("[1,2,3]"), n(0), n(0))).isEqualTo(json("[]"));
        assertThat(call("array.slice", json("[1,2,3,4,5]"), n(-4), n(-1))).isEqualTo(json("[]"));
        assertThat(call("array.slice", json("[1,2,3,4,5]"), n(4), n(1))).isEqualTo(json("[]"));
        assertThat(call("array.slice", json("[1,2,3,4,5]"), n(-1), n(2))).isEqualTo(json("[1,2]"));
        assertThat(call("array.slice", json("[1,2,3,4,5]"), n(3), n(6))).isEqualTo(json("[4,5]"));
        assertThat(call("array.slice", json("[1,2,3]"), n(1000), n(2000))).isEqualTo(json("[]"));
        assertThat(error("array.slice", json("[1]"), json("1.5"), n(2)).code()).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(call("array.reverse", json("[1,2,3]"))).isEqualTo(json("[3,2,1]"));
        assertThat(call("array.reverse", json("[]"))).isEqualTo(json("[]"));
        assertThat(error("array.reverse", json("{\"bar\":\"baz\"}")).detail())
                .isEqualTo("array.reverse: operand 1 must be array but got object");
    }

    @Test
    void unionAndIntersectionOfSets() throws RegoException {
        SetValue s1 = set(n(1), n(2), n(3)), s2 = set(n(2), n(3), n(4)), s3 = set(n(4), n(5), n(6));
        assertThat(call("union", SetValue.EMPTY)).isEqualTo(SetValue.EMPTY);
        assertThat(call("union", set(s1, s2, s3))).isEqualTo(set(n(1), n(2), n(3), n(4), n(5), n(6)));
        assertThat(call("intersection", SetValue.EMPTY)).isEqualTo(SetValue.EMPTY);
        assertThat(call("intersection", set(SetValue.EMPTY, set(n(1), n(2))))).isEqualTo(SetValue.EMPTY);
        assertThat(call("intersection", set(s1, set(n(2))))).isEqualTo(set(n(2)));
        assertThat(call("intersection", set(s1, s2, s3))).isEqualTo(SetValue.EMPTY);
        assertThat(call("intersection", set(strings("a", "b", "c", "d"), strings("b", "c", "d"), strings("d"))))
                .isEqualTo(strings("d"));
        assertThat(error("union", set(n(1))).code()).isEqualTo(RegoException.EVAL_TYPE);
    }

    @Test
    void objectGetWithKeysAndPaths() throws RegoException {
        assertThat(call("object.get", json("{\"a\":\"b\"}"), str("a"), str("c"))).isEqualTo(str("b"));
        assertThat(call("object.get", json("{\"a\":\"b\"}"), str("c"), str("c"))).isEqualTo(str("c"));
        ObjectValue intKey = ObjectValue.builder().put(n(1), n(2)).build();
        assertThat(call("object.get", intKey, n(1), n(3))).isEqualTo(n(2));
        assertThat(call("object.get", intKey, n(2), n(3))).isEqualTo(n(3));
        assertThat(call("object.get", json("{\"a\":1}"), json("[]"), n(2))).isEqualTo(json("{\"a\":1}"));
        assertThat(call("object.get", json("{\"a\":{\"b\":{\"c\":1}}}"), json("[\"a\",\"b\",\"c\"]"), n(2))).isEqualTo(n(1));
        assertThat(call("object.get", json("{\"a\":{\"b\":{\"c\":1}}}"), json("[\"a\",\"b\",\"a\"]"), n(2))).isEqualTo(n(2));
        assertThat(call("object.get", json("{\"a\":{\"b\":[1,2,3]}}"), json("[\"a\",\"b\",\"a\"]"), n(2))).isEqualTo(n(2));
        assertThat(call("object.get", json("{\"a\":{\"b\":[{\"c\":1}]}}"), json("[\"a\",\"b\",0,\"c\"]"), n(2))).isEqualTo(n(1));
        // {1: {"b": {[1,2,3]: 1}}}
        ObjectValue nonString = ObjectValue.builder().put(n(1), ObjectValue.builder()
                .put("b", ObjectValue.builder().put(json("[1,2,3]"), n(1)).build()).build()).build();
        assertThat(call("object.get", nonString, ArrayValue.of(n(1), str("b"), json("[1,2,3]")), n(2))).isEqualTo(n(1));
        assertThat(error("object.get", str("object"), json("[\"a\"]"), n(2)).detail())
                .isEqualTo("object.get: operand 1 must be object but got string");
    }

    @Test
    void objectKeysUnionAndUnionN() throws RegoException {
        assertThat(call("object.keys", json("{\"a\":1,\"b\":2}"))).isEqualTo(strings("a", "b"));
        ObjectValue setKeys = ObjectValue.builder().put(strings("a"), n(1)).put(strings("b"), n(2)).build();
        assertThat(call("object.keys", setKeys)).isEqualTo(set(strings("a"), strings("b")));
        assertThat(error("object.keys", str("object")).detail()).isEqualTo("object.keys: operand 1 must be object but got string");

        assertThat(call("object.union", json("{\"a\":{\"b\":{\"c\":1}},\"e\":1}"),
                json("{\"a\":{\"b\":\"foo\",\"b1\":\"bar\"},\"d\":7,\"e\":17}")))
                .isEqualTo(json("{\"a\":{\"b\":\"foo\",\"b1\":\"bar\"},\"d\":7,\"e\":17}"));
        assertThat(call("object.union", json("{\"a\":1}"), json("{\"a\":{\"b\":{\"c\":1}},\"d\":7}")))
                .isEqualTo(json("{\"a\":{\"b\":{\"c\":1}},\"d\":7}"));
        assertThat(error("object.union", json("[1,2,3]"), json("{}")).detail())
                .isEqualTo("object.union: operand 1 must be object but got array");
        assertThat(call("object.union_n", json("[{\"a\":1,\"b\":2,\"c\":3},{\"foo\":\"baz\",\"a\":\"a\",\"b\":2,\"d\":4},{\"a\":\"final A!\",\"e\":5.0}]")))
                .isEqualTo(json("{\"a\":\"final A!\",\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"foo\":\"baz\"}"));
        assertThat(error("object.union_n", json("[{\"foo\":1},{\"bar\":2},\"baz\"]")).code()).isEqualTo(RegoException.EVAL_TYPE);
    }

    @Test
    void objectRemoveAndFilterAcceptSetsArraysObjectsAndNonStringKeys() throws RegoException {
        Value doc = json("{\"a\":1,\"b\":{\"c\":3},\"d\":4}");
        assertThat(call("object.remove", doc, strings("b", "d"))).isEqualTo(json("{\"a\":1}"));
        assertThat(call("object.remove", doc, json("[\"d\",\"b\"]"))).isEqualTo(json("{\"a\":1}"));
        assertThat(call("object.remove", doc, json("{\"b\":1,\"d\":\"\"}"))).isEqualTo(json("{\"a\":1}"));
        assertThat(call("object.remove", doc, strings("z"))).isEqualTo(doc);
        assertThat(error("object.remove", BooleanValue.FALSE, strings("a")).detail())
                .isEqualTo("object.remove: operand 1 must be object but got boolean");
        assertThat(error("object.remove", json("{\"a\":1}"), str("foo")).detail())
                .isEqualTo("object.remove: operand 2 must be one of {object, set, array} but got string");
        Value nested = json("[[7]]");
        ObjectValue withArrayKey = ObjectValue.builder().put("a", n(1)).put(nested, n(2)).build();
        assertThat(call("object.remove", withArrayKey, set(nested))).isEqualTo(json("{\"a\":1}"));
        assertThat(call("object.filter", withArrayKey, set(nested))).isEqualTo(ObjectValue.builder().put(nested, n(2)).build());

        Value f = json("{\"a\":1,\"b\":2,\"c\":3,\"e\":9}");
        assertThat(call("object.filter", f, strings("a", "e"))).isEqualTo(json("{\"a\":1,\"e\":9}"));
        assertThat(call("object.filter", f, json("{\"a\":\"foo\",\"e\":\"\"}"))).isEqualTo(json("{\"a\":1,\"e\":9}"));
        assertThat(call("object.filter", f, json("[]"))).isEqualTo(json("{}"));
        assertThat(error("object.filter", json("{\"a\":1}"), json("null")).detail())
                .isEqualTo("object.filter: operand 2 must be one of {object, set, array} but got null");
    }

    @Test
    void objectSubsetFollowsOpaRules() throws RegoException {
        Value a = json("{\"a\":5,\"b\":7,\"c\":15,\"nested\":{\"x\":10,\"y\":15,\"z\":20,\"arr1\":[6,7,8,9]}}");
        ObjectValue aWithSet = ObjectValue.builder().put("a", n(5))
                .put("nested", ObjectValue.builder().put("set1", set(n(1), n(2), n(3), n(4))).put("arr1", json("[6,7,8,9]")).build()).build();
        ObjectValue bWithSet = ObjectValue.builder()
                .put("nested", ObjectValue.builder().put("set1", set(n(4), n(1))).put("arr1", json("[6,7]")).build()).build();
        assertThat(call("object.subset", aWithSet, bWithSet)).isEqualTo(BooleanValue.TRUE);
        assertThat(call("object.subset", bWithSet, aWithSet)).isEqualTo(BooleanValue.FALSE);
        assertThat(call("object.subset", a, json("{\"a\":5,\"nested\":{\"x\":10,\"y\":15}}"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("object.subset", a, json("{\"a\":5,\"b\":10}"))).isEqualTo(BooleanValue.FALSE);
        SetValue abc = strings("a", "b", "c");
        assertThat(call("object.subset", set(n(1), n(2), n(3), abc), set(n(3), n(2), abc))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("object.subset", set(n(1), n(2), n(3), abc), set(n(3), strings("a", "b")))).isEqualTo(BooleanValue.FALSE);
        Value arr = json("[1,2,3,4,5,6]");
        assertThat(call("object.subset", arr, json("[3,4,5]"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("object.subset", arr, json("[4,5,6,8]"))).isEqualTo(BooleanValue.FALSE);
        assertThat(call("object.subset", json("[3,4,5]"), arr)).isEqualTo(BooleanValue.FALSE);
        assertThat(call("object.subset", arr, arr)).isEqualTo(BooleanValue.TRUE);
        assertThat(call("object.subset", arr, set(n(4), n(3), n(2)))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("object.subset", arr, set(n(9), n(8)))).isEqualTo(BooleanValue.FALSE);
        assertThat(error("object.subset", set(n(1)), arr).code()).isEqualTo(RegoException.EVAL_TYPE);
    }
}
