package org.lobstertrap.puzzlepod.daemon.network;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.lobstertrap.puzzlepod.core.profile.NetworkRules;

/**
 * The daemon's network side in one piece: the proxy and the DNS filter over one registry of Gated
 * containers, listening on the wildcard address and serving only what arrives at the bridge address.
 * The createRuntime hook applies {@link #rulesetFor} in the container's namespace; the daemon calls
 * {@link #admit} with the container's bridge address and {@link #release} when it stops.
 */
public final class GatedNetwork implements AutoCloseable {
    /** podman's default bridge address. */
    public static final Inet4Address PODMAN_BRIDGE = (Inet4Address) InetAddress.ofLiteral("10.88.0.1");
    /** The proxy's default port on the host. */
    public static final int DEFAULT_PROXY_PORT = 18080;
    /** The DNS filter's default port (UDP and TCP) on the host. */
    public static final int DEFAULT_DNS_PORT = 18053;

    /** slirp4netns' gateway: with {@code allow_host_loopback=true} a rootless container reaches the host's loopback there. */
    public static final Inet4Address SLIRP_GATEWAY = (Inet4Address) InetAddress.ofLiteral("10.0.2.2");
    private static final Inet4Address LOOPBACK = (Inet4Address) InetAddress.ofLiteral("127.0.0.1");

    private final Inet4Address gateway;
    private final Inet4Address fixedSource;
    private final AllowlistProxy proxy;
    private final DnsFilter dns;

    /**
     * @param gateway     the address the container's rules steer to (the bridge, or slirp4netns' gateway)
     * @param fixedSource the one source admitted for every container, or null to admit each container's own address
     */
    private GatedNetwork(Inet4Address gateway, Inet4Address fixedSource, AllowlistProxy proxy, DnsFilter dns) {
        this.gateway = gateway;
        this.fixedSource = fixedSource;
        this.proxy = proxy;
        this.dns = dns;
    }

    /**
     * Starts the proxy and the DNS filter with the daemon's defaults: system resolver, public addresses only,
     * upstream DNS from {@code resolvConf}.
     *
     * @param bridge     the bridge address containers reach the host at ({@link #PODMAN_BRIDGE})
     * @param proxyPort  the proxy's port ({@link #DEFAULT_PROXY_PORT})
     * @param dnsPort    the DNS filter's port ({@link #DEFAULT_DNS_PORT})
     * @param resolvConf the host's resolver configuration ({@link ResolvConf#DEFAULT})
     * @param sink       where every decision goes (the audit log: {@link NetworkDecision#AUDIT_TYPE})
     * @throws IOException when a port cannot be bound or resolvConf names no name server
     */
    public static GatedNetwork start(Inet4Address bridge, int proxyPort, int dnsPort, Path resolvConf, NetworkDecisionSink sink)
            throws IOException {
        Objects.requireNonNull(bridge, "bridge");
        InetSocketAddress upstreamDns = ResolvConf.firstNameserver(resolvConf);
        GatedContainers containers = new GatedContainers();
        AllowlistProxy proxy = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(proxyPort), bridge), containers,
                UpstreamResolver.system(), AddressPolicy.publicOnly(), sink);
        try {
            return new GatedNetwork(bridge, null, proxy,
                    DnsFilter.start(new InetSocketAddress(dnsPort), containers, upstreamDns, sink, Duration.ofSeconds(3)));
        } catch (IOException | RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    /**
     * A proxy and DNS filter for ONE rootless container (a per-user puzzled): both listen on the host's loopback
     * at free ports, and the container's rules steer its traffic to slirp4netns' {@link #SLIRP_GATEWAY}, which
     * slirp4netns (with {@code allow_host_loopback=true}) connects to the host's loopback. slirp4netns makes
     * every connection come from 127.0.0.1, so a source address cannot tell containers apart: each container
     * gets its own pair of ports instead, and 127.0.0.1 is the one source admitted on them. Close it when the
     * container is gone.
     */
    public static GatedNetwork startForSlirp(Path resolvConf, NetworkDecisionSink sink) throws IOException {
        InetSocketAddress upstreamDns = ResolvConf.firstNameserver(resolvConf);
        GatedContainers containers = new GatedContainers();
        AllowlistProxy proxy = AllowlistProxy.start(ProxySettings.defaults(new InetSocketAddress(LOOPBACK, 0), LOOPBACK), containers,
                UpstreamResolver.system(), AddressPolicy.publicOnly(), sink);
        try {
            return new GatedNetwork(SLIRP_GATEWAY, LOOPBACK, proxy,
                    DnsFilter.start(new InetSocketAddress(LOOPBACK, 0), containers, upstreamDns, sink, Duration.ofSeconds(3)));
        } catch (IOException | RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    /**
     * The rules for a container's namespace: Gated → steer to this proxy and DNS filter, Blocked → loopback
     * only, Monitored and Unrestricted → none (null).
     */
    public NftRuleset rulesetFor(org.lobstertrap.puzzlepod.core.profile.NetworkMode mode) {
        return switch (mode) {
            case Gated -> NftRuleset.gated(gateway, proxy.localAddress().getPort(), dns.port());
            case Blocked -> NftRuleset.blocked();
            case Monitored, Unrestricted -> null;
        };
    }

    /**
     * Serves the container at {@code containerAddress} (its address on the bridge) with the profile's rules.
     *
     * @throws InvalidAllowlistEntry when an allowed_domains entry is not acceptable
     */
    public void admit(InetAddress containerAddress, String branchId, NetworkRules rules) {
        proxy.register(containerAddress, branchId, DomainAllowlist.parse(rules.allowedDomains()));
    }

    /**
     * Everything a new container needs, called when it has been created (createRuntime) and before it runs:
     * applies the ruleset for its mode in the network namespace of {@code pid} and, for Gated, admits the
     * namespace's bridge address. Fails closed: on an exception the caller must not let the container run.
     *
     * @return the admitted address for Gated (pass it to {@link #release}), else null
     * @throws NftException when the rules cannot be applied, or a Gated namespace has not exactly one global IPv4 address
     * @throws InvalidAllowlistEntry when an allowed_domains entry is not acceptable (nothing applied)
     */
    public InetAddress enforce(long pid, String branchId, NetworkRules rules) throws NftException {
        DomainAllowlist allowlist = rules.mode() == org.lobstertrap.puzzlepod.core.profile.NetworkMode.Gated
                ? DomainAllowlist.parse(rules.allowedDomains()) : null;
        NftRuleset ruleset = rulesetFor(rules.mode());
        if (ruleset == null) return null;
        NetnsNft netns = NetnsNft.ofPid(pid);
        netns.apply(ruleset);
        if (allowlist == null) return null;
        if (fixedSource != null) {
            proxy.register(fixedSource, branchId, allowlist);
            return fixedSource;
        }
        java.util.List<Inet4Address> addresses = netns.globalIpv4Addresses();
        if (addresses.size() != 1)
            throw new NftException("a Gated container needs exactly one global IPv4 address, pid " + pid + " has " + addresses, 0, "");
        proxy.register(addresses.getFirst(), branchId, allowlist);
        return addresses.getFirst();
    }

    /** Stops serving the container at {@code containerAddress}. */
    public void release(InetAddress containerAddress) { proxy.unregister(containerAddress); }

    /** Where a Gated container may connect directly (for the seccomp policy's {@code proxy}). */
    public InetSocketAddress proxyAddress() { return new InetSocketAddress(gateway, proxy.localAddress().getPort()); }

    /** The DNS filter's port. */
    public int dnsPort() { return dns.port(); }

    @Override
    public void close() {
        proxy.close();
        dns.close();
    }
}
