package org.lobstertrap.puzzlepod.rego.builtins;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;

/** Digests and HMACs of UTF-8 text, as lowercase hex: crypto.md5/sha1/sha256, crypto.hmac.*. */
final class Crypto {
    private Crypto() {}

    static void register(BuiltinRegistry r) {
        digest(r, "crypto.md5", "MD5");
        digest(r, "crypto.sha1", "SHA-1");
        digest(r, "crypto.sha256", "SHA-256");
        hmac(r, "crypto.hmac.md5", "HmacMD5");
        hmac(r, "crypto.hmac.sha1", "HmacSHA1");
        hmac(r, "crypto.hmac.sha256", "HmacSHA256");
        hmac(r, "crypto.hmac.sha512", "HmacSHA512");
        r.register("crypto.hmac.equal", 2, (ctx, a) -> {
            byte[] x = Args.string("crypto.hmac.equal", a, 0).getBytes(StandardCharsets.UTF_8);
            byte[] y = Args.string("crypto.hmac.equal", a, 1).getBytes(StandardCharsets.UTF_8);
            // Constant time in the content, so that a MAC cannot be guessed byte by byte.
            return BooleanValue.of(MessageDigest.isEqual(x, y));
        });
    }

    private static void digest(BuiltinRegistry r, String name, String algorithm) {
        r.register(name, 1, (ctx, a) -> {
            byte[] in = Args.string(name, a, 0).getBytes(StandardCharsets.UTF_8);
            try {
                return StringValue.of(Encoding.hex(MessageDigest.getInstance(algorithm).digest(in)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks " + algorithm, e);
            }
        });
    }

    private static void hmac(BuiltinRegistry r, String name, String algorithm) {
        r.register(name, 2, (ctx, a) -> {
            byte[] msg = Args.string(name, a, 0).getBytes(StandardCharsets.UTF_8);
            byte[] key = Args.string(name, a, 1).getBytes(StandardCharsets.UTF_8);
            try {
                Mac mac = Mac.getInstance(algorithm);
                // An empty key is legal for HMAC but rejected by SecretKeySpec: use the equivalent single zero byte.
                mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
                return StringValue.of(Encoding.hex(mac.doFinal(msg)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks " + algorithm, e);
            }
        });
    }
}
