package org.lobstertrap.puzzlepod.hook;

import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/** One connection to puzzled for one stage; turns the client's errors into hook errors. */
final class Daemon implements AutoCloseable {
    private final PuzzlePodClient client;

    private Daemon(PuzzlePodClient client) { this.client = client; }

    static Daemon connect(HookEnvironment env, BusChoice bus) throws HookException {
        try {
            return new Daemon(env.connector().connect(bus));
        } catch (ClientException e) {
            throw translate("connect", e);
        }
    }

    /** One call to the daemon. */
    @FunctionalInterface
    interface Call { String run(PuzzlePodClient client) throws ClientException; }

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
