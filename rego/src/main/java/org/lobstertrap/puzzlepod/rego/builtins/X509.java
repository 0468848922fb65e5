package org.lobstertrap.puzzlepod.rego.builtins;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.builtins.Der.DerException;
import org.lobstertrap.puzzlepod.rego.builtins.X509Json.Cert;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Certificate and key builtins: {@code crypto.x509.parse_certificates},
 * {@code parse_and_verify_certificates(_with_options)}, {@code parse_certificate_request},
 * {@code parse_keypair}, {@code parse_rsa_private_key} and {@code crypto.parse_private_keys}.
 * Inputs are PEM text, or base64 of PEM or DER, as in OPA.
 */
final class X509 {
    private X509() {}

    static void register(BuiltinRegistry r) {
        r.register("crypto.x509.parse_certificates", 1, (ctx, a) -> {
            String fn = "crypto.x509.parse_certificates";
            List<Value> out = new ArrayList<>();
            for (Cert c : certificates(fn, Args.string(fn, a, 0))) out.add(c.json());
            return ArrayValue.of(out);
        });
        r.register("crypto.x509.parse_and_verify_certificates", 1, (ctx, a) ->
                parseAndVerify(ctx, "crypto.x509.parse_and_verify_certificates", Args.string("crypto.x509.parse_and_verify_certificates", a, 0), null));
        r.register("crypto.x509.parse_and_verify_certificates_with_options", 2, (ctx, a) -> {
            String fn = "crypto.x509.parse_and_verify_certificates_with_options";
            return parseAndVerify(ctx, fn, Args.string(fn, a, 0), Args.object(fn, a, 1));
        });
        r.register("crypto.x509.parse_certificate_request", 1, X509::certificateRequest);
        r.register("crypto.x509.parse_keypair", 2, X509::keyPair);
        r.register("crypto.x509.parse_rsa_private_key", 1, X509::rsaPrivateKey);
        r.register("crypto.parse_private_keys", 1, X509::privateKeys);
    }

    // ---- input forms ----

    private static byte[] stdBase64(String fn, String s) throws RegoException {
        try {
            return GoBase64.decodeStd(s);
        } catch (GoBase64.CorruptInput e) {
            throw RegoException.builtin(fn, e.getMessage());
        }
    }

    private static boolean isPem(byte[] b) {
        return new String(b, 0, Math.min(b.length, 10), StandardCharsets.ISO_8859_1).equals("-----BEGIN");
    }

    /** All CERTIFICATE blocks of PEM text, or the certificates of a DER sequence. */
    static List<Cert> certificates(String fn, String input) throws RegoException {
        byte[] data = input.startsWith("-----BEGIN") ? input.getBytes(StandardCharsets.UTF_8) : stdBase64(fn, input);
        List<byte[]> ders = new ArrayList<>();
        if (isPem(data)) {
            String rest = new String(data, StandardCharsets.UTF_8);
            for (Pem.Block b = Pem.decode(rest); b != null; b = Pem.decode(b.rest())) {
                if (!b.type().equals("CERTIFICATE"))
                    throw RegoException.builtin(fn, "PEM block type is '" + b.type() + "', expected CERTIFICATE");
                ders.add(b.bytes());
            }
        } else {
            // concatenated DER certificates
            int p = 0;
            try {
                while (p < data.length) {
                    Der d = Der.read(data, p, data.length);
                    ders.add(java.util.Arrays.copyOfRange(data, p, d.end));
                    p = d.end;
                }
            } catch (DerException e) {
                throw RegoException.builtin(fn, "x509: malformed certificate");
            }
        }
        List<Cert> out = new ArrayList<>();
        for (byte[] der : ders) {
            try {
                out.add(X509Json.certificate(der));
            } catch (DerException | RuntimeException e) {
                throw RegoException.builtin(fn, "x509: malformed certificate");
            }
        }
        return out;
    }

    // ---- chain verification ----

    private static final Value INVALID = ArrayValue.of(BooleanValue.FALSE, ArrayValue.EMPTY);

