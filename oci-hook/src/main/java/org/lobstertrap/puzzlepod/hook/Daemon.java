package org.lobstertrap.puzzlepod.hook;

import java.nio.file.Path;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.hook.HookSocketClient;

/** One connection to puzzled's hook socket for one stage; turns the client's errors into hook errors. */
final class Daemon implements AutoCloseable {
    private final HookSocketClient client;

    private Daemon(HookSocketClient client) { this.client = client; }

    static Daemon connect(HookEnvironment env, Path socket) throws HookException {
        try {
            return new Daemon(env.connector().connect(socket));
        } catch (ClientException e) {
            throw translate("connect", e);
        }
    }

    /** One call to the daemon. */
    @FunctionalInterface
    interface Call { String run(HookSocketClient client) throws ClientException; }

    String call(String method, Call call) throws HookException {
        try {
            return call.run(client);
        } catch (ClientException e) {
            throw translate(method, e);
        }
    }

    private static HookException translate(String method, ClientException e) {
        if (e.unreachable()) return new HookException(HookError.DAEMON_UNREACHABLE, e.getMessage(), e);
        return new HookException(HookError.DAEMON_REFUSED, "puzzled refused " + method + " (" + e.code() + "): " + e.getMessage(), e);
    }

    @Override
    public void close() { client.close(); }
}
