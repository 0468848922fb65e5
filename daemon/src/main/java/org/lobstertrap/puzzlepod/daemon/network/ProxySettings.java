package org.lobstertrap.puzzlepod.daemon.network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the proxy listens and its limits.
 *
 * @param bind           the listening address; the wildcard address works before the container bridge exists
 * @param localAddress   when not null, connections must have arrived at this local address (the bridge's, e.g.
 *                       10.88.0.1), so a wildcard listener serves only the bridge
 * @param headTimeout    the time a client has to send its whole request head or ClientHello (slow senders are cut)
 * @param connectTimeout the time to connect to one upstream address
 * @param idleTimeout    a spliced connection with no traffic either way for this long is closed
 * @param maxConnections connections handled at once; more are closed at once
 * @param maxPerSource   connections from one container address at once, so one container cannot starve the others
 */
public record ProxySettings(InetSocketAddress bind, InetAddress localAddress, Duration headTimeout, Duration connectTimeout,
                            Duration idleTimeout, int maxConnections, int maxPerSource) {
    public ProxySettings {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(headTimeout, "headTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be positive");
        if (maxPerSource < 1) throw new IllegalArgumentException("maxPerSource must be positive");
    }

    /** Listens on {@code bind} with 10 s for the head, 10 s per connect, 5 min idle, 1024 connections, 256 per container. */
    public static ProxySettings defaults(InetSocketAddress bind, InetAddress localAddress) {
        return new ProxySettings(bind, localAddress, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(5), 1024, 256);
    }

    /** These settings with another head timeout. */
    public ProxySettings withHeadTimeout(Duration d) {
        return new ProxySettings(bind, localAddress, d, connectTimeout, idleTimeout, maxConnections, maxPerSource);
    }

    /** These settings with another per-container connection limit. */
    public ProxySettings withMaxPerSource(int n) {
        return new ProxySettings(bind, localAddress, headTimeout, connectTimeout, idleTimeout, maxConnections, n);
    }
}