    private static Value parseAndVerify(BuiltinContext ctx, String fn, String input, ObjectValue options) throws RegoException {
        Instant now = Instant.ofEpochSecond(0, ctx.timeNowNs());
        String dnsName = "";
        List<String> usages = List.of(X509Json.EXT_KEY_USAGE_NAMES.get("KeyUsageServerAuth"));
        if (options != null) {
            for (Value k : options.sortedKeys()) {
                String key = k instanceof StringValue s ? s.value() : k.toJson();
                Value v = options.get(k);
                switch (key) {
                    case "DNSName" -> {
                        if (!(v instanceof StringValue s)) throw RegoException.builtin(fn, "'DNSName' should be a string");
                        dnsName = s.value();
                    }
                    case "CurrentTime" -> {
                        if (!(v instanceof NumberValue n) || n.bigIntegerOrNull() == null)
                            throw RegoException.builtin(fn, "'CurrentTime' should be a valid int64 number");
                        now = Instant.ofEpochSecond(0, n.longValue());
                    }
                    case "MaxConstraintComparisons" -> {
                        if (!(v instanceof NumberValue)) throw RegoException.builtin(fn, "'MaxConstraintComparisons' should be a valid number");
                    }
                    case "KeyUsages" -> {
                        List<String> u = new ArrayList<>();
                        if (!(v instanceof ArrayValue || v instanceof org.lobstertrap.puzzlepod.rego.value.SetValue))
                            throw RegoException.builtin(fn, "'KeyUsages' should be an Array or Set");
                        Iterable<Value> items = v instanceof ArrayValue arr ? arr.asList() : (org.lobstertrap.puzzlepod.rego.value.SetValue) v;
                        for (Value e : items) {
                            String oid = e instanceof StringValue s ? X509Json.EXT_KEY_USAGE_NAMES.get(s.value()) : null;
                            if (oid == null) throw RegoException.builtin(fn, "invalid entries for 'KeyUsages' found: " + e);
                            u.add(oid);
                        }
                        usages = u;
                    }
                    default -> throw RegoException.builtin(fn, "invalid key option");
                }
            }
        }
        List<Cert> certs;
        try {
            certs = certificates(fn, input);
        } catch (RegoException e) {
            return INVALID;
        }
        List<Cert> chain = verifyChain(certs, now, dnsName, usages);
        if (chain == null) return INVALID;
        List<Value> out = new ArrayList<>();
        for (Cert c : chain) out.add(c.json());
        return ArrayValue.of(BooleanValue.TRUE, ArrayValue.of(out));
    }

    /**
     * OPA's convention: the first certificate is the root, the last the leaf, the others intermediates.
     * Returns the chain leaf-first, or null when it does not verify.
     */
    static List<Cert> verifyChain(List<Cert> certs, Instant now, String dnsName, List<String> usages) {
        if (certs.size() < 2) return null;
        Cert root = certs.get(0);
        Cert leaf = certs.get(certs.size() - 1);
        List<Cert> pool = new ArrayList<>(certs.subList(1, certs.size() - 1));
        if (!dnsName.isEmpty() && !matchesHost(leaf, dnsName)) return null;
        List<Cert> chain = new ArrayList<>();
        chain.add(leaf);
        Cert current = leaf;
        for (int depth = 0; depth <= certs.size(); depth++) {
            if (!validAt(current, now)) return null;
            if (signedBy(current, root)) {
                if (!validAt(root, now) || !isCaOrSelf(root, current)) return null;
                if (current != root) chain.add(root);
                return usagesOk(chain, usages) ? chain : null;
            }
            Cert next = null;
            for (Cert c : pool) {
                if (c != current && c.basicConstraintsValid() && c.isCa() && signedBy(current, c)) { next = c; break; }
            }
            if (next == null) return null;
            pool.remove(next);
            chain.add(next);
            current = next;
        }
        return null;
    }

    private static boolean isCaOrSelf(Cert issuer, Cert subject) {
        return issuer == subject || (issuer.basicConstraintsValid() && issuer.isCa()) || issuer.jdk().getVersion() < 3;
    }

    private static boolean validAt(Cert c, Instant now) {
        return !now.isBefore(X509Json.instant(c.notBefore())) && !now.isAfter(X509Json.instant(c.notAfter()));
    }

