package org.lobstertrap.puzzlepod.daemon.seccomp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one message runc sends to a seccomp agent ({@code linux.seccomp.listenerPath}): the OCI
 * container-process state, with the notify fd attached.
 *
 * <pre>{"ociVersion":"1.0.2","fds":["seccompFd"],"pid":1234,"metadata":"branch-x",
 *  "state":{"id":"c0ffee…","status":"creating","bundle":"/…","annotations":{…}}}</pre>
 *
 * @param ociVersion  the OCI runtime-spec version
 * @param pid         the container's init process (host pid namespace)
 * @param metadata    {@code listenerMetadata} from the spec: the branch id
 * @param containerId {@code state.id}
 * @param status      {@code state.status} ({@code creating})
 * @param bundle      {@code state.bundle}, may be empty
 * @param annotations {@code state.annotations}
 */
public record RuncSeccompMessage(String ociVersion, int pid, String metadata, String containerId, String status,
                                 String bundle, Map<String, String> annotations) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RuncSeccompMessage {
        annotations = Map.copyOf(annotations);
    }

    /** Parses and validates {@code json}, which came with {@code fdCount} descriptors. */
    public static RuncSeccompMessage parse(byte[] json, int fdCount) throws SeccompMessageException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new SeccompMessageException(SeccompMessageException.Code.BAD_JSON,
                    "seccomp agent message is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new SeccompMessageException(SeccompMessageException.Code.BAD_JSON, "seccomp agent message unreadable: " + e);
        }
        if (root == null || !root.isObject())
            throw new SeccompMessageException(SeccompMessageException.Code.BAD_JSON, "seccomp agent message is not a JSON object");
        JsonNode fds = root.path("fds");
        if (!fds.isArray() || fds.size() != 1 || !"seccompFd".equals(fds.get(0).asText()))
            throw missing("fds must be [\"seccompFd\"], got " + fds);
        if (fdCount == 0)
            throw new SeccompMessageException(SeccompMessageException.Code.NO_FD, "seccomp agent message carried no fd");
        if (fdCount > 1)
            throw new SeccompMessageException(SeccompMessageException.Code.TOO_MANY_FDS,
                    "seccomp agent message carried " + fdCount + " fds, expected 1");
        JsonNode pid = root.path("pid");
        if (!pid.canConvertToInt() || !pid.isIntegralNumber() || pid.asInt() <= 0)
            throw missing("pid must be a positive integer, got " + pid);
        JsonNode state = root.path("state");
        if (!state.isObject()) throw missing("state is missing");
        String id = text(state, "id");
        if (id.isBlank()) throw missing("state.id is empty");
        Map<String, String> annotations = new TreeMap<>();
        JsonNode ann = state.path("annotations");
        if (ann.isObject()) ann.properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        String metadata = root.path("metadata").isTextual() ? root.path("metadata").asText() : "";
        if (metadata.isBlank()) throw missing("metadata (the branch id) is empty");
        return new RuncSeccompMessage(text(root, "ociVersion"), pid.asInt(), metadata, id, text(state, "status"),
                text(state, "bundle"), annotations);
    }

    private static String text(JsonNode node, String field) throws SeccompMessageException {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) return "";
        if (!v.isTextual()) throw missing(field + " must be a string, got " + v);
        return v.asText();
    }

    private static SeccompMessageException missing(String what) {
        return new SeccompMessageException(SeccompMessageException.Code.MISSING_FIELD, "seccomp agent message: " + what);
    }
}
