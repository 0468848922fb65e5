package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The profile-driven policy: exec allow/deny lists and a network mode.
 *
 * @param exec    the exec lists
 * @param network the network mode
 * @param proxy   the one non-loopback destination a {@link NetworkMode#GATED} container may reach; may be
 *                null for other modes
 */
public record StandardSyscallPolicy(ExecRules exec, NetworkMode network, InetSocketAddress proxy) implements SyscallPolicy {
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
        if (network == NetworkMode.GATED && target.address() != null && target.address().equals(proxy.getAddress())
                && target.port() == proxy.getPort())
            return Verdict.allow("the proxy");
        return Verdict.deny("network " + network.name().toLowerCase(java.util.Locale.ROOT) + ": " + target.display());
    }
}
