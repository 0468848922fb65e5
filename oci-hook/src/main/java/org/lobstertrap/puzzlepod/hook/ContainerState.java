package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The OCI state a runtime gives the createRuntime and poststop hooks, validated.
 *
 * @param id the container id
 * @param pid the container's init process in the host pid namespace; empty after it stopped
 * @param bundle the bundle directory (holds the spec the container was created from)
 * @param annotations the annotations object (may be a missing node)
 */
public record ContainerState(String id, OptionalLong pid, String bundle, JsonNode annotations) {
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public static ContainerState fromJson(JsonNode state) throws HookException {
        JsonNode id = state.get("id");
        if (id == null || !id.isTextual() || !CONTAINER_ID.matcher(id.asText()).matches()) {
            throw bad("the state has no usable container \"id\" (got " + (id == null ? "nothing" : Texts.quote(HookJson.write(id))) + ")");
        }
        JsonNode pid = state.get("pid");
        OptionalLong p = OptionalLong.empty();
        if (pid != null && !pid.isNull()) {
            if (!pid.canConvertToLong() || !pid.isIntegralNumber() || pid.asLong() <= 0 || pid.asLong() > Integer.MAX_VALUE) {
                throw bad("the state's \"pid\" " + Texts.quote(HookJson.write(pid)) + " is not a process id");
            }
            p = OptionalLong.of(pid.asLong());
        }
        JsonNode bundle = state.get("bundle");
        if (bundle == null || !bundle.isTextual()) throw bad("the state has no \"bundle\" string");
        String b = AbsolutePaths.require("the state's bundle", bundle.asText());
        JsonNode annotations = state.path("annotations");
        if (!annotations.isMissingNode() && !annotations.isNull() && !annotations.isObject()) {
            throw bad("the state's \"annotations\" is not a JSON object");
        }
        return new ContainerState(id.asText(), p, b, annotations);
    }

    private static HookException bad(String message) { return new HookException(HookError.BAD_INPUT, message); }
}
