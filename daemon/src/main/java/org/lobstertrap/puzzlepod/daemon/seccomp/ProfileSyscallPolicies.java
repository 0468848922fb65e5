package org.lobstertrap.puzzlepod.daemon.seccomp;

import java.net.InetSocketAddress;
import org.lobstertrap.puzzlepod.core.profile.ExecRule;
import org.lobstertrap.puzzlepod.core.profile.Profile;

/** The {@link StandardSyscallPolicy} of a profile: its exec lists and its network mode. */
public final class ProfileSyscallPolicies {
    private ProfileSyscallPolicies() {}

    /**
     * The policy for a container running under {@code profile}.
     *
     * @param gatedProxy the proxy's address a Gated container may reach directly; required for Gated profiles
     * @throws IllegalArgumentException when the profile is Gated and no proxy address is known
     */
    public static StandardSyscallPolicy of(Profile profile, InetSocketAddress gatedProxy) {
        return of(profile, gatedProxy, "/workspace");
    }

    /**
     * Like {@link #of(Profile, InetSocketAddress)} for a container whose workspace is mounted at
     * {@code workspace}: that and the profile's {@code write_allowlist} are the writable locations where a
     * basename entry of {@code exec_allowlist} allows nothing ({@link ExecRules}).
     */
    public static StandardSyscallPolicy of(Profile profile, InetSocketAddress gatedProxy, String workspace) {
        return of(profile, gatedProxy, workspace, 0);
    }

    /**
     * Like {@link #of(Profile, InetSocketAddress, String)} for the container whose init is {@code initPid}
     * (0: unknown): each writable location is also taken as it resolves in that container's root, since
     * Landlock grants the directory a symlinked entry leads to, and the supervisor compares resolved paths.
     */
    public static StandardSyscallPolicy of(Profile profile, InetSocketAddress gatedProxy, String workspace, int initPid) {
        return of(profile, gatedProxy, workspace, initPid, RootResolver.direct());
    }

    /**
     * Like {@link #of(Profile, InetSocketAddress, String, int)}, resolving the writable locations with
     * {@code roots} (the container's resolver: a rootless container's root is only readable from its user
     * namespace).
     */
    public static StandardSyscallPolicy of(Profile profile, InetSocketAddress gatedProxy, String workspace, int initPid,
                                           RootResolver roots) {
        java.util.List<String> writable = new java.util.ArrayList<>(profile.filesystem().writeAllowlist());
        if (workspace != null) writable.add(workspace);
        if (initPid > 0) {
            for (String w : java.util.List.copyOf(writable)) {
                String r = roots.resolve(initPid, w);
                if (r != null && !writable.contains(r)) writable.add(r);
            }
        }
        ExecRules exec = new ExecRules(profile.execAllowlist().stream().map(ExecRule::pattern).toList(),
                profile.execDenylist().stream().map(ExecRule::pattern).toList(), writable);
        NetworkMode mode = switch (profile.network().mode()) {
            case Blocked -> NetworkMode.BLOCKED;
            case Gated -> NetworkMode.GATED;
            case Monitored -> NetworkMode.MONITORED;
            case Unrestricted -> NetworkMode.UNRESTRICTED;
        };
        return new StandardSyscallPolicy(exec, mode, mode == NetworkMode.GATED ? gatedProxy : null);
    }
}
