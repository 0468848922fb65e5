package org.lobstertrap.puzzlepod.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads one line of {@code podman events --format json}. Only container {@code died} events matter; they
 * carry {@code ContainerExitCode} (podman 4.x; absent when 0). Anything else, or a malformed line, yields empty.
 */
public final class PodmanEventParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PodmanEventParser() {}

    public static Optional<ContainerExit> parse(String line) {
        if (line == null || line.isBlank() || line.length() > 1 << 20) return Optional.empty();
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (n == null || !n.isObject()) return Optional.empty();
        if (!"container".equals(n.path("Type").asText()) || !"died".equals(n.path("Status").asText())) return Optional.empty();
        String id = n.path("ID").asText("");
        JsonNode code = n.get("ContainerExitCode");
        if (!ContainerIds.isFull(id)) return Optional.empty();
        // podman omits the field when it is 0 (Go omitempty); -1 is its "unknown".
        int exit = code == null ? 0 : code.canConvertToInt() ? code.asInt() : -1;
        Instant time;
        try {
            time = Instant.parse(n.path("Time").asText());
        } catch (DateTimeParseException e) {
            time = Instant.now();
        }
        return Optional.of(new ContainerExit(id, exit, time));
    }
}
