package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class JwtBuiltinsTest {
    // RFC 7515 appendix A.1 symmetric key
    private static final String OCT_JWK = "{\"kty\":\"oct\",\"k\":\"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow\"}";
    private static final String HS256_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY";

    static Value call(String name, Value... args) throws RegoException { return TextCalls.call(name, args); }

    static Value s(String v) { return StringValue.of(v); }

    static Value j(String json) { return Json.parse(json); }

    @Test
    void decodeReturnsHeaderPayloadAndHexSignature() throws Exception {
        Value r = call("io.jwt.decode", s(HS256_TOKEN));
        assertThat(r).isEqualTo(j("[{\"alg\":\"HS256\",\"typ\":\"JWT\"},{\"iss\":\"opa\",\"sub\":\"0\"},"
                + "\"5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576\"]"));
    }

    @Test
    void decodeReportsMalformedTokensWithOpaWording() {
        assertThatThrownBy(() -> call("io.jwt.decode", s("abc")))
                .hasMessage("eval_builtin_error: io.jwt.decode: encoded JWT had no period separators");
        assertThatThrownBy(() -> call("io.jwt.decode", s("a.b")))
                .hasMessageContaining("encoded JWT must have 3 sections, found 2");
        assertThatThrownBy(() -> call("io.jwt.decode",
                s("eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY")))
                .hasMessageContaining("JWT header had invalid encoding: illegal base64 data at input byte 13");
        assertThatThrownBy(() -> call("io.jwt.decode",
                s("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImVuYyI6ImJsYWgifQ.eyJuZXciOiJJIGFtIGEgdXNlciBjcmVhdGVkIGZpZWxkIiwiaXNzIjoib3BhIn0.McGUb1e-UviZKy6UyQErNNQzEUgeV25Buwk7OHOa8U8")))
                .hasMessageContaining("JWT is a JWE object, which is not supported");
        assertThatThrownBy(() -> call("io.jwt.decode", s(1 + "")))
                .isInstanceOf(RegoException.class);
    }

    @Test
    void encodeSignRawMatchesRfc7515AppendixA1() throws Exception {
        Value r = call("io.jwt.encode_sign_raw", s("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"),
                s("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"), s(OCT_JWK));
        assertThat(r).isEqualTo(s("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void encodeSignSerialisesObjectsLikeGoAndTurnsSetsIntoArrays() throws Exception {
        Value payload = org.lobstertrap.puzzlepod.rego.value.ObjectValue.builder()
                .put("aud", org.lobstertrap.puzzlepod.rego.value.SetValue.of(s("saul"), s("bob")))
                .put("exp", j("1300819380")).put("http://example.com/is_root", BooleanValue.TRUE).put("iss", s("joe"))
                .put("privateParams", j("{\"private_one\":\"one\",\"private_two\":\"two\"}")).build();
        Value r = call("io.jwt.encode_sign", j("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"), payload, j(OCT_JWK));
        assertThat(r).isEqualTo(s("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOlsiYm9iIiwic2F1bCJdLCJleHAiOjEzMDA4MTkzODAsImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlLCJpc3MiOiJqb2UiLCJwcml2YXRlUGFyYW1zIjp7InByaXZhdGVfb25lIjoib25lIiwicHJpdmF0ZV90d28iOiJ0d28ifX0.-Or2eol8bzly-Ztb0v7_7UkcKBkN_aNNpK33HK0MeOY"));
    }

    @Test
    void encodeSignRejectsBadHeadersAndPayloads() {
        assertThatThrownBy(() -> call("io.jwt.encode_sign_raw", s("{\"alg\":\"dummy\"}"), s("{}"), s(OCT_JWK)))
                .hasMessageContaining("unknown signature algorithm");
        assertThatThrownBy(() -> call("io.jwt.encode_sign_raw", s("{}"), s("{}"), s(OCT_JWK)))
                .hasMessageContaining("unsupported signature algorithm");
        assertThatThrownBy(() -> call("io.jwt.encode_sign_raw", s(""), s("{}"), s(OCT_JWK)))
                .hasMessageContaining("unexpected end of JSON input");
        assertThatThrownBy(() -> call("io.jwt.encode_sign_raw", s("e"), s("{}"), s(OCT_JWK)))
                .hasMessageContaining("invalid character");
        assertThatThrownBy(() -> call("io.jwt.encode_sign_raw", s("{\"typ\":\"JWT\",\"alg\":\"HS256\"}"), s("e"), s(OCT_JWK)))
                .hasMessageContaining("type is JWT but payload is not JSON");
    }

    @Test
    void plainTextPayloadIsSignedWhenTypeIsNotJwt() throws Exception {
        Value r = call("io.jwt.encode_sign_raw", s("{\"typ\":\"text/plain\",\r\n \"alg\":\"HS256\"}"), s("e"), s(OCT_JWK));
        assertThat(r).isEqualTo(s("eyJ0eXAiOiJ0ZXh0L3BsYWluIiwNCiAiYWxnIjoiSFMyNTYifQ.ZQ.oO8Vnc4Jv7-J231a1bEcQrgXfKbNW-kEvVY7BP1v5rM"));
    }

    @Test
    void verifyHsChecksTheMac() throws Exception {
        String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyIjoiYWxpY2UiLCJhenAiOiJhbGljZSIsInN1Ym9yZGluYXRlcyI6W10sImhyIjpmYWxzZX0.rz3jTY033z-NrKfwrK89_dcLF7TN4gwCMj-fVBDyLoM";
        assertThat(call("io.jwt.verify_hs256", s(token), s("secret"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("io.jwt.verify_hs256", s(token), s("wrong"))).isEqualTo(BooleanValue.FALSE);
        assertThat(call("io.jwt.verify_hs512", s(token), s("secret"))).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void rsaPssAndEcdsaRoundTripThroughJwkAndPemKeys() throws Exception {
        KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
        rsaGen.initialize(2048);
        KeyPair rsa = rsaGen.generateKeyPair();
        KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
        ecGen.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair ec = ecGen.generateKeyPair();
        String rsaPrivate = X509Json.rsaJwk((RSAPrivateCrtKey) rsa.getPrivate()).toJson();
        RSAPublicKey rsaPub = (RSAPublicKey) rsa.getPublic();
        String rsaPublicJwk = "{\"kty\":\"RSA\",\"n\":\"" + Jose.b64Big(rsaPub.getModulus()) + "\",\"e\":\"" + Jose.b64Big(rsaPub.getPublicExponent()) + "\"}";
        String rsaPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsaPub.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        ECPublicKey ecPub = (ECPublicKey) ec.getPublic();
        java.security.interfaces.ECPrivateKey ecPriv = (java.security.interfaces.ECPrivateKey) ec.getPrivate();
        String ecPrivateJwk = "{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"" + Jose.b64Big(ecPub.getW().getAffineX()) + "\",\"y\":\""
                + Jose.b64Big(ecPub.getW().getAffineY()) + "\",\"d\":\"" + Jose.b64Big(ecPriv.getS()) + "\"}";
        String ecPublicJwk = ecPrivateJwk.replaceAll(",\"d\":\"[^\"]*\"", "");

        for (String alg : new String[] {"RS256", "RS512", "PS256", "PS384"}) {
            String token = ((StringValue) call("io.jwt.encode_sign_raw", s("{\"alg\":\"" + alg + "\"}"), s("{\"iss\":\"x\"}"), s(rsaPrivate))).value();
            String fn = "io.jwt.verify_" + alg.toLowerCase();
            assertThat(call(fn, s(token), s(rsaPublicJwk))).as(alg + " via JWK").isEqualTo(BooleanValue.TRUE);
            assertThat(call(fn, s(token), s(rsaPem))).as(alg + " via PEM").isEqualTo(BooleanValue.TRUE);
            String tampered = token.substring(0, token.lastIndexOf('.')) + ".AAAA" + token.substring(token.lastIndexOf('.') + 5);
            assertThat(call(fn, s(tampered), s(rsaPem))).as(alg + " tampered").isEqualTo(BooleanValue.FALSE);
        }
        String es = ((StringValue) call("io.jwt.encode_sign_raw", s("{\"alg\":\"ES384\"}"), s("{\"iss\":\"x\"}"), s(ecPrivateJwk))).value();
        assertThat(call("io.jwt.verify_es384", s(es), s(ecPublicJwk))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("io.jwt.verify_es384", s(es), s(rsaPublicJwk))).isEqualTo(BooleanValue.FALSE);
        Value dv = call("io.jwt.decode_verify", s(es), j("{\"cert\":" + Json.write(s(ecPublicJwk)) + ",\"iss\":\"x\"}"));
        assertThat(((ArrayValue) dv).get(0)).isEqualTo(BooleanValue.TRUE);
    }

    @Test
    void verifyReportsUnusableKeyMaterial() {
        assertThatThrownBy(() -> call("io.jwt.verify_rs256", s(HS256_TOKEN), s("{\"kty\":\"bogus key type\"}")))
                .hasMessageContaining("failed to parse a JWK key (set)");
        assertThatThrownBy(() -> call("io.jwt.verify_rs256", s(HS256_TOKEN), s("-----BEGIN CERT-----\nAAAA\n-----END CERT-----")))
                .hasMessageContaining("failed to extract a Key from the PEM certificate");
        assertThatThrownBy(() -> call("io.jwt.verify_rs256", s(HS256_TOKEN), s("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\nEXTRA")))
                .hasMessageContaining("extra data after a PEM certificate block");
        assertThatThrownBy(() -> call("io.jwt.verify_rs256", s(HS256_TOKEN), s("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")))
                .hasMessageContaining("failed to parse a PEM certificate");
    }

    @Test
    void decodeVerifyComparesTimesInSecondsWithOpaRounding() throws Exception {
        // nbf 1589385770.1234 (as 1.5893857701234e+09 in the token)
        String nbf = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ4eHgiLCJuYmYiOjEuNTg5Mzg1NzcwMTIzNGUrMDl9.lvrsV1nam-BZr0SomWwsr4dBfu6BDrR2FzQ1iS_Xnrw";
        assertThat(verified(nbf, "{\"secret\":\"secret\",\"time\":1589385770123400000}")).isTrue();
        assertThat(verified(nbf, "{\"secret\":\"secret\",\"time\":1589385770023400000}")).isFalse();
        // exp 1589385771.1234: equal time is already expired
        String exp = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjEuNTg5Mzg1NzcxMTIzNGUrMDksImlzcyI6Inh4eCJ9.PZ2z6VfHt9YdvHHUbilkTnw4R9TK3_V0LV1h-q0k9xg";
        assertThat(verified(exp, "{\"secret\":\"secret\",\"time\":1589385771023400000}")).isTrue();
        assertThat(verified(exp, "{\"secret\":\"secret\",\"time\":1589385771123400000}")).isFalse();
        assertThat(verified(exp, "{\"secret\":\"secret\",\"time\":1589385770123400000,\"iss\":\"yyy\"}")).isFalse();
        assertThat(verified(exp, "{\"secret\":\"secret\",\"time\":1589385770123400000,\"aud\":\"someone\"}")).isFalse();
        assertThat(verified(exp, "{\"secret\":\"secret\",\"time\":1589385770123400000,\"alg\":\"RS256\"}")).isFalse();
    }

    @Test
    void decodeVerifyRejectsBadConstraintsAndClaims() throws Exception {
        assertThatThrownBy(() -> call("io.jwt.decode_verify", s(HS256_TOKEN), j("{}")))
                .hasMessageContaining("no key constraint");
        assertThatThrownBy(() -> call("io.jwt.decode_verify", s(HS256_TOKEN), j("{\"secret\":\"a\",\"bogus\":1}")))
                .hasMessageContaining("unknown token validation constraint: bogus");
        String badExp = ((StringValue) call("io.jwt.encode_sign", j("{\"alg\":\"HS256\"}"), j("{\"exp\":null}"),
                j("{\"kty\":\"oct\",\"k\":\"NDI\"}"))).value();
        assertThatThrownBy(() -> call("io.jwt.decode_verify", s(badExp), j("{\"secret\":\"42\"}")))
                .hasMessageContaining("exp value must be a number");
    }

    private static boolean verified(String token, String constraints) throws RegoException {
        Value r = call("io.jwt.decode_verify", s(token), j(constraints));
        return ((BooleanValue) ((ArrayValue) r).get(0)).value();
    }
}
