package org.lobstertrap.puzzlepod.rego.builtins;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.builtins.Jose.Alg;
import org.lobstertrap.puzzlepod.rego.builtins.Jose.JoseException;
import org.lobstertrap.puzzlepod.rego.builtins.Jose.VerificationKey;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * JSON Web Token builtins: {@code io.jwt.decode}, {@code io.jwt.decode_verify}, the
 * {@code io.jwt.verify_*} family and {@code io.jwt.encode_sign(_raw)}, with OPA's error texts.
 */
final class Jwt {
    private Jwt() {}

    static void register(BuiltinRegistry r) {
        r.register("io.jwt.decode", 1, (ctx, a) -> decode("io.jwt.decode", a[0]));
        // decode_verify reads the clock; signing may draw randomness (PS/ES): non-deterministic as in OPA
        r.register("io.jwt.decode_verify", 2, Jwt::decodeVerify, true);
        for (Alg alg : Alg.values()) {
            String name = "io.jwt.verify_" + alg.name().toLowerCase(java.util.Locale.ROOT);
            r.register(name, 2, (ctx, a) -> verify(name, alg, a));
        }
        r.register("io.jwt.encode_sign_raw", 3, (ctx, a) -> encodeSign("io.jwt.encode_sign_raw",
                Args.string("io.jwt.encode_sign_raw", a, 0), Args.string("io.jwt.encode_sign_raw", a, 1),
                Args.string("io.jwt.encode_sign_raw", a, 2)), true);
        r.register("io.jwt.encode_sign", 3, (ctx, a) -> {
            String fn = "io.jwt.encode_sign";
            Args.object(fn, a, 0);
            Args.object(fn, a, 1);
            Args.object(fn, a, 2);
            return encodeSign(fn, JsonMarshal.write(a[0]), JsonMarshal.write(a[1]), JsonMarshal.write(a[2]));
        }, true);
    }

    /** The three encoded sections of a compact JWS. */
    private record Token(String header, String payload, String signature) {
        String signingInput() { return header + "." + payload; }
    }

    private static Token split(String fn, Value v) throws RegoException {
        String s = Args.string(fn, new Value[] {v}, 0);
        if (s.indexOf('.') < 0) throw RegoException.builtin(fn, "encoded JWT had no period separators");
        String[] parts = s.split("\\.", -1);
        if (parts.length != 3) throw RegoException.builtin(fn, "encoded JWT must have 3 sections, found " + parts.length);
        return new Token(parts[0], parts[1], parts[2]);
    }

    private static byte[] b64(String fn, String what, String section) throws RegoException {
        try {
            return GoBase64.decodeUrlLenient(section);
        } catch (GoBase64.CorruptInput | IllegalArgumentException e) {
            throw RegoException.builtin(fn, "JWT " + what + " had invalid encoding: " + e.getMessage());
        }
    }

    private static ObjectValue jsonObject(String fn, String what, byte[] bytes) throws RegoException {
        Value v;
        try {
            v = JsonMarshal.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw RegoException.builtin(fn, "JWT " + what + " is not valid JSON: " + e.getMessage());
        }
        if (!(v instanceof ObjectValue o)) throw RegoException.builtin(fn, "JWT " + what + " must be a JSON object");
        return o;
    }

    // ---- io.jwt.decode ----

