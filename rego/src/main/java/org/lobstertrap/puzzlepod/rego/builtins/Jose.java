package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * JOSE plumbing for the token builtins: JWS algorithms (HS/RS/PS/ES 256–512) with the JDK's providers,
 * JWK and JWK Set parsing, and key extraction from PEM certificates and public keys.
 */
final class Jose {
    private Jose() {}

    /** A key or signature problem, with the message OPA reports. */
    static final class JoseException extends Exception {
        JoseException(String message) { super(message); }
    }

    /** A JWS algorithm: its family and hash. */
    enum Alg {
        HS256("HS", "SHA-256"), HS384("HS", "SHA-384"), HS512("HS", "SHA-512"),
        RS256("RS", "SHA-256"), RS384("RS", "SHA-384"), RS512("RS", "SHA-512"),
        PS256("PS", "SHA-256"), PS384("PS", "SHA-384"), PS512("PS", "SHA-512"),
        ES256("ES", "SHA-256"), ES384("ES", "SHA-384"), ES512("ES", "SHA-512");

        final String family;
        final String hash;

        Alg(String family, String hash) { this.family = family; this.hash = hash; }

        static Alg byName(String name) {
            for (Alg a : values()) if (a.name().equals(name)) return a;
            return null;
        }
    }

    /** A key to check signatures with; {@code alg} and {@code kid} come from a JWK (null otherwise). */
    record VerificationKey(String alg, String kid, Object key) {}

    /** A parsed JWK: its declared type and the materialised key (PublicKey, PrivateKey or byte[] secret). */
    record Jwk(String kty, String alg, String kid, Object key) {}

    // ---- keys ----

    /** OPA's getKeysFromCertOrJWK: one PEM certificate or public key, else a JWK or JWK Set. */
    static List<VerificationKey> keysFromCertOrJwk(String text) throws JoseException {
        Pem.Block block = Pem.decode(text);
        if (block != null) {
            if (!block.rest().isEmpty()) throw new JoseException("extra data after a PEM certificate block");
            if (block.type().equals("CERTIFICATE")) {
                try {
                    var cert = CertificateFactory.getInstance("X.509")
                            .generateCertificate(new java.io.ByteArrayInputStream(block.bytes()));
                    return List.of(new VerificationKey(null, null, cert.getPublicKey()));
                } catch (GeneralSecurityException | RuntimeException e) {
                    throw new JoseException("failed to parse a PEM certificate: " + message(e));
                }
            }
            if (block.type().equals("PUBLIC KEY")) {
                try {
                    return List.of(new VerificationKey(null, null, publicKeyFromSpki(block.bytes())));
                } catch (GeneralSecurityException e) {
                    throw new JoseException("failed to parse a PEM public key: " + message(e));
                }
            }
            throw new JoseException("failed to extract a Key from the PEM certificate");
        }
        List<Jwk> jwks;
        try {
            jwks = parseJwks(text);
        } catch (JoseException e) {
            throw new JoseException("failed to parse a JWK key (set): " + e.getMessage());
        }
        List<VerificationKey> keys = new ArrayList<>();
        for (Jwk k : jwks) keys.add(new VerificationKey(k.alg(), k.kid(), k.key()));
        return keys;
    }

    static java.security.PublicKey publicKeyFromSpki(byte[] spki) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String type : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static String message(Exception e) { return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(); }

    /** A JWK or a JWK Set ({"keys": [...]}) in JSON text. */
    static List<Jwk> parseJwks(String json) throws JoseException {
        Value v;
        try {
            v = org.lobstertrap.puzzlepod.rego.value.Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new JoseException("failed to unmarshal JWK: " + e.getMessage());
        }
        if (!(v instanceof ObjectValue o)) throw new JoseException("failed to unmarshal JWK: not a JSON object");
        List<Jwk> out = new ArrayList<>();
        Value keys = o.get("keys");
        if (keys != null) {
            if (!(keys instanceof org.lobstertrap.puzzlepod.rego.value.ArrayValue arr))
                throw new JoseException("failed to unmarshal JWK set: keys must be an array");
            for (Value k : arr.asList()) {
                if (!(k instanceof ObjectValue ko)) throw new JoseException("failed to unmarshal JWK: not a JSON object");
                out.add(parseJwk(ko));
            }
        } else {
            out.add(parseJwk(o));
        }
        return out;
    }

    static Jwk parseJwk(ObjectValue o) throws JoseException {
        String kty = str(o, "kty");
        if (kty == null) throw new JoseException("failed to unmarshal JWK: missing kty");
        String alg = str(o, "alg");
        String kid = str(o, "kid");
        try {
            Object key = switch (kty) {
                case "RSA" -> rsaKey(o);
                case "EC" -> ecKey(o);
                case "oct" -> {
                    byte[] k = b64(o, "k");
                    if (k == null) throw new JoseException("failed to construct symmetric key: missing k");
                    yield k;
                }
                default -> throw new JoseException("invalid key type: " + kty);
            };
            return new Jwk(kty, alg, kid, key);
        } catch (GeneralSecurityException e) {
            throw new JoseException("failed to materialize " + kty + " key: " + message(e));
        }
    }

