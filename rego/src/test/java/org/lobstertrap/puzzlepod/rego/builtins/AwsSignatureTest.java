package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.rego.builtins.JwtBuiltinsTest.call;
import static org.lobstertrap.puzzlepod.rego.builtins.JwtBuiltinsTest.j;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class AwsSignatureTest {
    private static final String CONFIG = "{\"aws_access_key\":\"MYAWSACCESSKEYGOESHERE\",\"aws_secret_access_key\":\"MYAWSSECRETACCESSKEYGOESHERE\","
            + "\"aws_service\":\"s3\",\"aws_region\":\"us-east-1\"";
    private static final Value TIME = j("1451311705000000000");

    private static ObjectValue headers(String request, String config) throws RegoException {
        return (ObjectValue) ((ObjectValue) call("providers.aws.sign_req", j(request), j(config), TIME)).get("headers");
    }

    private static String signature(ObjectValue headers) {
        String auth = ((StringValue) headers.get("Authorization")).value();
        return auth.substring(auth.indexOf("Signature=") + 10);
    }

    @Test
    void signsAGetWithoutBody() throws Exception {
        ObjectValue h = headers("{\"method\":\"get\",\"url\":\"http://example.com\"}", CONFIG + "}");
        assertThat(h.get("Authorization")).isEqualTo(StringValue.of("AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3"));
        assertThat(h.get("x-amz-date")).isEqualTo(StringValue.of("20151228T140825Z"));
        assertThat(h.get("host")).isEqualTo(StringValue.of("example.com"));
    }

    @Test
    void hashesTheRawBodyOrTheJsonBody() throws Exception {
        ObjectValue raw = headers("{\"method\":\"get\",\"url\":\"http://example.com\",\"raw_body\":\"{\\\"example\\\": {1, 2, 3, 4}}\"}", CONFIG + "}");
        assertThat(signature(raw)).isEqualTo("5bf26e169cb8b02330dba39d53932532438fc856c2f10537689a09ed807c7195");
        ObjectValue json = headers("{\"method\":\"get\",\"url\":\"http://example.com\",\"body\":{\"example\":[1,2,3,4]}}", CONFIG + "}");
        assertThat(json.get("x-amz-content-sha256")).isEqualTo(StringValue.of("bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07"));
        assertThat(signature(json)).isEqualTo("5fb06ab1cfd74c8fcb3af95b8cce696708cf6155d971dac10f254d79799c6e88");
    }

    @Test
    void signsTheCallersOwnContentHashHeaderButReturnsTheComputedOne() throws Exception {
        ObjectValue h = headers("{\"method\":\"get\",\"url\":\"https://example.com\",\"headers\":{\"foo\":\"bar\",\"x-amz-content-sha256\":\"existing-value\"},"
                + "\"body\":{\"example\":[1,2,3,4]}}", CONFIG + ",\"disable_payload_signing\":true}");
        assertThat(signature(h)).isEqualTo("edcd3ca3fd3acdfbcecad1a1d8062dbc6562d90352e294c336f9727397f9c383");
        assertThat(h.get("x-amz-content-sha256")).isEqualTo(StringValue.of("UNSIGNED-PAYLOAD"));
        assertThat(h.get("foo")).isEqualTo(StringValue.of("bar"));
    }

    @Test
    void reportsMissingAndMistypedParameters() {
        assertThatThrownBy(() -> headers("{}", CONFIG + "}"))
                .hasMessage("eval_type_error: providers.aws.sign_req: operand 1 missing required request parameters(s): {\"method\", \"url\"}");
        assertThatThrownBy(() -> headers("{\"method\":\"get\",\"url\":\"http://example.com\"}", "{\"aws_access_key\":1,\"aws_secret_access_key\":2,\"aws_service\":3,\"aws_region\":4}"))
                .hasMessageContaining("operand 2 invalid values for required AWS config parameters(s): {\"aws_access_key\", \"aws_region\", \"aws_secret_access_key\", \"aws_service\"}");
        assertThatThrownBy(() -> headers("{\"method\":\"get\",\"url\":\"http://example.com\"}", CONFIG + ",\"disable_payload_signing\":\"false\"}"))
                .hasMessageContaining("invalid value for 'disable_payload_signing' in AWS config");
        assertThatThrownBy(() -> call("providers.aws.sign_req", j("{\"method\":\"get\",\"url\":\"http://example.com\"}"), j(CONFIG + "}"), j("-1000000000")))
                .hasMessageContaining("operand 3 could not convert time_ns value into a unix timestamp");
    }
}