    private static Value decode(String fn, Value token) throws RegoException {
        Token t = split(fn, token);
        ObjectValue header = jsonObject(fn, "header", b64(fn, "header", t.header()));
        if (header.get("enc") != null) throw RegoException.builtin(fn, "JWT is a JWE object, which is not supported");
        if (header.get("cty") instanceof StringValue cty && cty.value().equals("JWT")) {
            String inner = new String(b64(fn, "payload", t.payload()), StandardCharsets.UTF_8);
            // an encoded nested token is often JSON-quoted (jwt.io does that)
            if (inner.length() >= 2 && inner.startsWith("\"") && inner.endsWith("\"")) inner = inner.substring(1, inner.length() - 1);
            return decode(fn, StringValue.of(inner));
        }
        byte[] payloadBytes = b64(fn, "payload", t.payload());
        Value payload;
        try {
            payload = JsonMarshal.parse(new String(payloadBytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw RegoException.builtin(fn, "JWT payload is not valid JSON: " + e.getMessage());
        }
        byte[] sig = b64(fn, "signature", t.signature());
        return ArrayValue.of(header, payload, StringValue.of(HexFormat.of().formatHex(sig)));
    }

    // ---- io.jwt.verify_XXX ----

    private static Value verify(String fn, Alg alg, Value[] a) throws RegoException {
        Token t = split(fn, a[0]);
        String keyText = Args.string(fn, a, 1);
        byte[] input = t.signingInput().getBytes(StandardCharsets.UTF_8);
        if (alg.family.equals("HS")) {
            byte[] sig = b64(fn, "signature", t.signature());
            return BooleanValue.of(Jose.verify(alg, keyText.getBytes(StandardCharsets.UTF_8), input, sig));
        }
        List<VerificationKey> keys;
        try {
            keys = Jose.keysFromCertOrJwk(keyText);
        } catch (JoseException e) {
            throw RegoException.builtin(fn, e.getMessage());
        }
        byte[] sig = b64(fn, "signature", t.signature());
        ObjectValue header = jsonObject(fn, "header", b64(fn, "header", t.header()));
        String kid = header.get("kid") instanceof StringValue s ? s.value() : "";
        String headerAlg = header.get("alg") instanceof StringValue s ? s.value() : "";
        if (!kid.isEmpty()) {
            for (VerificationKey k : keys) {
                if (kid.equals(k.kid())) return BooleanValue.of(Jose.verify(alg, k.key(), input, sig));
            }
        }
        for (VerificationKey k : keys) {
            if (k.alg() != null && !k.alg().isEmpty() && !k.alg().equals(headerAlg)) continue;
            if (Jose.verify(alg, k.key(), input, sig)) return BooleanValue.TRUE;
        }
        return BooleanValue.FALSE;
    }

    // ---- io.jwt.decode_verify ----

    /** The verification constraints of decode_verify. */
    private static final class Constraints {
        List<VerificationKey> keys;
        String secret = "";
        String alg = "";
        String iss = "";
        String aud = "";
        BigDecimal timeSeconds;
    }

    private static final Value UNVERIFIED = ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);

    private static Value decodeVerify(BuiltinContext ctx, Value[] a) throws RegoException {
        String fn = "io.jwt.decode_verify";
        split(fn, a[0]);
        ObjectValue constraintsObj = Args.object(fn, a, 1);
        Constraints c = constraints(fn, constraintsObj, ctx);
        Value current = a[0];
        ObjectValue header;
        ObjectValue payload;
        while (true) {
            Token t = split(fn, current);
            header = jsonObject(fn, "header", b64(fn, "header", t.header()));
            String alg = headerString(fn, header, "alg");
            String kid = headerString(fn, header, "kid");
            String cty = headerString(fn, header, "cty");
            if (alg.isEmpty()) return UNVERIFIED;
            // no critical header extension is understood (RFC 7515 4.1.11)
            if (header.get("crit") instanceof ArrayValue crit && crit.size() > 0) return UNVERIFIED;
            if (!c.alg.isEmpty() && !c.alg.equals(alg)) return UNVERIFIED;
            byte[] sig = b64(fn, "signature", t.signature());
            Alg algo = Alg.byName(alg);
            if (algo == null) throw RegoException.builtin(fn, "unknown JWS algorithm: " + alg);
            if (!signatureOk(c, algo, alg, kid, t.signingInput().getBytes(StandardCharsets.UTF_8), sig)) return UNVERIFIED;
            byte[] p = b64(fn, "payload", t.payload());
            if (cty.toUpperCase(java.util.Locale.ROOT).equals("JWT")) {
                current = StringValue.of(new String(p, StandardCharsets.UTF_8));
                continue;
            }
            payload = jsonObject(fn, "payload", p);
            break;
        }
        if (!c.iss.isEmpty()) {
            if (!(payload.get("iss") instanceof StringValue iss) || !iss.value().equals(c.iss)) return UNVERIFIED;
        }
        Value aud = payload.get("aud");
        if (aud != null) {
            if (!validAudience(c.aud, aud)) return UNVERIFIED;
        } else if (!c.aud.isEmpty()) {
            return UNVERIFIED;
        }
        Value exp = payload.get("exp");
        if (exp != null) {
            if (!(exp instanceof NumberValue n)) throw RegoException.builtin(fn, "exp value must be a number");
            if (c.timeSeconds.compareTo(n.bigDecimal()) >= 0) return UNVERIFIED;
        }
        Value nbf = payload.get("nbf");
        if (nbf != null) {
            if (!(nbf instanceof NumberValue n)) throw RegoException.builtin(fn, "nbf value must be a number");
            if (c.timeSeconds.compareTo(n.bigDecimal()) < 0) return UNVERIFIED;
        }
        return ArrayValue.of(BooleanValue.TRUE, header, payload);
    }

    private static String headerString(String fn, ObjectValue header, String key) throws RegoException {
        Value v = header.get(key);
        if (v == null) return "";
        if (v instanceof StringValue s) return s.value();
        throw RegoException.builtin(fn, "invalid JWT header: " + key + " must be a string");
    }

    private static boolean validAudience(String want, Value aud) {
        if (aud instanceof StringValue s) return s.value().equals(want);
        if (aud instanceof ArrayValue arr) {
            for (Value e : arr.asList()) if (e instanceof StringValue s && s.value().equals(want)) return true;
        }
        return false;
    }

    private static boolean signatureOk(Constraints c, Alg alg, String algName, String kid, byte[] input, byte[] sig) {
        if (c.keys != null) {
            if (!kid.isEmpty()) {
                for (VerificationKey k : c.keys) if (kid.equals(k.kid())) return Jose.verify(alg, k.key(), input, sig);
            }
            for (VerificationKey k : c.keys) {
                if (k.alg() != null && !k.alg().isEmpty() && !k.alg().equals(algName)) continue;
                if (Jose.verify(alg, k.key(), input, sig)) return true;
            }
            return false;
        }
        return Jose.verify(alg, c.secret.getBytes(StandardCharsets.UTF_8), input, sig);
    }

    private static Constraints constraints(String fn, ObjectValue o, BuiltinContext ctx) throws RegoException {
        Constraints c = new Constraints();
        for (Value k : o.sortedKeys()) {
            String name = k instanceof StringValue s ? s.value() : k.toJson();
            Value v = o.get(k);
            switch (name) {
                case "cert" -> {
                    try {
                        c.keys = Jose.keysFromCertOrJwk(constraintString(fn, name, v));
                    } catch (JoseException e) {
                        throw RegoException.builtin(fn, e.getMessage());
                    }
                }
                case "secret" -> c.secret = constraintString(fn, name, v);
                case "alg" -> c.alg = constraintString(fn, name, v);
                case "iss" -> c.iss = constraintString(fn, name, v);
                case "aud" -> c.aud = constraintString(fn, name, v);
                case "time" -> {
                    if (!(v instanceof NumberValue n)) throw RegoException.builtin(fn, "token time constraint: must be a number");
                    c.timeSeconds = nsToSeconds(n.doubleValue());
                }
                default -> throw RegoException.builtin(fn, "unknown token validation constraint: " + name);
            }
        }
        if (c.timeSeconds == null) c.timeSeconds = nsToSeconds((double) ctx.timeNowNs());
        int keyCount = (c.keys != null ? 1 : 0) + (c.secret.isEmpty() ? 0 : 1);
        if (keyCount > 1) throw RegoException.builtin(fn, "duplicate key constraints");
        if (keyCount < 1) throw RegoException.builtin(fn, "no key constraint");
        return c;
    }

    // OPA compares claims with float64(time_ns)/1e9 in its shortest decimal form.
    private static BigDecimal nsToSeconds(double ns) {
        return new BigDecimal(Double.toString(ns / 1_000_000_000d));
    }

    private static String constraintString(String fn, String name, Value v) throws RegoException {
        if (v instanceof StringValue s) return s.value();
        throw RegoException.builtin(fn, "token " + name + " constraint: must be a string");
    }

    // ---- io.jwt.encode_sign(_raw) ----

    private static Value encodeSign(String fn, String headerText, String payloadText, String keyText) throws RegoException {
        List<Jose.Jwk> keys;
        try {
            keys = Jose.parseJwks(keyText);
        } catch (JoseException e) {
            throw RegoException.builtin(fn, e.getMessage());
        }
        if (keys.isEmpty()) throw RegoException.builtin(fn, "no key in JWK set");
        Jose.Jwk key = keys.get(0);
        Value headerValue;
        try {
            headerValue = JsonMarshal.parse(headerText);
        } catch (IllegalArgumentException e) {
            throw RegoException.builtin(fn, e.getMessage());
        }
        if (!(headerValue instanceof ObjectValue header))
            throw RegoException.builtin(fn, "json: cannot unmarshal " + headerValue.typeName() + " into Go value of type jws.StandardHeaders");
        Value algV = header.get("alg");
        String algName = algV instanceof StringValue s ? s.value() : "";
        if (algV != null && !(algV instanceof StringValue)) throw RegoException.builtin(fn, "unknown signature algorithm");
        Alg alg = Alg.byName(algName);
        if (alg == null && !algName.isEmpty()) throw RegoException.builtin(fn, "unknown signature algorithm");
        String typ = header.get("typ") instanceof StringValue s ? s.value() : "";
        if ((typ.isEmpty() || typ.equals("JWT")) && !JsonMarshal.valid(payloadText))
            throw RegoException.builtin(fn, "type is JWT but payload is not JSON");
        if (alg == null) throw RegoException.builtin(fn, "unsupported signature algorithm");
        String signingInput = GoBase64.encodeRawUrl(headerText.getBytes(StandardCharsets.UTF_8)) + "."
                + GoBase64.encodeRawUrl(payloadText.getBytes(StandardCharsets.UTF_8));
        byte[] sig;
        try {
            sig = Jose.sign(alg, key.key(), signingInput.getBytes(StandardCharsets.UTF_8));
        } catch (JoseException e) {
            throw RegoException.builtin(fn, e.getMessage());
        }
        return StringValue.of(signingInput + "." + GoBase64.encodeRawUrl(sig));
    }
}
