package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lobstertrap.puzzlepod.rego.builtins.JwtBuiltinsTest.call;
import static org.lobstertrap.puzzlepod.rego.builtins.JwtBuiltinsTest.j;
import static org.lobstertrap.puzzlepod.rego.builtins.JwtBuiltinsTest.s;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class X509BuiltinsTest {
    // A three-certificate test chain (root first, leaf last) with EC keys, valid 2021-07-05 .. 2031-06-29.
    static final String CHAIN = """
            -----BEGIN CERTIFICATE-----
            MIIBoDCCAUagAwIBAgIRAJXcMYZALXooNq/VV/grXhMwCgYIKoZIzj0EAwIwLjER
            MA8GA1UEChMIT1BBIFRlc3QxGTAXBgNVBAMTEE9QQSBUZXN0IFJvb3QgQ0EwHhcN
            MjEwNzAxMTc0MTUzWhcNMzEwNjI5MTc0MTUzWjAuMREwDwYDVQQKEwhPUEEgVGVz
            dDEZMBcGA1UEAxMQT1BBIFRlc3QgUm9vdCBDQTBZMBMGByqGSM49AgEGCCqGSM49
            AwEHA0IABFqhdZA5LjsJgzsBvhgzfayZFOk+C7PmGCi7xz6zOC3xWORJZSNOyZeJ
            YzSKFmoMZkcFMfslTW1jp9fwe1xl3HWjRTBDMA4GA1UdDwEB/wQEAwIBBjASBgNV
            HRMBAf8ECDAGAQH/AgEBMB0GA1UdDgQWBBTch60qxQvLl+AfDfcaXmjvT8GvpzAK
            BggqhkjOPQQDAgNIADBFAiBqraIP0l2U0oNuH0+rf36hDks94wSB5EGlGH3lYNMR
            ugIhANkbukX5hOP8pJDRWP/pYuv6MBnRY4BS8gpp9Vu31qOb
            -----END CERTIFICATE-----
            -----BEGIN CERTIFICATE-----
            MIIByDCCAW6gAwIBAgIQC0k4DPGrh9me73EJX5zntTAKBggqhkjOPQQDAjAuMREw
            DwYDVQQKEwhPUEEgVGVzdDEZMBcGA1UEAxMQT1BBIFRlc3QgUm9vdCBDQTAeFw0y
            MTA3MDExNzQxNTNaFw0zMTA2MjkxNzQxNTNaMDYxETAPBgNVBAoTCE9QQSBUZXN0
            MSEwHwYDVQQDExhPUEEgVGVzdCBJbnRlcm1lZGlhdGUgQ0EwWTATBgcqhkjOPQIB
            BggqhkjOPQMBBwNCAARvXQa7fy476gDI81nqLYb2SnD459WxBmU0hk2bA3ZuNtI+
            H20KXz6ISmxH3MZ2WBm6rOy7y4Gn+WMCJuxzcl5jo2YwZDAOBgNVHQ8BAf8EBAMC
            AQYwEgYDVR0TAQH/BAgwBgEB/wIBADAdBgNVHQ4EFgQUuslZNjJl0V8I1Gj17IID
            ALy/9WEwHwYDVR0jBBgwFoAU3IetKsULy5fgHw33Gl5o70/Br6cwCgYIKoZIzj0E
            AwIDSAAwRQIgUwsYApW9Tsm6AstWswaKGie0srB4FUkUbfKwWmUI2JgCIQCBTySN
            MF+EiQAMKyz/N9KUuXEckC356WvKcyJaYYcV0w==
            -----END CERTIFICATE-----
            -----BEGIN CERTIFICATE-----
            MIIB8zCCAZqgAwIBAgIRAID4gPKg7DDiuOfzUYFSXLAwCgYIKoZIzj0EAwIwNjER
            MA8GA1UEChMIT1BBIFRlc3QxITAfBgNVBAMTGE9QQSBUZXN0IEludGVybWVkaWF0
            ZSBDQTAeFw0yMTA3MDUxNzQ5NTBaFw0zNjA3MDExNzQ5NDdaMCUxIzAhBgNVBAMT
            Gm5vdGFyZWFsc2l0ZS5vcGEubG9jYWxob3N0MFkwEwYHKoZIzj0CAQYIKoZIzj0D
            AQcDQgAE1YSXZXeaGGL+XeYyoPi/QdA39Ds4fgxSHJTMh+js393kByPm2PNtFkem
            tUii3KCRJw3SEh3z0JWr/9y4+ua2L6OBmTCBljAOBgNVHQ8BAf8EBAMCB4AwHQYD
            VR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCMB0GA1UdDgQWBBRL0P0g17viZHo9
            CnXe3ZQJm48LXTAfBgNVHSMEGDAWgBS6yVk2MmXRXwjUaPXsggMAvL/1YTAlBgNV
            HREEHjAcghpub3RhcmVhbHNpdGUub3BhLmxvY2FsaG9zdDAKBggqhkjOPQQDAgNH
            ADBEAiAtmZewL94ijN0YwUGaJM9BXCaoTQPwkzugqjCj+K912QIgKKFvbPu4asrE
            nwy7dzejHmQUcZ/aUNbc4VTbiv15ESk=
            -----END CERTIFICATE-----
            """;
    private static final String CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIICmDCCAYACAQAwUzELMAkGA1UEBhMCVVMxFDASBgNVBAMMC2V4YW1wbGUuY29t\nMQowCAYDVQQHDAEgMQowCAYDVQQKDAEgMQowCAYDVQQIDAEgMQowCAYDVQQLDAEg\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2ZdhmshDAU0XbxgNMFAk\nxGVBschwVok9upASfUX08TYj0VkWEq6+fzgNvdPJwz6meP9g/MaFhOaou6huPHfo\nSU9J7QbMnzRKlsEIO3htC5AKw9v2fWUdjBA/vCWYuu5iG5e7mPsWZ7uplnTfRzC8\nRK+K+Yrm4D84q5lty4C3KkQsAcSLPfOL1s/b2rWmJGAhWsRkghMY6WwskuXYtH59\nG9yUDGQHhjZkpqedV49C8sCp1O/YZoSHgp7G+BbhTmkNBG678VGDJeNpwHozvtcU\nrASFDRxZxOu1GG17/QbUoR5Ud93piKZSE6PuCSeBs/TBaIsvpPknuXd9r8Xj/mWy\nkQIDAQABoAAwDQYJKoZIhvcNAQELBQADggEBAAx2dh+d1MBhL0h2XfIqh5Dc/eaj\nSLZtaMMiIcXup/zQ9vxCWJFeHf3s0Iuyb0Hd2VMgPRaO2uddcbYtQe+2gYKkO1LX\nBtwPqw0Xp0yAvt51G2ofeBl+EkJm697FSmzh8x2IdQAJC3Z/Q8WLVhw4X6ZUbrxj\n2gN2fiXcKDJledqH1cexYUonyKH6nln0o43QKD8YRdoa5Qjor1oBdcwRM04T38jM\nWPwwbYN3kTODkKbiQUUlUxVn6qge9MMktsINZG4x65Bb0ilStq1Ed07f96eglsJh\nYTOUFvid6UJEDpBsr8rdTNImIBHBvI+kPGKajqo7gEMsxEbCdzaGQ3YfsXY=\n-----END CERTIFICATE REQUEST-----";
    // 2025-01-01T00:00:00Z in nanoseconds: inside every certificate's validity
    private static final String AT_2025 = "1735689600000000000";

    @Test
    void parsesCertificatesIntoGoShapedObjects() throws Exception {
        ArrayValue certs = (ArrayValue) call("crypto.x509.parse_certificates", s(CHAIN));
        assertThat(certs.size()).isEqualTo(3);
        ObjectValue root = (ObjectValue) certs.get(0);
        assertThat(((ObjectValue) root.get("Subject")).get("CommonName")).isEqualTo(s("OPA Test Root CA"));
        assertThat(((ObjectValue) root.get("Subject")).get("Organization")).isEqualTo(j("[\"OPA Test\"]"));
        assertThat(root.get("IsCA")).isEqualTo(BooleanValue.TRUE);
        assertThat(root.get("MaxPathLen")).isEqualTo(j("1"));
        assertThat(root.get("KeyUsage")).isEqualTo(j("96")); // certSign | CRLSign
        assertThat(root.get("NotBefore")).isEqualTo(s("2021-07-01T17:41:53Z"));
        assertThat(root.get("Version")).isEqualTo(j("3"));
        assertThat(root.get("SignatureAlgorithm")).isEqualTo(j("10")); // ECDSAWithSHA256
        assertThat(root.get("PublicKeyAlgorithm")).isEqualTo(j("3"));
        ObjectValue leaf = (ObjectValue) certs.get(2);
        assertThat(leaf.get("DNSNames")).isEqualTo(j("[\"notarealsite.opa.localhost\"]"));
        assertThat(leaf.get("ExtKeyUsage")).isEqualTo(j("[1,2]"));
        assertThat(leaf.get("URIStrings")).isEqualTo(NullValue.INSTANCE);
        assertThat(leaf.get("IsCA")).isEqualTo(BooleanValue.FALSE);
        // the same certificates given as base64 of the PEM text
        String b64 = Base64.getEncoder().encodeToString(CHAIN.getBytes(StandardCharsets.UTF_8));
        assertThat(call("crypto.x509.parse_certificates", s(b64))).isEqualTo(certs);
    }

    @Test
    void rejectsNonCertificatesWithGoMessages() {
        assertThatThrownBy(() -> call("crypto.x509.parse_certificates", s("foobar")))
                .hasMessageContaining("illegal base64 data at input byte 4");
        assertThatThrownBy(() -> call("crypto.x509.parse_certificates", s("YmFkc3RyaW5n")))
                .hasMessageContaining("x509: malformed certificate");
    }

    @Test
    void verifiesAChainRootFirstAndReturnsItLeafFirst() throws Exception {
        Value r = call("crypto.x509.parse_and_verify_certificates_with_options", s(CHAIN), j("{\"CurrentTime\":" + AT_2025 + "}"));
        ArrayValue result = (ArrayValue) r;
        assertThat(result.get(0)).isEqualTo(BooleanValue.TRUE);
        ArrayValue chain = (ArrayValue) result.get(1);
        assertThat(((ObjectValue) ((ObjectValue) chain.get(0)).get("Subject")).get("CommonName")).isEqualTo(s("notarealsite.opa.localhost"));
        assertThat(((ObjectValue) ((ObjectValue) chain.get(2)).get("Subject")).get("CommonName")).isEqualTo(s("OPA Test Root CA"));
    }

    @Test
    void refusesBrokenChainsExpiredChainsAndWrongHosts() throws Exception {
        Value invalid = j("[false, []]");
        String[] parts = CHAIN.split("(?<=-----END CERTIFICATE-----\n)");
        String withoutIntermediate = parts[0] + parts[2];
        assertThat(call("crypto.x509.parse_and_verify_certificates_with_options", s(withoutIntermediate), j("{\"CurrentTime\":" + AT_2025 + "}")))
                .isEqualTo(invalid);
        assertThat(call("crypto.x509.parse_and_verify_certificates_with_options", s(CHAIN), j("{\"CurrentTime\":1000000000000000000}")))
                .isEqualTo(invalid);
        assertThat(call("crypto.x509.parse_and_verify_certificates_with_options", s(CHAIN),
                j("{\"CurrentTime\":" + AT_2025 + ",\"DNSName\":\"example.com\"}"))).isEqualTo(invalid);
        assertThat(call("crypto.x509.parse_and_verify_certificates_with_options", s(CHAIN),
                j("{\"CurrentTime\":" + AT_2025 + ",\"KeyUsages\":[\"KeyUsageCodeSigning\"]}"))).isEqualTo(invalid);
        assertThat(call("crypto.x509.parse_and_verify_certificates", s(parts[0]))).isEqualTo(invalid);
        assertThatThrownBy(() -> call("crypto.x509.parse_and_verify_certificates_with_options", s(CHAIN), j("{\"Bogus\":1}")))
                .hasMessageContaining("invalid key option");
    }

    @Test
    void parsesCertificateRequests() throws Exception {
        ObjectValue csr = (ObjectValue) call("crypto.x509.parse_certificate_request", s(CSR));
        assertThat(((ObjectValue) csr.get("Subject")).get("CommonName")).isEqualTo(s("example.com"));
        assertThat(((ObjectValue) csr.get("Subject")).get("Country")).isEqualTo(j("[\"US\"]"));
        assertThat(csr.get("PublicKeyAlgorithm")).isEqualTo(j("1"));
        assertThatThrownBy(() -> call("crypto.x509.parse_certificate_request", s("YmFkc3RyaW5n")))
                .hasMessageContaining("asn1: structure error");
    }

    @Test
    void rsaPrivateKeysBecomeJwksAndGoKeyObjects() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(1024);
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) gen.generateKeyPair().getPrivate();
        BigInteger[] parts = {BigInteger.ZERO, key.getModulus(), key.getPublicExponent(), key.getPrivateExponent(), key.getPrimeP(),
                key.getPrimeQ(), key.getPrimeExponentP(), key.getPrimeExponentQ(), key.getCrtCoefficient()};
        byte[][] ints = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) ints[i] = Der.encode(Der.INTEGER, parts[i].toByteArray());
        String pkcs1 = pem("RSA PRIVATE KEY", Der.encode(Der.SEQUENCE, Der.concat(ints)));
        String pkcs8 = pem("PRIVATE KEY", key.getEncoded());
        Value jwk = call("crypto.x509.parse_rsa_private_key", s(pkcs1));
        assertThat(jwk).isEqualTo(X509Json.rsaJwk(key));
        assertThat(((ObjectValue) jwk).get("e")).isEqualTo(s("AQAB"));
        assertThat(call("crypto.x509.parse_rsa_private_key", s(pkcs8))).isEqualTo(jwk);
        assertThatThrownBy(() -> call("crypto.x509.parse_rsa_private_key", s("invalid"))).hasMessageContaining("illegal base64");

        ArrayValue keys = (ArrayValue) call("crypto.parse_private_keys", s(pkcs1 + pkcs8));
        assertThat(keys.size()).isEqualTo(2);
        assertThat(((ObjectValue) keys.get(0)).get("E")).isEqualTo(j("65537"));
        assertThat(call("crypto.parse_private_keys", s("nope"))).isEqualTo(ArrayValue.EMPTY);
        assertThat(call("crypto.parse_private_keys", s(""))).isEqualTo(NullValue.INSTANCE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
