package org.lobstertrap.puzzlepod.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.lobstertrap.puzzlepod.client.json.StrictJsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * JSON as the hooks read and write it: strict (duplicate keys and trailing data are errors, so a spec
 * cannot say two things at once), numbers kept exactly as given, input bounded. Trees are built and written by
 * {@link JsonTreeReader} and {@link JsonTreeWriter}: an {@code ObjectMapper}, and even jackson-core's streaming
 * parser and generator, cost more start-up than the rest of a hook run.
 */
final class HookJson {
    private HookJson() {}

    /** The most a hook reads from stdin or a bundle's config.json; real specs are ~20 KiB. */
    static final int MAX_INPUT = 16 << 20;
    private static final int MAX_DEPTH = 256;

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** Reads at most {@link #MAX_INPUT} bytes; more is a {@code BAD_INPUT} error. */
    static byte[] readBounded(InputStream in, String what) throws HookException {
        try {
            byte[] data = in.readNBytes(MAX_INPUT + 1);
            if (data.length > MAX_INPUT) throw new HookException(HookError.BAD_INPUT, what + " is larger than " + (MAX_INPUT >> 20) + " MiB");
            return data;
        } catch (IOException e) {
            throw new HookException(HookError.INTERNAL, "cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** Parses one JSON object; anything else is a {@code BAD_INPUT} error that says what was expected. */
    static JsonNode parseObject(byte[] data, String what) throws HookException {
        if (data.length == 0) throw new HookException(HookError.BAD_INPUT, what + " is empty (expected a JSON object)");
        JsonNode n;
        try {
            n = JsonTreeReader.read(data, MAX_DEPTH, NODES);
        } catch (StrictJsonReader.Malformed e) {
            throw new HookException(HookError.BAD_INPUT, what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null) throw new HookException(HookError.BAD_INPUT, what + " is empty (expected a JSON object)");
        if (!n.isObject()) throw new HookException(HookError.BAD_INPUT, what + " is not a JSON object");
        return n;
    }

    /** Reads and parses a JSON file of at most {@link #MAX_INPUT} bytes. */
    static JsonNode readObject(Path file, String what) throws HookException {
        try (InputStream in = Files.newInputStream(file)) {
            return parseObject(readBounded(in, what), what);
        } catch (NoSuchFileException e) {
            throw new HookException(HookError.BAD_INPUT, what + " does not exist", e);
        } catch (IOException e) {
            throw new HookException(HookError.INTERNAL, "cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** Compact JSON of a tree, numbers as they were read. */
    static String write(JsonNode n) { return JsonTreeWriter.write(n); }
}
