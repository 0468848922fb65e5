package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The profile-driven policy: exec allow/deny lists and a network mode.
 *
 * @param exec    the exec lists
 * @param network the network mode
 * @param proxy   the proxy's own address, which a {@link NetworkMode#GATED} container may also reach directly
 *                (e.g. as {@code HTTP_PROXY}); may be null for other modes
 *
 * <p>Gated: besides loopback and AF_UNIX, IPv4 connects to ports 80 and 443 (any address: the container's
 * nftables rules steer them to the proxy, which decides by name) and 53 (steered to the DNS filter) are
 * allowed; every verdict is reported like any other, so these connects are audited too. Every other
 * destination is denied, IPv6 included (it is dropped by the rules anyway; EPERM fails fast instead of a
 * timeout, so clients fall back to IPv4 at once).
 */
public record StandardSyscallPolicy(ExecRules exec, NetworkMode network, InetSocketAddress proxy) implements SyscallPolicy {
    /** The IPv4 ports a Gated container may connect to on any address: web (to the proxy) and DNS (to the filter). */
    public static final java.util.Set<Integer> GATED_STEERED_PORTS = java.util.Set.of(53, 80, 443);

    public StandardSyscallPolicy {
        Objects.requireNonNull(exec, "exec");
        Objects.requireNonNull(network, "network");
        if (network == NetworkMode.GATED && (proxy == null || proxy.isUnresolved()))
            throw new IllegalArgumentException("network mode GATED needs a resolved proxy address, got " + proxy);
    }

    @Override
    public Verdict decideExec(GovernedContainer container, ExecRequest request) {
        return exec.decide(request);
    }

    @Override
    public Verdict decideConnect(GovernedContainer container, ConnectTarget target) {
        if (network == NetworkMode.UNRESTRICTED) return Verdict.allow("network unrestricted");
        if (network == NetworkMode.MONITORED) return Verdict.allow("network monitored");
        // AF_UNSPEC dissociates a socket: it reaches nothing
        if (target.family() == ConnectTarget.AF_UNSPEC) return Verdict.allow("AF_UNSPEC disconnects");
        if (target.family() == ConnectTarget.AF_UNIX) return Verdict.allow("AF_UNIX is local");
        if (target.isLoopback()) return Verdict.allow("loopback");
        if (network == NetworkMode.GATED && target.address() != null) {
            if (target.address().equals(proxy.getAddress()) && target.port() == proxy.getPort()) return Verdict.allow("the proxy");
            // an IPv4-mapped IPv6 address decodes to an Inet4Address and travels as IPv4
            if (target.address() instanceof java.net.Inet4Address && GATED_STEERED_PORTS.contains(target.port()))
                return Verdict.allow("gated: port " + target.port() + " is steered to the "
                        + (target.port() == 53 ? "DNS filter" : "proxy") + ": " + target.display());
        }
        return Verdict.deny("network " + network.name().toLowerCase(java.util.Locale.ROOT) + ": " + target.display());
    }
}