    private static boolean signedBy(Cert child, Cert issuer) {
        if (!java.util.Arrays.equals(child.rawIssuer(), issuer.rawSubject())) return false;
        try {
            child.jdk().verify(issuer.jdk().getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    // Go checks the requested extended key usages along the whole chain (a cert without EKU allows all)
    private static boolean usagesOk(List<Cert> chain, List<String> usages) {
        String any = X509Json.EXT_KEY_USAGE_NAMES.get("KeyUsageAny");
        if (usages.contains(any)) return true;
        for (Cert c : chain) {
            List<String> eku = c.extKeyUsageOids();
            if (eku.isEmpty() || eku.contains(any)) continue;
            boolean ok = false;
            for (String u : usages) if (eku.contains(u)) { ok = true; break; }
            if (!ok) return false;
        }
        return true;
    }

    private static boolean matchesHost(Cert leaf, String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        for (String name : leaf.dnsNames()) {
            String n = name.toLowerCase(java.util.Locale.ROOT);
            if (n.equals(h)) return true;
            if (n.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(n.substring(1))) return true;
        }
        return false;
    }

    // ---- certificate requests ----

    private static Value certificateRequest(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "crypto.x509.parse_certificate_request";
        String input = Args.string(fn, a, 0);
        byte[] data = input.startsWith("-----BEGIN") ? input.getBytes(StandardCharsets.UTF_8) : stdBase64(fn, input);
        if (isPem(data)) {
            Pem.Block b = Pem.decode(new String(data, StandardCharsets.UTF_8));
            if (b == null) throw RegoException.builtin(fn, "failed to parse a PEM certificate request");
            data = b.bytes();
        }
        try {
            return X509Json.certificateRequest(data);
        } catch (DerException | RuntimeException e) {
            throw RegoException.builtin(fn, "asn1: structure error: " + e.getMessage());
        }
    }

    // ---- private keys ----

    /** A private key from one PEM block (PKCS#1 RSA, PKCS#8, SEC 1 EC). */
    private static PrivateKey privateKey(Pem.Block b) throws GeneralSecurityException, DerException {
        return switch (b.type()) {
            case "RSA PRIVATE KEY" -> {
                List<Der> f = Der.parse(b.bytes()).expect(Der.SEQUENCE).children();
                if (f.size() < 9) throw new DerException("PKCS#1 private key too short");
                yield KeyFactory.getInstance("RSA").generatePrivate(new java.security.spec.RSAPrivateCrtKeySpec(
                        f.get(1).integer(), f.get(2).integer(), f.get(3).integer(), f.get(4).integer(),
                        f.get(5).integer(), f.get(6).integer(), f.get(7).integer(), f.get(8).integer()));
            }
            case "PRIVATE KEY" -> {
                GeneralSecurityException last = null;
                for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
                    try {
                        yield KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(b.bytes()));
                    } catch (GeneralSecurityException e) {
                        last = e;
                    }
                }
                throw last;
            }
            case "EC PRIVATE KEY" -> {
                List<Der> f = Der.parse(b.bytes()).expect(Der.SEQUENCE).children();
                java.math.BigInteger d = new java.math.BigInteger(1, f.get(1).value());
                String curveOid = null;
                for (Der x : f) if (x.contextTag() == 0) curveOid = x.children().get(0).oid();
                String crv = curveOid == null ? null : switch (curveOid) {
                    case "1.2.840.10045.3.1.7" -> "P-256";
                    case "1.3.132.0.34" -> "P-384";
                    case "1.3.132.0.35" -> "P-521";
                    default -> null;
                };
                var params = Jose.curve(crv);
                if (params == null) throw new DerException("unknown elliptic curve");
                yield KeyFactory.getInstance("EC").generatePrivate(new java.security.spec.ECPrivateKeySpec(d, params));
            }
            default -> null;
        };
    }

    private static Value rsaPrivateKey(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "crypto.x509.parse_rsa_private_key";
        String input = Args.string(fn, a, 0);
        String pem = input.startsWith("-----BEGIN") ? input : new String(stdBase64(fn, input), StandardCharsets.UTF_8);
        Pem.Block b = Pem.decode(pem);
        if (b == null) throw RegoException.builtin(fn, "failed to parse PEM block containing the key");
        if (!b.type().equals("RSA PRIVATE KEY") && !b.type().equals("PRIVATE KEY"))
            throw RegoException.builtin(fn, "PEM block type is '" + b.type() + "', expected RSA PRIVATE KEY");
        try {
            if (privateKey(b) instanceof RSAPrivateCrtKey k) return X509Json.rsaJwk(k);
            throw RegoException.builtin(fn, "x509: private key is not an RSA key");
        } catch (GeneralSecurityException | DerException | RuntimeException e) {
            throw RegoException.builtin(fn, "x509: failed to parse private key: " + e.getMessage());
        }
    }

    private static Value privateKeys(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "crypto.parse_private_keys";
        String input = Args.string(fn, a, 0);
        if (input.isEmpty()) return NullValue.INSTANCE;
        try {
            input = new String(GoBase64.decodeStd(input), StandardCharsets.UTF_8);
        } catch (GoBase64.CorruptInput e) {
            // not base64: PEM text as given
        }
        List<Value> out = new ArrayList<>();
        for (Pem.Block b = Pem.decode(input); b != null; b = Pem.decode(b.rest())) {
            try {
                PrivateKey k = privateKey(b);
                if (k != null) out.add(X509Json.privateKey(k));
            } catch (GeneralSecurityException | DerException | RuntimeException e) {
                throw RegoException.builtin(fn, "x509: failed to parse private key: " + e.getMessage());
            }
        }
        return ArrayValue.of(out);
    }

    // ---- key pairs ----

    private static Value keyPair(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "crypto.x509.parse_keypair";
        String certText = Args.string(fn, a, 0);
        String keyText = Args.string(fn, a, 1);
        byte[] certData = certText.startsWith("-----BEGIN") ? certText.getBytes(StandardCharsets.UTF_8) : stdBase64(fn, certText);
        byte[] keyData = keyText.startsWith("-----BEGIN") ? keyText.getBytes(StandardCharsets.UTF_8) : stdBase64(fn, keyText);
        List<Cert> certs = new ArrayList<>();
        if (isPem(certData)) {
            for (Pem.Block b = Pem.decode(new String(certData, StandardCharsets.UTF_8)); b != null; b = Pem.decode(b.rest())) {
                if (!b.type().equals("CERTIFICATE")) continue;
                try {
                    certs.add(X509Json.certificate(b.bytes()));
                } catch (DerException | RuntimeException e) {
                    throw RegoException.builtin(fn, "x509: malformed certificate");
                }
            }
        } else {
            try {
                certs.add(X509Json.certificate(certData));
            } catch (DerException | RuntimeException e) {
                throw RegoException.builtin(fn, "x509: malformed certificate");
            }
        }
        if (certs.isEmpty()) throw RegoException.builtin(fn, "tls: failed to find any PEM data in certificate input");
        PrivateKey key = null;
        for (Pem.Block b = Pem.decode(new String(keyData, StandardCharsets.UTF_8)); b != null && key == null; b = Pem.decode(b.rest())) {
            if (!b.type().equals("PRIVATE KEY") && !b.type().endsWith(" PRIVATE KEY")) continue;
            try {
                key = privateKey(b);
            } catch (GeneralSecurityException | DerException | RuntimeException e) {
                throw RegoException.builtin(fn, "tls: failed to parse private key");
            }
        }
        if (key == null) throw RegoException.builtin(fn, "tls: failed to find any PEM data in key input");
        if (!matches(certs.get(0).jdk().getPublicKey(), key))
            throw RegoException.builtin(fn, "tls: private key does not match public key");
        List<Value> ders = new ArrayList<>();
        for (Cert c : certs) ders.add(X509Json.b64(c.raw()));
        return ObjectValue.builder().put("Certificate", ArrayValue.of(ders))
                .put("PrivateKey", X509Json.privateKey(key))
                .put("SupportedSignatureAlgorithms", NullValue.INSTANCE)
                .put("OCSPStaple", NullValue.INSTANCE)
                .put("SignedCertificateTimestamps", NullValue.INSTANCE)
                .put("Leaf", certs.get(0).json())
                .build();
    }

    private static boolean matches(java.security.PublicKey pub, PrivateKey key) {
        if (pub instanceof RSAPublicKey p && key instanceof RSAPrivateCrtKey k) return p.getModulus().equals(k.getModulus());
        if (pub instanceof ECPublicKey && key instanceof ECPrivateKey) return true;
        return pub.getAlgorithm().equals(key.getAlgorithm());
    }

}
