package org.lobstertrap.puzzlepod.daemon.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of API arguments against the limits of {@code client/API.md}. Every failure is an
 * {@link ApiException} InvalidArgument whose message names the argument and quotes at most
 * {@link #SHOWN} characters of it.
 */
final class Args {
    static final int SHOWN = 60;
    static final int MAX_JSON = 1 << 20;
    static final int MAX_CHANGESET_JSON = 64 << 20;
    static final int MAX_TEXT = 1024;
    static final int MAX_PATH_BYTES = 4096;
    static final int MAX_PROFILE_YAML = 256 << 10;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        // nesting deeper than any argument needs is an attack, not an argument
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                .maxStringLength(MAX_CHANGESET_JSON).build());
    }

    private Args() {}

    static ObjectMapper mapper() { return JSON; }

    /** A branch id: the API's pattern, and the store's (no '.'). */
    static BranchId id(String id) {
        if (id == null || !ID.matcher(id).matches())
            throw ApiException.invalid("branch id " + show(id) + " is not valid: 1 to 64 characters, letters, digits, '_', '-'"
                    + " (starting with a letter or digit)");
        if (!BranchId.isValid(id))
            throw ApiException.invalid("branch id " + show(id) + " is not valid: " + BranchId.problem(id));
        return BranchId.of(id);
    }

    static String profile(String name) {
        if (name == null || !PROFILE.matcher(name).matches())
            throw ApiException.invalid("profile name " + show(name) + " is not valid: 1 to 64 of a-z, 0-9, '-', starting with a letter or digit");
        return name;
    }

    /** An absolute, normalised path (no '.' or '..' segments, no '//' or trailing '/'), at most 4096 bytes, no NUL. */
    static String path(String what, String p) {
        if (p == null || p.isEmpty()) throw ApiException.invalid(what + " is missing");
        if (p.indexOf('\0') >= 0) throw ApiException.invalid(what + " contains a NUL character");
        if (p.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES)
            throw ApiException.invalid(what + " is longer than " + MAX_PATH_BYTES + " bytes");
        if (!p.startsWith("/")) throw ApiException.invalid(what + " " + show(p) + " must be an absolute path");
        if (p.equals("/")) return p;
        if (p.endsWith("/")) throw ApiException.invalid(what + " " + show(p) + " is not normalised (trailing '/')");
        String[] parts = p.substring(1).split("/", -1);
        for (String s : parts) {
            if (s.isEmpty() || s.equals(".") || s.equals(".."))
                throw ApiException.invalid(what + " " + show(p) + " is not normalised (empty, '.' or '..' segment)");
        }
        return p;
    }

    static String text(String what, String s) {
        if (s == null) return "";
        if (s.length() > MAX_TEXT) throw ApiException.invalid(what + " is " + s.length() + " characters long; at most " + MAX_TEXT);
        if (s.indexOf('\0') >= 0) throw ApiException.invalid(what + " contains a NUL character");
        return s;
    }

    /** Parses a JSON object argument; empty means an empty object. Only {@code allowed} keys may appear. */
    static ObjectNode object(String what, String json, int maxBytes, Set<String> allowed) {
        if (json == null || json.isEmpty()) return JSON.createObjectNode();
        if (json.length() > maxBytes || json.getBytes(StandardCharsets.UTF_8).length > maxBytes)
            throw ApiException.invalid(what + " is larger than " + maxBytes + " bytes");
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(what + " is not valid JSON: " + clip(e.getOriginalMessage()));
        } catch (RuntimeException e) {
            throw ApiException.invalid(what + " is not valid JSON: " + clip(String.valueOf(e.getMessage())));
        }
        if (n == null || !n.isObject()) throw ApiException.invalid(what + " must be a JSON object");
        if (allowed != null) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k))
                    throw ApiException.invalid(what + ": unknown key " + show(k) + "; known keys: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return (ObjectNode) n;
    }

    static String optString(ObjectNode o, String what, String key) {
        JsonNode n = o.get(key);
        if (n == null) return null;
        if (!n.isTextual()) throw ApiException.invalid(what + ": \"" + key + "\" must be a string");
        return n.asText();
    }

    static Boolean optBool(ObjectNode o, String what, String key) {
        JsonNode n = o.get(key);
        if (n == null) return null;
        if (!n.isBoolean()) throw ApiException.invalid(what + ": \"" + key + "\" must be true or false");
        return n.asBoolean();
    }

    static Long optLong(ObjectNode o, String what, String key, long min, long max) {
        JsonNode n = o.get(key);
        if (n == null) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max)
            throw ApiException.invalid(what + ": \"" + key + "\" must be an integer from " + min + " to " + max);
        return n.asLong();
    }

    /** At most {@link #SHOWN} characters of an argument, quoted, control characters escaped. */
    static String show(String s) {
        if (s == null) return "(missing)";
        StringBuilder sb = new StringBuilder("\"");
        int n = 0;
        for (int i = 0; i < s.length() && n < SHOWN; i++, n++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        if (s.length() > SHOWN) sb.append("…");
        return sb.append('"').toString();
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 150 ? s.substring(0, 150) + "…" : s;
    }
}
