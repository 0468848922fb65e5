package org.lobstertrap.puzzlepod.daemon.hooksocket;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;
import org.lobstertrap.puzzlepod.daemon.api.Caller;
import org.lobstertrap.puzzlepod.daemon.api.ManagerApi;
import org.lobstertrap.puzzlepod.daemon.dbus.ArgumentCheckedApi;
import org.lobstertrap.puzzlepod.daemon.dbus.ArgumentLimits;

/**
 * One request line of the hook socket in, one response line out ({@code client/API.md}, "The hook
 * socket"). A request is {@code {"op": METHOD, ARG: value…}} with the D-Bus method's arguments by name
 * (strings, as on D-Bus; {@code timeout_ms} a number); the answer is {@code {"ok": RESULT}} or
 * {@code {"error": {"name", "code", "message"}}} with the D-Bus error name. Sizes are checked with the D-Bus
 * limits ({@link ArgumentCheckedApi}) before the service sees anything; every call goes to the same
 * {@link ManagerApi} with the {@link Caller} of the connection, so ownership rules are the D-Bus ones.
 */
public final class HookProtocol {
    private static final System.Logger LOG = System.getLogger(HookProtocol.class.getName());
    /** The longest request line: the largest JSON argument plus room for the envelope and the other arguments. */
    public static final int MAX_LINE_BYTES = ArgumentLimits.MAX_JSON_BYTES + 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The operations and the arguments each takes (all required). */
    static final Map<String, Set<String>> OPERATIONS = Map.of(
            "CreateBranch", Set.of("profile", "base", "options"),
            "InspectBranch", Set.of("id"),
            "ShowProfile", Set.of("name"),
            "DiffBranch", Set.of("id"),
            "CommitBranch", Set.of("id"),
            "RollbackBranch", Set.of("id", "reason"),
            "TriggerGovernance", Set.of("id", "event"),
            "WaitBranch", Set.of("id", "timeout_ms"));

    private final ManagerApi api;

    public HookProtocol(ManagerApi api) { this.api = new ArgumentCheckedApi(api); }

    /** The response line (without its newline) to one request line from {@code caller}. Never throws. */
    public String handle(byte[] line, Caller caller) {
        try {
            return "{\"ok\":" + oneLine(dispatch(line, caller)) + "}";
        } catch (ApiException e) {
            return error(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "hook socket: request failed", e);
            return error(ApiError.Internal, "internal error: " + e.getClass().getSimpleName() + "; the daemon's log has the details");
        }
    }

    /**
     * The result on one line. In valid JSON a raw line break can only be whitespace between tokens (inside a
     * string it must be escaped), so replacing it with a space keeps the value and the framing.
     */
    static String oneLine(String json) {
        return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace('\n', ' ').replace('\r', ' ');
    }

    /** An error response line. */
    public static String error(ApiError code, String message) {
        ObjectNode out = JSON.createObjectNode();
        out.putObject("error").put("name", code.dbusName()).put("code", code.name()).put("message", message);
        return out.toString();
    }

    private String dispatch(byte[] line, Caller c) {
        if (line.length > MAX_LINE_BYTES) {
            throw ApiException.invalid("request line is too large: " + line.length + " bytes, at most " + MAX_LINE_BYTES);
        }
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (JacksonException e) {
            throw ApiException.invalid("request line is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.invalid("request line is not readable JSON");
        }
        if (request == null || !request.isObject()) throw ApiException.invalid("a request is one JSON object per line");
        JsonNode opNode = request.get("op");
        if (opNode == null || !opNode.isTextual()) throw ApiException.invalid("the request has no \"op\" string");
        String op = opNode.asText();
        Set<String> args = OPERATIONS.get(op);
        if (args == null) {
            throw ApiException.invalid("unknown op " + show(op) + "; the hook socket serves " + String.join(", ", new java.util.TreeSet<>(OPERATIONS.keySet())));
        }
        for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("op") && !args.contains(name)) throw ApiException.invalid(op + ": unknown argument " + show(name));
        }
        return switch (op) {
            case "CreateBranch" -> {
                yield api.createBranch(c, string(request, op, "profile"), string(request, op, "base"), string(request, op, "options"));
            }
            case "InspectBranch" -> api.inspectBranch(c, id(request, op));
            case "ShowProfile" -> api.showProfile(c, string(request, op, "name"));
            case "DiffBranch" -> api.diffBranch(c, id(request, op));
            case "CommitBranch" -> api.commitBranch(c, id(request, op));
            case "RollbackBranch" -> api.rollbackBranch(c, id(request, op), string(request, op, "reason"));
            case "TriggerGovernance" -> api.triggerGovernance(c, id(request, op), string(request, op, "event"));
            case "WaitBranch" -> {
                String id = id(request, op);
                JsonNode t = request.get("timeout_ms");
                if (t == null || !t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() < 0) {
                    throw ApiException.invalid(op + ": timeout_ms must be a non-negative integer (milliseconds)");
                }
                yield api.waitBranch(c, id, t.asLong());
            }
            default -> throw new IllegalStateException(op);
        };
    }

    private static String id(JsonNode request, String op) { return string(request, op, "id"); }

    private static String string(JsonNode request, String op, String name) {
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) throw ApiException.invalid(op + ": " + name + " is missing");
        if (!v.isTextual()) throw ApiException.invalid(op + ": " + name + " must be a string" + (v.isObject() ? " (a JSON argument is sent as a string, as on D-Bus)" : ""));
        return v.asText();
    }

    /** An argument for a message: quoted, at most 200 characters. */
    private static String show(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "…" : s;
        return '"' + t + '"';
    }

    /** UTF-8 bytes of a response line plus its newline. */
    static byte[] lineBytes(String response) {
        return (response + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
