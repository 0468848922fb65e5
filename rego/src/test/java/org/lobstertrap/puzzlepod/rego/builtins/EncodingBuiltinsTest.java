package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.call;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.error;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.json;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.str;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.strings;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;

class EncodingBuiltinsTest {
    @Test
    void base64() throws RegoException {
        assertThat(call("base64.encode", str("hello"))).isEqualTo(str("aGVsbG8="));
        assertThat(call("base64.encode", str("subjects?_d"))).isEqualTo(str("c3ViamVjdHM/X2Q="));
        assertThat(call("base64.decode", str("dGhlcmU="))).isEqualTo(str("there"));
        assertThat(call("base64.decode", str("c3ViamVj\r\ndHM/X2Q="))).isEqualTo(str("subjects?_d"));
        assertThat(call("base64.is_valid", str("aGVsbG8="))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("base64.is_valid", str("{'not':'base64'}"))).isEqualTo(BooleanValue.FALSE);
        // Go's offsets: the first bad byte, or the end when padding is missing.
        assertThat(error("base64.decode", str("aGVsbG8")).detail()).isEqualTo("base64.decode: illegal base64 data at input byte 4");
        assertThat(error("base64.decode", str("aG!s")).detail()).isEqualTo("base64.decode: illegal base64 data at input byte 2");
        assertThat(error("base64.decode", str("aGVsbG8=x")).detail()).isEqualTo("base64.decode: illegal base64 data at input byte 8");
        assertThat(error("base64.decode", str("a===")).detail()).isEqualTo("base64.decode: illegal base64 data at input byte 1");
    }

    @Test
    void base64MatchesTheJdkOnRandomBytes() throws RegoException {
        Random rnd = new Random(42);
        for (int len = 0; len < 64; len++) {
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) b[i] = (byte) (' ' + rnd.nextInt(95));
            String s = new String(b, StandardCharsets.US_ASCII);
            String std = Base64.getEncoder().encodeToString(b);
            assertThat(call("base64.encode", str(s))).isEqualTo(str(std));
            assertThat(call("base64.decode", str(std))).isEqualTo(str(s));
            String raw = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            assertThat(call("base64url.encode_no_pad", str(s))).isEqualTo(str(raw));
            assertThat(call("base64url.decode", str(raw))).isEqualTo(str(s));
        }
    }

    @Test
    void base64url() throws RegoException {
        assertThat(call("base64url.encode", str("hello"))).isEqualTo(str("aGVsbG8="));
        assertThat(call("base64url.encode_no_pad", str("there"))).isEqualTo(str("dGhlcmU"));
        assertThat(call("base64url.decode", str("aGVsbG8="))).isEqualTo(str("hello"));
        assertThat(call("base64url.decode", str("aGVsbG8"))).isEqualTo(str("hello"));
        assertThat(error("base64url.decode", str("aGVsb")).detail()).isEqualTo("base64url.decode: illegal base64url string: aGVsb");
    }

    @Test
    void hex() throws RegoException {
        assertThat(call("hex.encode", str("lorem ipsum"))).isEqualTo(str("6c6f72656d20697073756d"));
        assertThat(call("hex.decode", str("6c6f72656d20697073756d"))).isEqualTo(str("lorem ipsum"));
        RegoException e = error("hex.decode", str("fghijkl"));
        assertThat(e.code()).isEqualTo(RegoException.BUILTIN);
        assertThat(e.detail()).isEqualTo("hex.decode: encoding/hex: invalid byte: U+0067 'g'");
        assertThat(error("hex.decode", str("abc")).detail()).isEqualTo("hex.decode: encoding/hex: odd length hex string");
    }

    @Test
    void urlQuery() throws RegoException {
        assertThat(call("urlquery.encode", str("a=b+1"))).isEqualTo(str("a%3Db%2B1"));
        assertThat(call("urlquery.encode", str("a b~é"))).isEqualTo(str("a+b~%C3%A9"));
        assertThat(call("urlquery.encode", str(""))).isEqualTo(str(""));
        assertThat(call("urlquery.decode", str("a%3Db%2B1+x"))).isEqualTo(str("a=b+1 x"));
        assertThat(error("urlquery.decode", str("a%zz")).detail()).isEqualTo("urlquery.decode: invalid URL escape \"%zz\"");
        assertThat(call("urlquery.encode_object", ObjectValue.EMPTY)).isEqualTo(str(""));
        assertThat(call("urlquery.encode_object", json("{\"a\":\"b\",\"c\":\"d\"}"))).isEqualTo(str("a=b&c=d"));
        assertThat(call("urlquery.encode_object", json("{\"a\":[\"b+1\",\"c+2\"]}"))).isEqualTo(str("a=b%2B1&a=c%2B2"));
        assertThat(call("urlquery.encode_object", ObjectValue.builder().put("a", strings("b+1")).build())).isEqualTo(str("a=b%2B1"));
        assertThat(call("urlquery.decode_object", str("a=value_a1&b=value_b&a=value_a2")))
                .isEqualTo(json("{\"a\":[\"value_a1\",\"value_a2\"],\"b\":[\"value_b\"]}"));
        assertThat(call("urlquery.decode_object", str("a=value_a1&b"))).isEqualTo(json("{\"a\":[\"value_a1\"],\"b\":[\"\"]}"));
        assertThat(call("urlquery.decode_object", str(""))).isEqualTo(json("{}"));
    }
}
