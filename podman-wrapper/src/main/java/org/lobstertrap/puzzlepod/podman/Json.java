package org.lobstertrap.puzzlepod.podman;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reading and writing the daemon's JSON strings. */
final class Json {
    private Json() {}

    static final ObjectMapper MAPPER = new ObjectMapper();

    static ObjectNode object() { return MAPPER.createObjectNode(); }

    /** Parses a daemon answer; an unreadable answer is a {@link DaemonAnswerException}. */
    static JsonNode read(String json, String what) throws DaemonAnswerException {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DaemonAnswerException("puzzled answered " + what + " with unreadable JSON: " + e.getOriginalMessage());
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text field, or {@code fallback} when missing or null. */
    static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    /** A field that must be there (a missing one is the daemon's mistake). */
    static String required(JsonNode n, String field, String what) throws DaemonAnswerException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty())
            throw new DaemonAnswerException("puzzled's " + what + " has no \"" + field + "\"");
        return v.asText();
    }

    /** A daemon answer the wrapper cannot use. Exit code {@link ExitCodes#INTERNAL}. */
    static final class DaemonAnswerException extends Exception {
        DaemonAnswerException(String message) { super(message); }
    }
}
