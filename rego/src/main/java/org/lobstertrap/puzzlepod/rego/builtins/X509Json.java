package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.builtins.Der.DerException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * Certificates, certificate requests and private keys as the objects OPA returns: the JSON form of Go's
 * {@code x509.Certificate}, {@code x509.CertificateRequest} and key structs (byte fields base64, big
 * integers as numbers, absent lists as null), plus OPA's {@code URIStrings}.
 */
final class X509Json {
    private X509Json() {}

    /** A parsed certificate: the facts chain verification needs and its JSON form. */
    record Cert(byte[] raw, byte[] rawSubject, byte[] rawIssuer, LocalDateTime notBefore, LocalDateTime notAfter,
                boolean isCa, boolean basicConstraintsValid, List<String> extKeyUsageOids, List<String> dnsNames,
                java.security.cert.X509Certificate jdk, ObjectValue json) {}

    private static final Map<String, Integer> SIG_ALGS = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.2", 1), Map.entry("1.2.840.113549.1.1.4", 2),
            Map.entry("1.2.840.113549.1.1.5", 3), Map.entry("1.2.840.113549.1.1.11", 4),
            Map.entry("1.2.840.113549.1.1.12", 5), Map.entry("1.2.840.113549.1.1.13", 6),
            Map.entry("1.2.840.10040.4.3", 7), Map.entry("2.16.840.1.101.3.4.3.2", 8),
            Map.entry("1.2.840.10045.4.1", 9), Map.entry("1.2.840.10045.4.3.2", 10),
            Map.entry("1.2.840.10045.4.3.3", 11), Map.entry("1.2.840.10045.4.3.4", 12),
            Map.entry("1.3.101.112", 16));

    private static final Map<String, Integer> EXT_KEY_USAGES = Map.ofEntries(
            Map.entry("2.5.29.37.0", 0), Map.entry("1.3.6.1.5.5.7.3.1", 1), Map.entry("1.3.6.1.5.5.7.3.2", 2),
            Map.entry("1.3.6.1.5.5.7.3.3", 3), Map.entry("1.3.6.1.5.5.7.3.4", 4), Map.entry("1.3.6.1.5.5.7.3.5", 5),
            Map.entry("1.3.6.1.5.5.7.3.6", 6), Map.entry("1.3.6.1.5.5.7.3.7", 7), Map.entry("1.3.6.1.5.5.7.3.8", 8),
            Map.entry("1.3.6.1.5.5.7.3.9", 9), Map.entry("1.3.6.1.4.1.311.10.3.3", 10),
            Map.entry("2.16.840.1.113730.4.1", 11), Map.entry("1.3.6.1.4.1.311.2.1.22", 12),
            Map.entry("1.3.6.1.4.1.311.61.1.1", 13));

    static final Map<String, String> EXT_KEY_USAGE_NAMES = Map.ofEntries(
            Map.entry("KeyUsageAny", "2.5.29.37.0"), Map.entry("KeyUsageServerAuth", "1.3.6.1.5.5.7.3.1"),
            Map.entry("KeyUsageClientAuth", "1.3.6.1.5.5.7.3.2"), Map.entry("KeyUsageCodeSigning", "1.3.6.1.5.5.7.3.3"),
            Map.entry("KeyUsageEmailProtection", "1.3.6.1.5.5.7.3.4"), Map.entry("KeyUsageIPSECEndSystem", "1.3.6.1.5.5.7.3.5"),
            Map.entry("KeyUsageIPSECTunnel", "1.3.6.1.5.5.7.3.6"), Map.entry("KeyUsageIPSECUser", "1.3.6.1.5.5.7.3.7"),
            Map.entry("KeyUsageTimeStamping", "1.3.6.1.5.5.7.3.8"), Map.entry("KeyUsageOCSPSigning", "1.3.6.1.5.5.7.3.9"),
            Map.entry("KeyUsageMicrosoftServerGatedCrypto", "1.3.6.1.4.1.311.10.3.3"),
            Map.entry("KeyUsageNetscapeServerGatedCrypto", "2.16.840.1.113730.4.1"),
            Map.entry("KeyUsageMicrosoftCommercialCodeSigning", "1.3.6.1.4.1.311.2.1.22"),
            Map.entry("KeyUsageMicrosoftKernelCodeSigning", "1.3.6.1.4.1.311.61.1.1"));

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    // ---- certificates ----

    static Cert certificate(byte[] der) throws DerException {
        Der cert = Der.parse(der).expect(Der.SEQUENCE);
        List<Der> top = cert.children();
        if (top.size() != 3) throw new DerException("certificate must have 3 parts");
        Der tbs = top.get(0).expect(Der.SEQUENCE);
        List<Der> f = tbs.children();
        int i = 0;
        int version = 0;
        if (f.get(0).contextTag() == 0) { version = f.get(0).children().get(0).integer().intValue(); i++; }
        BigInteger serial = f.get(i++).expect(Der.INTEGER).integer();
        i++; // inner signature algorithm (same as the outer one)
        Der issuer = f.get(i++).expect(Der.SEQUENCE);
        List<Der> validity = f.get(i++).expect(Der.SEQUENCE).children();
        Der subject = f.get(i++).expect(Der.SEQUENCE);
        Der spki = f.get(i++).expect(Der.SEQUENCE);
        Der extensions = null;
        for (; i < f.size(); i++) if (f.get(i).contextTag() == 3) extensions = f.get(i).children().get(0);

        java.security.cert.X509Certificate jdk;
        try {
            jdk = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new DerException("certificate not understood: " + e.getMessage());
        }

        ObjectValue.Builder o = ObjectValue.builder();
        o.put("Raw", b64(der));
        o.put("RawTBSCertificate", b64(tbs.encoded()));
        o.put("RawSubjectPublicKeyInfo", b64(spki.encoded()));
        o.put("RawSubject", b64(subject.encoded()));
        o.put("RawIssuer", b64(issuer.encoded()));
        o.put("Signature", b64(top.get(2).expect(Der.BIT_STRING).bitStringBytes()));
        o.put("SignatureAlgorithm", num(SIG_ALGS.getOrDefault(top.get(1).children().get(0).oid(), signatureAlgorithmPss(top.get(1)))));
        o.put("PublicKeyAlgorithm", num(publicKeyAlgorithm(spki)));
        o.put("PublicKey", publicKey(jdk.getPublicKey()));
        o.put("Version", num(version + 1));
        o.put("SerialNumber", NumberValue.of(serial));
        o.put("Issuer", name(issuer));
        o.put("Subject", name(subject));
        LocalDateTime notBefore = time(validity.get(0));
        LocalDateTime notAfter = time(validity.get(1));
        o.put("NotBefore", StringValue.of(RFC3339.format(notBefore)));
        o.put("NotAfter", StringValue.of(RFC3339.format(notAfter)));

        Extensions ext = new Extensions();
        if (extensions != null) ext.read(extensions);
        o.put("KeyUsage", num(ext.keyUsage));
        o.put("Extensions", ext.list.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(ext.list));
        o.put("ExtraExtensions", NullValue.INSTANCE);
        o.put("UnhandledCriticalExtensions", NullValue.INSTANCE);
        List<Value> eku = new ArrayList<>();
        List<Value> unknownEku = new ArrayList<>();
        for (String oid : ext.extKeyUsage) {
            Integer known = EXT_KEY_USAGES.get(oid);
            if (known != null) eku.add(num(known)); else unknownEku.add(arcs(oid));
        }
        o.put("ExtKeyUsage", listOrNull(eku));
        o.put("UnknownExtKeyUsage", listOrNull(unknownEku));
        o.put("BasicConstraintsValid", BooleanValue.of(ext.basicConstraintsValid));
        o.put("IsCA", BooleanValue.of(ext.isCa));
        o.put("MaxPathLen", num(ext.maxPathLen));
        o.put("MaxPathLenZero", BooleanValue.of(ext.maxPathLenZero));
        o.put("SubjectKeyId", ext.subjectKeyId == null ? NullValue.INSTANCE : b64(ext.subjectKeyId));
        o.put("AuthorityKeyId", ext.authorityKeyId == null ? NullValue.INSTANCE : b64(ext.authorityKeyId));
        o.put("OCSPServer", strings(ext.ocsp));
        o.put("IssuingCertificateURL", strings(ext.issuingUrls));
        putSans(o, ext);
        o.put("PermittedDNSDomainsCritical", BooleanValue.FALSE);
        for (String k : new String[] {"PermittedDNSDomains", "ExcludedDNSDomains", "PermittedIPRanges", "ExcludedIPRanges",
                "PermittedEmailAddresses", "ExcludedEmailAddresses", "PermittedURIDomains", "ExcludedURIDomains"})
            o.put(k, NullValue.INSTANCE);
        o.put("CRLDistributionPoints", strings(ext.crlPoints));
        List<Value> policyIds = new ArrayList<>();
        for (String p : ext.policies) policyIds.add(arcs(p));
        o.put("PolicyIdentifiers", listOrNull(policyIds));
        o.put("Policies", strings(ext.policies));
        // policy-constraint fields of newer Go versions, at their zero values (not decoded)
        for (String k : new String[] {"InhibitAnyPolicy", "InhibitPolicyMapping", "RequireExplicitPolicy"}) {
            o.put(k, num(0));
            o.put(k + "Zero", BooleanValue.FALSE);
        }
        o.put("PolicyMappings", NullValue.INSTANCE);
        o.put("URIStrings", strings(ext.uris));
        return new Cert(der, subject.encoded(), issuer.encoded(), notBefore, notAfter, ext.isCa, ext.basicConstraintsValid,
                ext.extKeyUsage, ext.dns, jdk, o.build());
    }

    private static int signatureAlgorithmPss(Der algId) throws DerException {
        if (!algId.children().get(0).oid().equals("1.2.840.113549.1.1.10")) return 0;
        // RSASSA-PSS: the hash is in the parameters; Go knows SHA-256/384/512 (13/14/15)
        String params = java.util.HexFormat.of().formatHex(algId.encoded());
        if (params.contains("608648016503040201")) return 13;
        if (params.contains("608648016503040202")) return 14;
        if (params.contains("608648016503040203")) return 15;
        return 0;
    }

    private static int publicKeyAlgorithm(Der spki) throws DerException {
        String oid = spki.children().get(0).children().get(0).oid();
        return switch (oid) {
            case "1.2.840.113549.1.1.1" -> 1;
            case "1.2.840.10040.4.1" -> 2;
            case "1.2.840.10045.2.1" -> 3;
            case "1.3.101.112" -> 4;
            default -> 0;
        };
    }

    static Value publicKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa)
            return ObjectValue.builder().put("N", NumberValue.of(rsa.getModulus())).put("E", NumberValue.of(rsa.getPublicExponent())).build();
        if (key instanceof ECPublicKey ec)
            return ObjectValue.builder().put("Curve", ObjectValue.EMPTY)
                    .put("X", NumberValue.of(ec.getW().getAffineX())).put("Y", NumberValue.of(ec.getW().getAffineY())).build();
        if (key != null && key.getAlgorithm().equals("Ed25519")) {
            byte[] enc = key.getEncoded();
            return b64(java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length));
        }
        return NullValue.INSTANCE;
    }

    private static void putSans(ObjectValue.Builder o, Extensions ext) {
        o.put("DNSNames", strings(ext.dns));
        o.put("EmailAddresses", strings(ext.emails));
        o.put("IPAddresses", strings(ext.ips));
        List<Value> uris = new ArrayList<>();
        for (String u : ext.uris) uris.add(url(u));
        o.put("URIs", listOrNull(uris));
    }

    // Go's url.URL struct as JSON
    private static Value url(String text) {
        ObjectValue.Builder b = ObjectValue.builder();
        String scheme = "", opaque = "", host = "", path = "", rawQuery = "", fragment = "";
        try {
            java.net.URI u = new java.net.URI(text);
            scheme = u.getScheme() == null ? "" : u.getScheme();
            if (u.isOpaque()) opaque = u.getRawSchemeSpecificPart();
            else {
                host = u.getRawAuthority() == null ? "" : u.getRawAuthority().replaceFirst("^[^@]*@", "");
                path = u.getPath() == null ? "" : u.getPath();
            }
            rawQuery = u.getRawQuery() == null ? "" : u.getRawQuery();
            fragment = u.getFragment() == null ? "" : u.getFragment();
        } catch (java.net.URISyntaxException e) {
            path = text;
        }
        return b.put("Scheme", StringValue.of(scheme)).put("Opaque", StringValue.of(opaque)).put("User", NullValue.INSTANCE)
                .put("Host", StringValue.of(host)).put("Path", StringValue.of(path)).put("RawPath", StringValue.EMPTY)
                .put("OmitHost", BooleanValue.FALSE).put("ForceQuery", BooleanValue.FALSE)
                .put("RawQuery", StringValue.of(rawQuery)).put("Fragment", StringValue.of(fragment))
                .put("RawFragment", StringValue.EMPTY).build();
    }

    /** The certificate extensions Go decodes into fields. */
    private static final class Extensions {
        final List<Value> list = new ArrayList<>();
        int keyUsage;
        List<String> extKeyUsage = new ArrayList<>();
        boolean basicConstraintsValid, isCa, maxPathLenZero;
        int maxPathLen;
        byte[] subjectKeyId, authorityKeyId;
        final List<String> ocsp = new ArrayList<>(), issuingUrls = new ArrayList<>(), dns = new ArrayList<>(),
                emails = new ArrayList<>(), ips = new ArrayList<>(), uris = new ArrayList<>(), crlPoints = new ArrayList<>(),
                policies = new ArrayList<>();

        void read(Der seq) throws DerException {
            for (Der e : seq.children()) {
                List<Der> parts = e.children();
                Der oidDer = parts.get(0);
                boolean critical = parts.size() == 3 && parts.get(1).value().length == 1 && parts.get(1).value()[0] != 0;
                byte[] value = parts.get(parts.size() - 1).expect(Der.OCTET_STRING).value();
                list.add(ObjectValue.builder().put("Id", arcs(oidDer.oid())).put("Critical", BooleanValue.of(critical))
                        .put("Value", b64(value)).build());
                Der v = Der.parse(value);
                switch (oidDer.oid()) {
                    case "2.5.29.15" -> {
                        byte[] bits = v.bitStringBytes();
                        for (int i = 0; i < 9; i++) {
                            int byteIdx = i / 8;
                            if (byteIdx < bits.length && (bits[byteIdx] & (0x80 >> (i % 8))) != 0) keyUsage |= 1 << i;
                        }
                    }
                    case "2.5.29.19" -> {
                        basicConstraintsValid = true;
                        maxPathLen = -1;
                        for (Der c : v.children()) {
                            if (c.tag == 0x01) isCa = c.value().length == 1 && c.value()[0] != 0;
                            if (c.tag == Der.INTEGER) {
                                maxPathLen = c.integer().intValue();
                                maxPathLenZero = maxPathLen == 0;
                            }
                        }
                    }
                    case "2.5.29.37" -> { for (Der c : v.children()) extKeyUsage.add(c.oid()); }
                    case "2.5.29.14" -> subjectKeyId = v.value();
                    case "2.5.29.35" -> { for (Der c : v.children()) if (c.contextTag() == 0) authorityKeyId = c.value(); }
                    case "2.5.29.17" -> generalNames(v);
                    case "1.3.6.1.5.5.7.1.1" -> {
                        for (Der ad : v.children()) {
                            List<Der> p = ad.children();
                            if (p.size() < 2 || p.get(1).contextTag() != 6) continue;
                            String loc = new String(p.get(1).value(), java.nio.charset.StandardCharsets.UTF_8);
                            String method = p.get(0).oid();
                            if (method.equals("1.3.6.1.5.5.7.48.1")) ocsp.add(loc);
                            else if (method.equals("1.3.6.1.5.5.7.48.2")) issuingUrls.add(loc);
                        }
                    }
                    case "2.5.29.31" -> {
                        for (Der dp : v.children()) {
                            for (Der field : dp.children()) {
                                if (field.contextTag() != 0) continue;
                                for (Der name : field.children()) {
                                    if (name.contextTag() != 0) continue;
                                    for (Der gn : name.children())
                                        if (gn.contextTag() == 6) crlPoints.add(new String(gn.value(), java.nio.charset.StandardCharsets.UTF_8));
                                }
                            }
                        }
                    }
                    case "2.5.29.32" -> { for (Der p : v.children()) policies.add(p.children().get(0).oid()); }
                    default -> { }
                }
            }
        }

        void generalNames(Der seq) throws DerException {
            for (Der gn : seq.children()) {
                String text = new String(gn.value(), java.nio.charset.StandardCharsets.UTF_8);
                switch (gn.contextTag()) {
                    case 1 -> emails.add(text);
                    case 2 -> dns.add(text);
                    case 6 -> uris.add(text);
                    case 7 -> {
                        try {
                            ips.add(java.net.InetAddress.getByAddress(gn.value()).getHostAddress());
                        } catch (java.net.UnknownHostException e) {
                            throw new DerException("invalid IP address in subject alternative name");
                        }
                    }
                    default -> { }
                }
            }
        }
    }

    // ---- names and times ----

    /** Go's pkix.Name as JSON. */
    static Value name(Der seq) throws DerException {
        Map<String, String> fields = Map.of("2.5.4.6", "Country", "2.5.4.10", "Organization", "2.5.4.11", "OrganizationalUnit",
                "2.5.4.7", "Locality", "2.5.4.8", "Province", "2.5.4.9", "StreetAddress", "2.5.4.17", "PostalCode");
        java.util.LinkedHashMap<String, List<Value>> multi = new java.util.LinkedHashMap<>();
        for (String f : List.of("Country", "Organization", "OrganizationalUnit", "Locality", "Province", "StreetAddress", "PostalCode"))
            multi.put(f, new ArrayList<>());
        String serial = "", cn = "";
        List<Value> names = new ArrayList<>();
        for (Der rdn : seq.children()) {
            for (Der atv : rdn.children()) {
                List<Der> p = atv.children();
                String oid = p.get(0).oid();
                Value val = p.get(1).isString() ? StringValue.of(p.get(1).string()) : NullValue.INSTANCE;
                names.add(ObjectValue.builder().put("Type", arcs(oid)).put("Value", val).build());
                if (!(val instanceof StringValue s)) continue;
                String field = fields.get(oid);
                if (field != null) multi.get(field).add(s);
                else if (oid.equals("2.5.4.3")) cn = s.value();
                else if (oid.equals("2.5.4.5")) serial = s.value();
            }
        }
        ObjectValue.Builder b = ObjectValue.builder();
        multi.forEach((k, v) -> b.put(k, listOrNull(v)));
        b.put("SerialNumber", StringValue.of(serial));
        b.put("CommonName", StringValue.of(cn));
        b.put("Names", listOrNull(names));
        b.put("ExtraNames", NullValue.INSTANCE);
        return b.build();
    }

    private static LocalDateTime time(Der t) throws DerException {
        String s = new String(t.value(), java.nio.charset.StandardCharsets.US_ASCII);
        try {
            if (t.tag == Der.UTC_TIME) {
                int yy = Integer.parseInt(s.substring(0, 2));
                s = (yy >= 50 ? "19" : "20") + s;
            } else if (t.tag != Der.GENERALIZED_TIME) {
                throw new DerException("invalid time");
            }
            if (!s.endsWith("Z")) throw new DerException("time must be UTC");
            return LocalDateTime.parse(s.substring(0, 14), DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        } catch (RuntimeException e) {
            throw new DerException("invalid time: " + s);
        }
    }

    // ---- certificate requests ----

    static ObjectValue certificateRequest(byte[] der) throws DerException {
        Der csr = Der.parse(der).expect(Der.SEQUENCE);
        List<Der> top = csr.children();
        if (top.size() != 3) throw new DerException("certificate request must have 3 parts");
        Der info = top.get(0).expect(Der.SEQUENCE);
        List<Der> f = info.children();
        int version = f.get(0).expect(Der.INTEGER).integer().intValue();
        Der subject = f.get(1).expect(Der.SEQUENCE);
        Der spki = f.get(2).expect(Der.SEQUENCE);
        Extensions ext = new Extensions();
        List<Value> attributes = new ArrayList<>();
        if (f.size() > 3 && f.get(3).contextTag() == 0) {
            for (Der attr : f.get(3).children()) {
                List<Der> p = attr.children();
                if (p.get(0).oid().equals("1.2.840.113549.1.9.14")) {
                    for (Der set : p.get(1).children()) ext.read(set);
                }
            }
        }
        PublicKey pk = null;
        try {
            pk = Jose.publicKeyFromSpki(spki.encoded());
        } catch (java.security.GeneralSecurityException e) {
            // unknown key types stay null, as in Go
        }
        ObjectValue.Builder o = ObjectValue.builder();
        o.put("Raw", b64(der));
        o.put("RawTBSCertificateRequest", b64(info.encoded()));
        o.put("RawSubjectPublicKeyInfo", b64(spki.encoded()));
        o.put("RawSubject", b64(subject.encoded()));
        o.put("Version", num(version));
        o.put("Signature", b64(top.get(2).expect(Der.BIT_STRING).bitStringBytes()));
        o.put("SignatureAlgorithm", num(SIG_ALGS.getOrDefault(top.get(1).children().get(0).oid(), signatureAlgorithmPss(top.get(1)))));
        o.put("PublicKeyAlgorithm", num(publicKeyAlgorithm(spki)));
        o.put("PublicKey", publicKey(pk));
        o.put("Subject", name(subject));
        o.put("Attributes", listOrNull(attributes));
        o.put("Extensions", ext.list.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(ext.list));
        o.put("ExtraExtensions", NullValue.INSTANCE);
        putSans(o, ext);
        return o.build();
    }

    // ---- private keys ----

    /** Go's rsa.PrivateKey / ecdsa.PrivateKey / ed25519.PrivateKey as JSON. */
    static Value privateKey(java.security.PrivateKey key) {
        if (key instanceof RSAPrivateCrtKey k) {
            ObjectValue pre = ObjectValue.builder().put("Dp", NumberValue.of(k.getPrimeExponentP()))
                    .put("Dq", NumberValue.of(k.getPrimeExponentQ())).put("Qinv", NumberValue.of(k.getCrtCoefficient()))
                    .put("CRTValues", ArrayValue.EMPTY).build();
            return ObjectValue.builder().put("N", NumberValue.of(k.getModulus())).put("E", NumberValue.of(k.getPublicExponent()))
                    .put("D", NumberValue.of(k.getPrivateExponent()))
                    .put("Primes", ArrayValue.of(NumberValue.of(k.getPrimeP()), NumberValue.of(k.getPrimeQ())))
                    .put("Precomputed", pre).build();
        }
        if (key instanceof ECPrivateKey k) {
            return ObjectValue.builder().put("Curve", ObjectValue.EMPTY).put("D", NumberValue.of(k.getS())).build();
        }
        if (key != null && key.getAlgorithm().equals("Ed25519")) {
            return b64(key.getEncoded());
        }
        return NullValue.INSTANCE;
    }

    /** An RSA private key as a JWK (kty, n, e, d, p, q, dp, dq, qi). */
    static Value rsaJwk(RSAPrivateCrtKey k) {
        return ObjectValue.builder().put("kty", StringValue.of("RSA"))
                .put("n", StringValue.of(Jose.b64Big(k.getModulus()))).put("e", StringValue.of(Jose.b64Big(k.getPublicExponent())))
                .put("d", StringValue.of(Jose.b64Big(k.getPrivateExponent())))
                .put("p", StringValue.of(Jose.b64Big(k.getPrimeP()))).put("q", StringValue.of(Jose.b64Big(k.getPrimeQ())))
                .put("dp", StringValue.of(Jose.b64Big(k.getPrimeExponentP()))).put("dq", StringValue.of(Jose.b64Big(k.getPrimeExponentQ())))
                .put("qi", StringValue.of(Jose.b64Big(k.getCrtCoefficient()))).build();
    }

    // ---- small helpers ----

    static Value b64(byte[] b) { return StringValue.of(GoBase64.encodeStd(b)); }

    private static Value num(long n) { return NumberValue.of(n); }

    private static Value arcs(String oid) {
        List<Value> out = new ArrayList<>();
        for (String p : oid.split("\\.")) out.add(NumberValue.of(Long.parseLong(p)));
        return ArrayValue.of(out);
    }

    private static Value listOrNull(List<Value> items) { return items.isEmpty() ? NullValue.INSTANCE : ArrayValue.of(items); }

    private static Value strings(List<String> items) {
        List<Value> out = new ArrayList<>();
        for (String s : items) out.add(StringValue.of(s));
        return listOrNull(out);
    }

    static java.time.Instant instant(LocalDateTime t) { return t.toInstant(ZoneOffset.UTC); }
}
