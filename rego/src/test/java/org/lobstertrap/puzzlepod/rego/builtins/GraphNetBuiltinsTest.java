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

class GraphNetBuiltinsTest {
    private static ObjectValue graph(String... pairs) {
        ObjectValue.Builder b = ObjectValue.builder();
        for (int i = 0; i < pairs.length; i += 2) b.put(pairs[i], json(pairs[i + 1]));
        return b.build();
    }

    private static SetValue paths(String... jsonArrays) {
        SetValue.Builder b = SetValue.builder();
        for (String p : jsonArrays) b.add(json(p));
        return b.build();
    }

    @Test
    void reachable() throws RegoException {
        ObjectValue cycle = graph("a", "[\"b\"]", "b", "[\"c\"]", "c", "[\"a\"]");
        assertThat(call("graph.reachable", ObjectValue.EMPTY, strings("a"))).isEqualTo(SetValue.EMPTY);
        assertThat(call("graph.reachable", cycle, json("[\"a\"]"))).isEqualTo(strings("a", "b", "c"));
        ObjectValue components = graph("a", "[\"b\",\"c\"]", "b", "[\"d\"]", "c", "[\"d\"]", "d", "[]",
                "e", "[\"f\"]", "f", "[\"e\"]", "x", "[\"x\"]");
        assertThat(call("graph.reachable", components, strings("b", "e"))).isEqualTo(strings("b", "d", "e", "f"));
        assertThat(call("graph.reachable", graph("a", "null"), json("[\"a\"]"))).isEqualTo(strings("a"));
        assertThat(error("graph.reachable", NumberValue.of(1), json("[1]")).code()).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(error("graph.reachable", graph("a", "[]"), str("a")).code()).isEqualTo(RegoException.EVAL_TYPE);
    }

    @Test
    void reachablePathsMatchOpaIncludingCycles() throws RegoException {
        assertThat(call("graph.reachable_paths", ObjectValue.EMPTY, strings("a"))).isEqualTo(SetValue.EMPTY);
        assertThat(call("graph.reachable_paths", graph("a", "[\"b\"]", "b", "[\"c\"]", "c", "[\"a\"]"), strings("a")))
                .isEqualTo(paths("[\"a\",\"b\",\"c\"]"));
        assertThat(call("graph.reachable_paths", graph("a", "[\"b\",\"c\"]", "b", "[\"c\"]", "c", "[]"), strings("a")))
                .isEqualTo(paths("[\"a\",\"b\",\"c\"]", "[\"a\",\"c\"]"));
        assertThat(call("graph.reachable_paths", graph("a", "[\"b\"]", "b", "[\"nonexistent\"]"), strings("a", "b")))
                .isEqualTo(paths("[\"a\",\"b\"]", "[\"b\"]"));
        assertThat(call("graph.reachable_paths", graph("a", "null"), json("[\"a\"]"))).isEqualTo(paths("[\"a\"]"));
        ObjectValue g = graph("one", "[\"two\",\"five\"]", "two", "[\"four\"]", "three", "[\"\"]", "four", "[\"three\"]",
                "five", "[\"seven\",\"six\"]", "six", "[\"nine\",\"seven\"]", "seven", "[\"eight\"]", "eight", "[\"three\"]", "nine", "[\"\"]");
        assertThat(call("graph.reachable_paths", g, strings("one"))).isEqualTo(paths(
                "[\"one\",\"five\",\"seven\",\"eight\",\"three\"]", "[\"one\",\"five\",\"six\"]",
                "[\"one\",\"five\",\"six\",\"nine\"]", "[\"one\",\"two\",\"four\",\"three\"]"));
    }

    private static Value contains(String a, String b) throws RegoException { return call("net.cidr_contains", str(a), str(b)); }