    private static Object rsaKey(ObjectValue o) throws JoseException, GeneralSecurityException {
        BigInteger n = big(o, "n"), e = big(o, "e");
        if (n == null || e == null) throw new JoseException("failed to construct RSA key: missing n or e");
        BigInteger d = big(o, "d");
        KeyFactory kf = KeyFactory.getInstance("RSA");
        if (d == null) return kf.generatePublic(new RSAPublicKeySpec(n, e));
        BigInteger p = big(o, "p"), q = big(o, "q"), dp = big(o, "dp"), dq = big(o, "dq"), qi = big(o, "qi");
        if (p != null && q != null && dp != null && dq != null && qi != null)
            return kf.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qi));
        return kf.generatePrivate(new RSAPrivateKeySpec(n, d));
    }

    private static Object ecKey(ObjectValue o) throws JoseException, GeneralSecurityException {
        String crv = str(o, "crv");
        ECParameterSpec params = curve(crv);
        if (params == null) throw new JoseException("failed to construct EC key: unsupported curve " + crv);
        BigInteger d = big(o, "d");
        KeyFactory kf = KeyFactory.getInstance("EC");
        if (d != null) return kf.generatePrivate(new ECPrivateKeySpec(d, params));
        BigInteger x = big(o, "x"), y = big(o, "y");
        if (x == null || y == null) throw new JoseException("failed to construct EC key: missing x or y");
        return kf.generatePublic(new ECPublicKeySpec(new ECPoint(x, y), params));
    }

    static ECParameterSpec curve(String crv) throws GeneralSecurityException {
        String std = crv == null ? null : switch (crv) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> null;
        };
        if (std == null) return null;
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
        ap.init(new ECGenParameterSpec(std));
        return ap.getParameterSpec(ECParameterSpec.class);
    }

    private static String str(ObjectValue o, String k) {
        return o.get(k) instanceof StringValue s ? s.value() : null;
    }

    private static byte[] b64(ObjectValue o, String k) throws JoseException {
        String s = str(o, k);
        if (s == null) return null;
        try {
            String t = s.replace('+', '-').replace('/', '_');
            while (t.endsWith("=")) t = t.substring(0, t.length() - 1);
            return java.util.Base64.getUrlDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw new JoseException("failed to decode " + k + ": " + e.getMessage());
        }
    }

    private static BigInteger big(ObjectValue o, String k) throws JoseException {
        byte[] b = b64(o, k);
        return b == null ? null : new BigInteger(1, b);
    }

    // ---- signatures ----

    /** Checks a JWS signature; a wrong key type or a bad signature is simply false. */
    static boolean verify(Alg alg, Object key, byte[] signingInput, byte[] sig) {
        try {
            return switch (alg.family) {
                case "HS" -> key instanceof byte[] secret
                        && MessageDigest.isEqual(hmac(alg, secret, signingInput), sig);
                case "RS" -> {
                    if (!(key instanceof RSAPublicKey pk)) yield false;
                    Signature s = Signature.getInstance(alg.hash.replace("-", "") + "withRSA");
                    s.initVerify(pk);
                    s.update(signingInput);
                    yield s.verify(sig);
                }
                case "PS" -> key instanceof RSAPublicKey pk && verifyPss(alg, pk, signingInput, sig);
                case "ES" -> key instanceof ECPublicKey pk && verifyEs(alg, pk, signingInput, sig);
                default -> false;
            };
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    static byte[] hmac(Alg alg, byte[] secret, byte[] data) throws GeneralSecurityException {
        String name = "Hmac" + alg.hash.replace("-", "");
        Mac mac = Mac.getInstance(name);
        // an empty HMAC key is legal in Go; the JDK refuses it, so use a single zero byte (same HMAC result)
        mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, name));
        return mac.doFinal(data);
    }

    static byte[] digest(Alg alg, byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance(alg.hash).digest(data);
    }

    // RSASSA-PSS verification with the salt length recovered from the encoding (Go's PSSSaltLengthAuto);
    // the JDK's verifier insists on one fixed salt length.
    private static boolean verifyPss(Alg alg, RSAPublicKey pk, byte[] input, byte[] sig) throws GeneralSecurityException {
        BigInteger n = pk.getModulus();
        int k = (n.bitLength() + 7) / 8;
        if (sig.length != k) return false;
        BigInteger s = new BigInteger(1, sig);
        if (s.compareTo(n) >= 0) return false;
        BigInteger m = s.modPow(pk.getPublicExponent(), n);
        int emBits = n.bitLength() - 1;
        int emLen = (emBits + 7) / 8;
        byte[] em = unsigned(m, emLen);
        if (em == null) return false;
        byte[] mHash = digest(alg, input);
        int hLen = mHash.length;
        if (emLen < hLen + 2 || em[emLen - 1] != (byte) 0xbc) return false;
        int dbLen = emLen - hLen - 1;
        byte[] db = java.util.Arrays.copyOfRange(em, 0, dbLen);
        byte[] h = java.util.Arrays.copyOfRange(em, dbLen, dbLen + hLen);
        int topBits = 8 * emLen - emBits;
        int topMask = 0xff >>> topBits;
        if ((db[0] & ~topMask & 0xff) != 0) return false;
        byte[] mask = mgf1(alg, h, dbLen);
        for (int i = 0; i < dbLen; i++) db[i] ^= mask[i];
        db[0] &= (byte) topMask;
        int i = 0;
        while (i < dbLen && db[i] == 0) i++;
        if (i == dbLen || db[i] != 1) return false;
        byte[] salt = java.util.Arrays.copyOfRange(db, i + 1, dbLen);
        MessageDigest md = MessageDigest.getInstance(alg.hash);
        md.update(new byte[8]);
        md.update(mHash);
        md.update(salt);
        return MessageDigest.isEqual(md.digest(), h);
    }

    private static byte[] mgf1(Alg alg, byte[] seed, int len) throws GeneralSecurityException {
        MessageDigest md = MessageDigest.getInstance(alg.hash);
        byte[] out = new byte[len];
        int pos = 0;
        for (int counter = 0; pos < len; counter++) {
            md.update(seed);
            md.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter});
            byte[] d = md.digest();
            int n = Math.min(d.length, len - pos);
            System.arraycopy(d, 0, out, pos, n);
            pos += n;
        }
        return out;
    }

    // Go splits the signature in two halves (r, s) and checks the token's hash whatever the curve.
    private static boolean verifyEs(Alg alg, ECPublicKey pk, byte[] input, byte[] sig) throws GeneralSecurityException {
        if (sig.length == 0 || sig.length % 2 != 0) return false;
        int half = sig.length / 2;
        BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, half));
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, half, sig.length));
        byte[] der = Der.encode(Der.SEQUENCE, Der.concat(
                Der.encode(Der.INTEGER, r.toByteArray()), Der.encode(Der.INTEGER, s.toByteArray())));
        Signature v = Signature.getInstance("NONEwithECDSA");
        v.initVerify(pk);
        v.update(digest(alg, input));
        return v.verify(der);
    }

    /** Signs a JWS signing input; the key must suit the algorithm. */
    static byte[] sign(Alg alg, Object key, byte[] input) throws JoseException {
        try {
            switch (alg.family) {
                case "HS" -> {
                    if (!(key instanceof byte[] secret)) throw new JoseException("invalid key type for " + alg + ": want a symmetric key");
                    return hmac(alg, secret, input);
                }
                case "RS" -> {
                    if (!(key instanceof RSAPrivateKey pk)) throw new JoseException("invalid key type for " + alg + ": want an RSA private key");
                    Signature s = Signature.getInstance(alg.hash.replace("-", "") + "withRSA");
                    s.initSign(pk);
                    s.update(input);
                    return s.sign();
                }
                case "PS" -> {
                    if (!(key instanceof RSAPrivateKey pk)) throw new JoseException("invalid key type for " + alg + ": want an RSA private key");
                    Signature s = Signature.getInstance("RSASSA-PSS");
                    int hLen = MessageDigest.getInstance(alg.hash).getDigestLength();
                    s.setParameter(new PSSParameterSpec(alg.hash, "MGF1", new MGF1ParameterSpec(alg.hash), hLen, 1));
                    s.initSign(pk);
                    s.update(input);
                    return s.sign();
                }
                case "ES" -> {
                    if (!(key instanceof ECPrivateKey pk)) throw new JoseException("invalid key type for " + alg + ": want an EC private key");
                    Signature s = Signature.getInstance(alg.hash.replace("-", "") + "withECDSAinP1363Format");
                    s.initSign(pk);
                    s.update(input);
                    return s.sign();
                }
                default -> throw new JoseException("unsupported signature algorithm");
            }
        } catch (GeneralSecurityException e) {
            throw new JoseException("failed to sign payload: " + message(e));
        }
    }

    private static byte[] unsigned(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        if (b.length == len) return b;
        if (b.length == len + 1 && b[0] == 0) return java.util.Arrays.copyOfRange(b, 1, b.length);
        if (b.length > len) return null;
        byte[] out = new byte[len];
        System.arraycopy(b, 0, out, len - b.length, b.length);
        return out;
    }

    /** Big-endian unsigned magnitude as base64url without padding (the JWK number form). */
    static String b64Big(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) b = java.util.Arrays.copyOfRange(b, 1, b.length);
        return GoBase64.encodeRawUrl(b);
    }
}
