package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file argument (or {@code -} for standard input) read whole, within the API's size limit, as UTF-8.
 * Anything wrong with it is a usage error that names the file; nothing is sent to the daemon then.
 */
final class InputFile {
    /** Profile documents the daemon accepts. */
    static final long PROFILE_LIMIT = 256 * 1024;
    /** Changesets {@code TestPolicy} accepts. */
    static final long CHANGESET_LIMIT = 64L * 1024 * 1024;

    private final String name;
    private final InputStream stdin;

    InputFile(String name, InputStream stdin) {
        this.name = name;
        this.stdin = stdin;
    }

    /** The text of the file. */
    String read(long limit, String what) {
        byte[] bytes;
        try (InputStream in = name.equals("-") ? stdin : Files.newInputStream(Path.of(name))) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (NoSuchFileException e) {
            throw usage("cannot read " + what + " " + display() + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw usage("cannot read " + what + " " + display() + ": " + e.getMessage());
        }
        if (bytes.length > limit)
            throw usage(what + " " + display() + " is larger than the daemon accepts (" + Json.bytes(limit) + ")");
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw usage(what + " " + display() + " is not UTF-8 text");
        }
    }

    /** The text of a JSON file that must hold one object (a changeset); it is sent as it is. */
    String readJsonObject(long limit, String what) {
        String text = read(limit, what);
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw usage(what + " " + display() + " is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                            + ", column " + e.getLocation().getColumnNr() + ")"));
        }
        if (n == null || !n.isObject())
            throw usage(what + " " + display() + " must hold a JSON object (a diff, or {\"changes\": [...]})");
        return text;
    }

    private String display() { return name.equals("-") ? "(standard input)" : name; }

    private static CtlException usage(String message) { return new CtlException(ExitCodes.USAGE, message); }
}
