package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.Set;
import java.util.TreeSet;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * {@code http.send}: the request object is checked with OPA's rules and messages, then the call is
 * refused, because policies get no network access (a decision must depend only on its inputs).
 */
final class Http {
    private Http() {}

    private static final Set<String> ALLOWED = Set.of("method", "url", "body", "enable_redirect", "force_json_decode",
            "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file",
            "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable",
            "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify",
            "tls_server_name", "timeout", "cache", "force_cache", "force_cache_duration_seconds", "raise_error",
            "caching_mode", "max_retry_attempts", "cache_ignored_headers");
    private static final Set<String> REQUIRED = Set.of("method", "url");

    static void register(BuiltinRegistry r) {
        r.register("http.send", 1, (ctx, a) -> {
            ObjectValue req = Args.object("http.send", a, 0);
            SetValue.Builder invalid = SetValue.builder();
            for (Value k : req.asMap().keySet())
                if (!(k instanceof StringValue s && ALLOWED.contains(s.value()))) invalid.add(k);
            if (invalid.size() > 0)
                throw RegoException.typeError("http.send", "invalid request parameters(s): " + setText(invalid.build()));
            SetValue.Builder missing = SetValue.builder();
            for (String k : new TreeSet<>(REQUIRED)) if (!req.containsKey(StringValue.of(k))) missing.add(StringValue.of(k));
            if (missing.size() > 0)
                throw RegoException.typeError("http.send", "missing required request parameters(s): " + setText(missing.build()));
            throw RegoException.builtin("http.send", "network access is not available to policies");
        }, true);
    }

    /** Rego's set literal text: {"a", "b"}. */
    private static String setText(SetValue s) {
        StringBuilder sb = new StringBuilder("{");
        for (Value v : s.sortedElements()) {
            if (sb.length() > 1) sb.append(", ");
            sb.append(v.toJson());
        }
        return sb.append('}').toString();
    }
}
