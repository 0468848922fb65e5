package org.lobstertrap.puzzlepod.client.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.json.JsonText;

/**
 * A connection to puzzled's hook socket (the container toolchain's local channel, {@code client/API.md}
 * "The hook socket"): one JSON request line, one JSON response line, calls one after another. Each method
 * is the {@code Manager1} method of the same name with the same arguments and result (the daemon's JSON
 * string); errors arrive as {@link ClientException} with the same codes as on D-Bus, or with
 * {@link ClientException#unreachable()} when no daemon answers on the socket. Uses no D-Bus class, so the
 * OCI hook and {@code puzzle-podman run} start without loading dbus-java.
 */
public final class HookSocketClient implements AutoCloseable {
    /** Longest response line read; a diff of a large branch is the biggest answer. */
    static final int MAX_RESPONSE_BYTES = 512 << 20;
    private static final byte[] OK_PREFIX = "{\"ok\":".getBytes(StandardCharsets.US_ASCII);
    /** Only errors need a full parser; a successful call never loads one (start-up of short-lived tools). */
    private static final class Parser {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final Path socket;
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

    private HookSocketClient(Path socket, SocketChannel channel) {
        this.socket = socket;
        this.channel = channel;
    }

    /** Connects to the socket at {@code socket} (see {@link HookSocketLocation}). */
    public static HookSocketClient connect(Path socket) throws ClientException {
        Objects.requireNonNull(socket, "socket");
        if (!Files.exists(socket)) {
            throw unreachable(socket, "it does not exist (is puzzled running? it creates the socket when it starts)", null);
        }
        try {
            return new HookSocketClient(socket, SocketChannel.open(UnixDomainSocketAddress.of(socket)));
        } catch (IOException | RuntimeException e) {
            throw unreachable(socket, "cannot connect (" + e.getMessage() + ")", e);
        }
    }

    /** The socket this client is connected to. */
    public Path socket() { return socket; }

    public String createBranch(String profile, String base, String optionsJson) throws ClientException {
        return call("CreateBranch", "profile", profile, "base", base, "options", nz(optionsJson));
    }

    public String inspectBranch(String id) throws ClientException { return call("InspectBranch", "id", id); }

    public String showProfile(String name) throws ClientException { return call("ShowProfile", "name", name); }

    public String diffBranch(String id) throws ClientException { return call("DiffBranch", "id", id); }

    public String commitBranch(String id) throws ClientException { return call("CommitBranch", "id", id); }

    public String rollbackBranch(String id, String reason) throws ClientException {
        return call("RollbackBranch", "id", id, "reason", nz(reason));
    }

    public String triggerGovernance(String id, String eventJson) throws ClientException {
        return call("TriggerGovernance", "id", id, "event", nz(eventJson));
    }

    /** Blocks on this connection up to {@code timeoutMillis} (the daemon caps it at 10 minutes). */
    public String waitBranch(String id, long timeoutMillis) throws ClientException {
        StringBuilder line = request("WaitBranch", "id", id);
        line.setLength(line.length() - 1);
        line.append(",\"timeout_ms\":").append(Math.max(0, timeoutMillis)).append('}');
        return exchange("WaitBranch", line);
    }

    private String call(String op, String... namesAndValues) throws ClientException {
        return exchange(op, request(op, namesAndValues));
    }

    /** {@code {"op":OP,"name":"value",…}}. */
    private static StringBuilder request(String op, String... namesAndValues) {
        StringBuilder b = new StringBuilder(128).append("{\"op\":\"").append(op).append('"');
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String v = namesAndValues[i + 1];
            b.append(",\"").append(namesAndValues[i]).append("\":");
            if (v == null) b.append("null");
            else JsonText.quote(b, v);
        }
        return b.append('}');
    }

    private String exchange(String op, CharSequence request) throws ClientException {
        byte[] response;
        try {
            ByteBuffer out = StandardCharsets.UTF_8.encode(request + "\n");
            while (out.hasRemaining()) channel.write(out);
            response = readLine();
        } catch (IOException e) {
            throw unreachable(socket, op + " failed: the connection broke (" + e.getMessage() + ")", e);
        }
        if (response == null) {
            throw unreachable(socket, op + " got no answer: puzzled closed the connection", null);
        }
        if (startsWith(response, OK_PREFIX) && response[response.length - 1] == '}') {
            return new String(response, OK_PREFIX.length, response.length - OK_PREFIX.length - 1, StandardCharsets.UTF_8);
        }
        throw error(op, response);
    }

    private ClientException error(String op, byte[] response) {
        JsonNode e;
        try {
            e = Parser.JSON.readTree(response).path("error");
        } catch (IOException | RuntimeException x) {
            return new ClientException(ApiError.Internal, "puzzled's answer to " + op + " is not JSON", false, x);
        }
        if (!e.isObject()) return new ClientException(ApiError.Internal, "puzzled's answer to " + op + " has neither ok nor error", false, null);
        String code = e.path("code").asText("");
        ApiError c = ApiError.Internal;
        for (ApiError a : ApiError.values()) if (a.name().equals(code)) c = a;
        return new ClientException(c, e.path("message").asText("(no message)"), false, null);
    }

    /** The next line without its newline; null at end of stream. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int start = in.position();
            for (int i = start; i < in.limit(); i++) {
                if (in.get(i) == '\n') {
                    line.write(in.array(), start, i - start);
                    in.position(i + 1);
                    return line.toByteArray();
                }
            }
            line.write(in.array(), start, in.limit() - start);
            in.position(in.limit());
            if (line.size() > MAX_RESPONSE_BYTES) throw new IOException("answer longer than " + MAX_RESPONSE_BYTES + " bytes");
            in.clear();
            int n = channel.read(in);
            in.flip();
            if (n < 0) return null;
        }
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        if (a.length < prefix.length + 1) return false;
        for (int i = 0; i < prefix.length; i++) if (a[i] != prefix[i]) return false;
        return true;
    }

    private static String nz(String s) { return s == null ? "" : s; }

    private static ClientException unreachable(Path socket, String why, Throwable cause) {
        return new ClientException(ApiError.Unavailable, "puzzled is not reachable on its hook socket " + socket + ": " + why, true, cause);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was pending: every call reads its answer before returning
        }
    }
}
