package org.lobstertrap.puzzlepod.daemon.network;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Gated containers the proxy and the DNS filter serve, by source address: the address a container's
 * packets come from on the bridge decides whose allowlist applies and which branch a decision is audited for.
 * Requests from any other address are refused.
 */
public final class GatedContainers {
    /** A registered container. */
    public record Registration(InetAddress address, String branchId, DomainAllowlist allowlist) {
        public Registration {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(branchId, "branchId");
            Objects.requireNonNull(allowlist, "allowlist");
        }
    }

    private final Map<InetAddress, Registration> byAddress = new ConcurrentHashMap<>();

    /** Registers (or replaces) the container at {@code address}. */
    public void register(InetAddress address, String branchId, DomainAllowlist allowlist) {
        byAddress.put(address, new Registration(address, branchId, allowlist));
    }

    /** Forgets the container at {@code address}; connections already open stay open. */
    public void unregister(InetAddress address) { byAddress.remove(address); }

    /** The registration for {@code source}, or null. */
    public Registration lookup(InetAddress source) { return byAddress.get(source); }
}
