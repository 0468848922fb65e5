package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.call;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.json;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.str;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class CryptoUuidBuiltinsTest {
    private static final String MESSAGE = "åäöçß\uD83E\uDD72♙Ω", KEY = "秘密の";

    @Test
    void digests() throws RegoException {
        assertThat(call("crypto.md5", str("lorem ipsum"))).isEqualTo(str("80a751fde577028640c419000e33eba6"));
        assertThat(call("crypto.sha1", str("lorem ipsum"))).isEqualTo(str("bfb7759a67daeb65410490b4d98bb9da7d1ea2ce"));
        assertThat(call("crypto.sha256", str("lorem ipsum"))).isEqualTo(str("5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269"));
    }

    @Test
    void hmacs() throws RegoException {
        assertThat(call("crypto.hmac.md5", str("foo"), str("bar"))).isEqualTo(str("31b6db9e5eb4addb42f1a6ca07367adc"));
        assertThat(call("crypto.hmac.md5", str(MESSAGE), str(KEY))).isEqualTo(str("20a8743c2157ac60b7e8b79c83651b8d"));
        assertThat(call("crypto.hmac.sha1", str(MESSAGE), str(KEY))).isEqualTo(str("81759c39013935fcf0de833d44c8018d7c1455dd"));
        assertThat(call("crypto.hmac.sha256", str("foo"), str("bar"))).isEqualTo(str("147933218aaabc0b8b10a2b3a5c34684c8d94341bcf10a4736dc7270f7741851"));
        assertThat(call("crypto.hmac.sha256", str(MESSAGE), str(KEY))).isEqualTo(str("eb90daeb76d4b2571fbdaf94bbb240809faa8fed93ec0c260dd38c3fdf8d963a"));
        assertThat(call("crypto.hmac.sha512", str(MESSAGE), str(KEY))).isEqualTo(str(
                "192f5afded233d6e21427aa26ed267ac118cfa2971013d91cbed530c0b208d78138b83dfe1d6cc3553d7bd518f22a481402c723028e1279d1ffbe8f11ea6b125"));
        assertThat(call("crypto.hmac.sha256", str("foo"), str(""))).isEqualTo(call("crypto.hmac.sha256", str("foo"), str("\0")));
        assertThat(call("crypto.hmac.equal", str("31b6db9e5eb4addb42f1a6ca07367adc"), str("31b6db9e5eb4addb42f1a6ca07367adc"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("crypto.hmac.equal", str("31b6db9e5eb4addb42f1a6ca07367adc"), str("31b6db9e5eb4addb"))).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void uuidParse() throws RegoException {
        Value v4 = json("{\"variant\":\"RFC4122\",\"version\":4}");
        assertThat(call("uuid.parse", str("00000000-0000-4000-8000-000000000000"))).isEqualTo(v4);
        assertThat(call("uuid.parse", str("{00000000-0000-4000-8000-000000000000}"))).isEqualTo(v4);
        assertThat(call("uuid.parse", str("6bea8ef2d3d33cd184e09bab06a52ece"))).isEqualTo(json("{\"variant\":\"RFC4122\",\"version\":3}"));
        Value v2 = json("{\"clocksequence\":12800,\"domain\":\"Person\",\"id\":1000,\"macvariables\":\"local:unicast\","
                + "\"nodeid\":\"32-50-96-b3-9f-47\",\"time\":1693566990121469600,\"variant\":\"RFC4122\",\"version\":2}");
        assertThat(call("uuid.parse", str("000003e8-48b9-21ee-b200-325096b39f47"))).isEqualTo(v2);
        assertThat(call("uuid.parse", str("urn:uuid:000003e8-48b9-21ee-b200-325096b39f47"))).isEqualTo(v2);
        assertThat(call("uuid.parse", NumberValue.of(123))).isNull();
        assertThat(call("uuid.parse", str("not-a-uuid"))).isNull();
        assertThat(call("uuid.parse", str("0000000g-0000-4000-8000-000000000000"))).isNull();
    }

    @Test
    void uuidRfc4122IsStableWithinAQueryAndVersion4() throws RegoException {
        BuiltinSpec spec = BuiltinRegistry.standard().lookup("uuid.rfc4122");
        assertThat(spec.nondeterministic()).isTrue();
        BuiltinContext ctx = BuiltinContext.simple();
        Value a = spec.fn().call(ctx, new Value[] {str("x")});
        assertThat(spec.fn().call(ctx, new Value[] {str("x")})).isEqualTo(a);
        assertThat(spec.fn().call(ctx, new Value[] {str("y")})).isNotEqualTo(a);
        assertThat(((StringValue) a).value()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(call("uuid.parse", a)).isEqualTo(json("{\"variant\":\"RFC4122\",\"version\":4}"));
    }
}
