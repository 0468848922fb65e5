package org.lobstertrap.puzzlepod.daemon.network;

import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** The audit record type these decisions are logged as. */
    public static final String AUDIT_TYPE = "network.decision";

    /**
     * The audit record's {@code data} (strings, integers and booleans only; absent values left out): source,
     * protocol, host, port, allowed, reason, upstream. The branch goes into the record's own {@code branch}.
     */
    public Map<String, Object> auditData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source.getHostAddress());
        m.put("protocol", protocol);
        if (host != null) m.put("host", host);
        if (port != 0) m.put("port", port);
        m.put("allowed", allowed);
        m.put("reason", reason);
        if (upstream != null) m.put("upstream", upstream);
        return m;
    }
}
