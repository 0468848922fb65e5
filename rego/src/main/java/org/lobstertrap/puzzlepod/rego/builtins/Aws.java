package org.lobstertrap.puzzlepod.rego.builtins;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code providers.aws.sign_req(request, aws_config, time_ns)}: signs an HTTP request object with AWS
 * Signature Version 4 and returns it with the signing headers added, byte-compatible with OPA.
 */
final class Aws {
    private Aws() {}

    private static final String FN = "providers.aws.sign_req";
    private static final List<String> REQUEST_KEYS = List.of("method", "url");
    private static final List<String> CONFIG_KEYS = List.of("aws_access_key", "aws_region", "aws_secret_access_key", "aws_service");
    private static final java.util.Set<String> IGNORED_HEADERS = java.util.Set.of("authorization", "user-agent", "x-amzn-trace-id");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    static void register(BuiltinRegistry r) {
        r.register(FN, 3, (ctx, a) -> signRequest(a));
    }

    private static Value signRequest(Value[] a) throws RegoException {
        ObjectValue req = Args.object(FN, a, 0);
        requireStrings(req, REQUEST_KEYS, 1, "request parameters(s)");
        ObjectValue config = Args.object(FN, a, 1);
        requireStrings(config, CONFIG_KEYS, 2, "AWS config parameters(s)");
        NumberValue t = Args.number(FN, a, 2);
        if (!t.isInteger() || t.bigIntegerOrNull() == null || t.signum() < 0 || t.bigIntegerOrNull().bitLength() > 63)
            throw RegoException.typeError(FN, "operand 3 could not convert time_ns value into a unix timestamp");
        long ns = t.bigIntegerOrNull().longValueExact();
        boolean unsignedPayload = false;
        Value dps = config.get("disable_payload_signing");
        if (dps != null) {
            if (!(dps instanceof BooleanValue b)) throw RegoException.typeError(FN, "operand 2 invalid value for 'disable_payload_signing' in AWS config");
            unsignedPayload = b.value();
        }
        String method = str(req, "method");
        URI url;
        try {
            url = new URI(str(req, "url"));
        } catch (java.net.URISyntaxException e) {
            throw RegoException.builtin(FN, "invalid url: " + e.getMessage());
        }
        Map<String, String> headers = new TreeMap<>();
        if (req.get("headers") instanceof ObjectValue h) {
            for (Value k : h.sortedKeys()) {
                if (k instanceof StringValue ks && h.get(k) instanceof StringValue vs) headers.put(ks.value(), vs.value());
            }
        }
        byte[] body = new byte[0];
        if (req.get("raw_body") instanceof StringValue raw) body = raw.value().getBytes(StandardCharsets.UTF_8);
        else if (req.get("body") != null) body = JsonMarshal.write(req.get("body")).getBytes(StandardCharsets.UTF_8);
        String service = str(config, "aws_service");
        String region = str(config, "aws_region");
        String token = config.get("aws_session_token") instanceof StringValue s ? s.value() : "";
        Instant when = Instant.ofEpochSecond(0, ns);
        try {
            Signed s = sign(headers, method, url, body, service, region, str(config, "aws_access_key"),
                    str(config, "aws_secret_access_key"), token, when, unsignedPayload);
            ObjectValue.Builder out = ObjectValue.builder();
            for (Map.Entry<Value, Value> e : req.asMap().entrySet()) out.put(e.getKey(), e.getValue());
            ObjectValue.Builder h = ObjectValue.builder();
            headers.forEach((k, v) -> h.put(k, StringValue.of(v)));
            h.put("Authorization", StringValue.of(s.authorization()));
            s.awsHeaders().forEach((k, v) -> h.put(k, StringValue.of(v)));
            out.put("headers", h.build());
            return out.build();
        } catch (GeneralSecurityException e) {
            throw RegoException.builtin(FN, e.getMessage());
        }
    }

    private static void requireStrings(ObjectValue o, List<String> keys, int operand, String what) throws RegoException {
        List<String> missing = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (String k : keys) {
            Value v = o.get(k);
            if (v == null) missing.add(k);
            else if (!(v instanceof StringValue)) invalid.add(k);
        }
        if (!missing.isEmpty()) throw RegoException.typeError(FN, "operand " + operand + " missing required " + what + ": " + regoSet(missing));
        if (!invalid.isEmpty()) throw RegoException.typeError(FN, "operand " + operand + " invalid values for required " + what + ": " + regoSet(invalid));
    }

    private static String regoSet(List<String> items) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(items.get(i)).append('"');
        }
        return sb.append('}').toString();
    }

    private static String str(ObjectValue o, String k) { return ((StringValue) o.get(k)).value(); }

    /** The Authorization header and the x-amz-* / host headers that were signed. */
    record Signed(String authorization, Map<String, String> awsHeaders) {}

    /** AWS SigV4 over the request's method, path, query, headers and body hash. */
    static Signed sign(Map<String, String> headers, String method, URI url, byte[] body, String service, String region,
                       String accessKey, String secretKey, String sessionToken, Instant when, boolean unsignedPayload)
            throws GeneralSecurityException {
        String contentSha = unsignedPayload ? "UNSIGNED-PAYLOAD" : hex(MessageDigest.getInstance("SHA-256").digest(body));
        String day = DAY.format(when);
        String stamp = STAMP.format(when);
        Map<String, String> aws = new TreeMap<>();
        aws.put("host", url.getRawAuthority() == null ? "" : url.getRawAuthority());
        aws.put("x-amz-date", stamp);
        if (service.equals("s3") || service.equals("glacier")) aws.put("x-amz-content-sha256", contentSha);
        if (!sessionToken.isEmpty()) aws.put("x-amz-security-token", sessionToken);
        // the request's own headers win over the computed ones in what is signed
        TreeMap<String, String> toSign = new TreeMap<>(aws);
        headers.forEach((k, v) -> {
            String lower = k.toLowerCase(java.util.Locale.ROOT);
            if (!IGNORED_HEADERS.contains(lower)) toSign.put(lower, v);
        });
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n');
        canonical.append(url.getRawPath() == null ? "" : url.getRawPath()).append('\n');
        canonical.append(canonicalQuery(url.getRawQuery())).append('\n');
        toSign.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        canonical.append('\n');
        String signedHeaders = String.join(";", toSign.keySet());
        canonical.append(signedHeaders).append('\n').append(contentSha);
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String toSignText = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
                + hex(MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, toSignText));
        String auth = "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ",SignedHeaders=" + signedHeaders
                + ",Signature=" + signature;
        return new Signed(auth, aws);
    }

    // Go's url.Values.Encode: keys sorted, each value query-escaped, "&"-joined
    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) return "";
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String part : raw.split("[&;]")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        StringBuilder sb = new StringBuilder();
        params.forEach((k, vs) -> {
            for (String v : vs) {
                if (!sb.isEmpty()) sb.append('&');
                sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return sb.toString();
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] b) { return HexFormat.of().formatHex(b); }
}
