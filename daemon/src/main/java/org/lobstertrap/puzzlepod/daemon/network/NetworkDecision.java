package org.lobstertrap.puzzlepod.daemon.network;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * One decision of the proxy or the DNS filter, for the audit log ({@code network.decision}).
 *
 * @param time     when it was decided
 * @param branchId the container's branch, or null when the source is not a registered container
 * @param source   the container address the request came from
 * @param protocol {@code http}, {@code connect}, {@code tls} or {@code dns}
 * @param host     the name asked for (Host, CONNECT target, SNI or DNS question), or null when none was readable
 * @param port     the port asked for (0 for DNS)
 * @param allowed  whether the request went on
 * @param reason   why, for a person
 * @param upstream the address connected or forwarded to, or null
 */
public record NetworkDecision(Instant time, String branchId, InetAddress source, String protocol, String host, int port,
                              boolean allowed, String reason, String upstream) {
    public NetworkDecision {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(reason, "reason");
    }
}
