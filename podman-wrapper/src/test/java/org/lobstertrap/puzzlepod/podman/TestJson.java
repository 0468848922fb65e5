package org.lobstertrap.puzzlepod.podman;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Jackson for the tests' side (the stand-in daemon, reading the wrapper's --json output). */
final class TestJson {
    private TestJson() {}

    static final ObjectMapper MAPPER = new ObjectMapper();

    static ObjectNode object() { return MAPPER.createObjectNode(); }

    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