    @Test
    void cidrContainsAndIntersects() throws RegoException {
        assertThat(contains("10.0.0.0/8", "10.1.0.0/24")).isEqualTo(BooleanValue.TRUE);
        assertThat(contains("172.17.0.0/24", "172.17.0.0/16")).isEqualTo(BooleanValue.FALSE);
        assertThat(contains("10.0.0.0/8", "192.168.1.0/24")).isEqualTo(BooleanValue.FALSE);
        assertThat(contains("10.0.0.0/8", "10.1.2.3")).isEqualTo(BooleanValue.TRUE);
        assertThat(contains("2001:4860:4860::8888/32", "2001:4860:4860:1234::8888/40")).isEqualTo(BooleanValue.TRUE);
        assertThat(contains("2001:4860:4860::8888/32", "2001:4860:4860:1234:5678:1234:5678:8888/128")).isEqualTo(BooleanValue.TRUE);
        assertThat(contains("2001:4860::/96", "2001:4860::/32")).isEqualTo(BooleanValue.FALSE);
        assertThat(contains("2001:4860::/32", "fd1e:5bfe:8af3:9ddc::/64")).isEqualTo(BooleanValue.FALSE);
        assertThat(error("net.cidr_contains", str("not-a-cidr"), str("192.168.1.67")).detail())
                .isEqualTo("net.cidr_contains: invalid CIDR address: not-a-cidr");
        assertThat(error("net.cidr_contains", str("192.168.1.0/28"), str("not-a-cidr")).code()).isEqualTo(RegoException.BUILTIN);
        assertThat(call("net.cidr_intersects", str("192.168.1.0/25"), str("192.168.1.64/25"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("net.cidr_intersects", str("192.168.1.0/24"), str("192.168.2.0/24"))).isEqualTo(BooleanValue.FALSE);
        assertThat(call("net.cidr_intersects", str("fd1e:5bfe:8af3:9ddc::/64"), str("fd1e:5bfe:8af3:9ddc:1111::/72"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("net.cidr_intersects", str("fd1e:5bfe:8af3:9ddc::/64"), str("2001:4860:4860::8888/32"))).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void cidrValidityAndExpansion() throws RegoException {
        assertThat(call("net.cidr_is_valid", str("192.168.1.0/24"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("net.cidr_is_valid", str("2002::1234:abcd:ffff:c0a8:101/64"))).isEqualTo(BooleanValue.TRUE);
        for (String bad : new String[] {"", "there goes a string", "192.168.1.2", "192.168.1.1/33", "1.2.3/8", "01.2.3.4/8", "1:2::3::4/64"})
            assertThat(call("net.cidr_is_valid", str(bad))).as(bad).isEqualTo(BooleanValue.FALSE);
        assertThat(call("net.cidr_expand", str("192.168.1.1/30"))).isEqualTo(strings("192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"));
        assertThat(call("net.cidr_expand", str("172.16.100.255/30")))
                .isEqualTo(strings("172.16.100.252", "172.16.100.253", "172.16.100.254", "172.16.100.255"));
        assertThat(call("net.cidr_expand", str("192.168.1.1/32"))).isEqualTo(strings("192.168.1.1"));
        assertThat(call("net.cidr_expand", str("fe80::/126"))).isEqualTo(strings("fe80::", "fe80::1", "fe80::2", "fe80::3"));
        assertThat(error("net.cidr_expand", str("192.168.1.1/33")).detail()).isEqualTo("net.cidr_expand: invalid CIDR address: 192.168.1.1/33");
        assertThat(error("net.cidr_expand", str("10.0.0.0/8")).code()).isEqualTo(RegoException.BUILTIN);
    }

    private static Value merge(String jsonArray) throws RegoException { return call("net.cidr_merge", json(jsonArray)); }

    @Test
    void cidrMerge() throws RegoException {
        assertThat(merge("[\"192.0.128.0/24\",\"192.0.128.0/24\"]")).isEqualTo(json("[\"192.0.128.0/24\"]"));
        assertThat(merge("[\"192.0.128.0/24\",\"0.0.0.0/0\"]")).isEqualTo(json("[\"0.0.0.0/0\"]"));
        assertThat(merge("[\"192.0.128.0/24\",\"192.0.129.0/24\"]")).isEqualTo(json("[\"192.0.128.0/23\"]"));
        assertThat(merge("[\"192.0.129.0/24\",\"192.0.130.0/24\"]")).isEqualTo(json("[\"192.0.129.0/24\",\"192.0.130.0/24\"]"));
        assertThat(merge("[\"192.0.2.112/30\",\"192.0.2.116/31\",\"192.0.2.118/31\"]")).isEqualTo(json("[\"192.0.2.112/29\"]"));
        assertThat(merge("[\"192.0.2.112/31\",\"192.0.2.116/31\",\"192.0.2.118/31\"]")).isEqualTo(json("[\"192.0.2.112/31\",\"192.0.2.116/30\"]"));
        StringBuilder many = new StringBuilder("[\"192.0.1.254/31\"");
        for (int i = 0; i < 256; i += 16) many.append(",\"192.0.2.").append(i).append("/28\"");
        many.append(",\"192.0.3.0/28\"]");
        assertThat(merge(many.toString())).isEqualTo(json("[\"192.0.1.254/31\",\"192.0.2.0/24\",\"192.0.3.0/28\"]"));
        assertThat(merge("[\"::/0\",\"::192.0.2.0/124\",\"ff00::101/128\"]")).isEqualTo(json("[\"::/0\"]"));
        assertThat(merge("[\"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64\",\"2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128\"]"))
                .isEqualTo(json("[\"2601:600:8a80:207e::/64\"]"));
        assertThat(merge("[\"fe80::/120\",\"192.0.2.0/24\",\"192.0.3.0/24\",\"192.0.4.0/25\",\"192.0.4.128/25\"]"))
                .isEqualTo(json("[\"192.0.2.0/23\",\"192.0.4.0/24\",\"fe80::/120\"]"));
        assertThat(merge("[\"192.0.2.112\",\"192.0.2.116/31\",\"192.0.2.118/31\"]")).isEqualTo(json("[\"192.0.2.0/24\"]"));
        assertThat(merge("[\"192.0.128.0\",\"192.0.129.0\"]")).isEqualTo(json("[\"192.0.128.0/23\"]"));
        assertThat(merge("[]")).isEqualTo(json("[]"));
        assertThat(error("net.cidr_merge", json("[\"2601:600:8a80:207e:a57d:7567:e2c9:e7b3\"]")).toString())
                .isEqualTo("eval_builtin_error: net.cidr_merge: IPv6 invalid: needs prefix length");
        assertThat(error("net.cidr_merge", json("[\"foo\"]")).code()).isEqualTo(RegoException.BUILTIN);
    }

    @Test
    void cidrContainsMatches() throws RegoException {
        String fn = "net.cidr_contains_matches";
        assertThat(call(fn, str("1.1.1.0/24"), str("1.1.1.1"))).isEqualTo(set(json("[\"1.1.1.0/24\",\"1.1.1.1\"]")));
        assertThat(call(fn, json("[\"1.1.2.0/24\",\"1.1.1.0/24\"]"), json("[\"1.1.1.1\",\"1.1.2.1\"]"))).isEqualTo(set(json("[0,1]"), json("[1,0]")));
        assertThat(call(fn, json("[[\"1.1.2.0/24\",1],\"1.1.1.0/24\"]"), json("[\"1.1.1.1\",\"1.1.2.1\"]"))).isEqualTo(set(json("[0,1]"), json("[1,0]")));
        assertThat(call(fn, set(json("[\"1.1.1.0/24\",\"bar\"]"), json("[\"1.1.2.0/24\",\"foo\"]")),
                set(json("[\"1.1.1.1\",\"baz\"]"), json("[\"1.1.2.1\",\"qux\"]"))))
                .isEqualTo(set(json("[[\"1.1.1.0/24\",\"bar\"],[\"1.1.1.1\",\"baz\"]]"), json("[[\"1.1.2.0/24\",\"foo\"],[\"1.1.2.1\",\"qux\"]]")));
        assertThat(call(fn, json("{\"k1\":\"1.1.1.1/24\",\"k2\":[\"1.1.1.2/24\",1]}"), str("1.1.1.128")))
                .isEqualTo(set(json("[\"k1\",\"1.1.1.128\"]"), json("[\"k2\",\"1.1.1.128\"]")));
        RegoException e = error(fn, json("[\"1.1.2.0/24\"]"), json("[\"1.1.1.1\",1]"));
        assertThat(e.toString()).isEqualTo("eval_builtin_error: net.cidr_contains_matches: operand 2: element must be string or non-empty array");
        assertThat(error(fn, json("[\"1.1.2.0/24\"]"), set(ArrayValue.EMPTY)).code()).isEqualTo(RegoException.BUILTIN);
    }

    @Test
    void networkAccessIsRefused() throws RegoException {
        assertThat(error("net.lookup_ip_addr", str("example.org")).code()).isEqualTo(RegoException.BUILTIN);
        assertThat(call("net.lookup_ip_addr", str("10.0.0.0"))).isEqualTo(strings("10.0.0.0"));
        assertThat(call("net.lookup_ip_addr", str("::"))).isEqualTo(strings("::"));
        assertThat(call("net.lookup_ip_addr", str("0:0::ffff:10.1.2.3"))).isEqualTo(strings("10.1.2.3"));
        assertThat(call("net.lookup_ip_addr", str("localhost"))).isEqualTo(strings("127.0.0.1", "::1"));
        RegoException invalid = error("http.send", json("{\"bad_key\":\"bad_value\",\"method\":\"get\",\"url\":\"http://127.0.0.1:51113\"}"));
        assertThat(invalid.code()).isEqualTo(RegoException.EVAL_TYPE);
        assertThat(invalid.detail()).isEqualTo("http.send: invalid request parameters(s): {\"bad_key\"}");
        assertThat(error("http.send", json("{\"method\":\"get\"}")).detail())
                .isEqualTo("http.send: missing required request parameters(s): {\"url\"}");
        assertThat(error("http.send", json("{\"method\":\"get\",\"url\":\"http://127.0.0.1:1\"}")).code()).isEqualTo(RegoException.BUILTIN);
    }
}
