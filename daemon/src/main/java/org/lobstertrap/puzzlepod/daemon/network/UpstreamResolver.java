package org.lobstertrap.puzzlepod.daemon.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Turns an allowed destination into the socket addresses the proxy may connect to (before the address check). */
@FunctionalInterface
public interface UpstreamResolver {
    /**
     * The candidate addresses of {@code host:port}, in the order to try.
     *
     * @throws IOException when the name does not resolve
     */
    List<InetSocketAddress> resolve(String host, int port) throws IOException;

    /** The host's resolver ({@link InetAddress#getAllByName}), every address with the requested port. */
    static UpstreamResolver system() {
        return (host, port) -> {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) out.add(new InetSocketAddress(a, port));
            return out;
        };
    }
}
