package org.lobstertrap.puzzlepod.daemon.network;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lobstertrap.puzzlepod.core.profile.NetworkRules;

/**
 * The network side of a governed container's start, per its profile's mode: Blocked → a loopback-only
 * ruleset in its netns (besides {@code --network none}); Gated → the steering ruleset and admission at the
 * proxy and DNS filter, which start with the first Gated container (podman's bridge exists only then);
 * Monitored and Unrestricted → nothing. Every failure is an exception: the caller refuses the container.
 */
public class ContainerNetworks implements AutoCloseable {
    /** Starts the proxy and DNS filter. */
    @FunctionalInterface
    public interface GatedStarter { GatedNetwork start() throws IOException; }

    private final GatedStarter starter;
    private final Map<String, InetAddress> admitted = new ConcurrentHashMap<>();
    private GatedNetwork gated;
    private boolean closed;

    public ContainerNetworks(GatedStarter starter) { this.starter = starter; }

    /** podman's default bridge, the given ports (0: any free one), the host's resolv.conf; decisions to {@code sink}. */
    public static ContainerNetworks onPodmanBridge(int proxyPort, int dnsPort, NetworkDecisionSink sink) {
        return new ContainerNetworks(() -> GatedNetwork.start(GatedNetwork.PODMAN_BRIDGE, proxyPort, dnsPort, ResolvConf.DEFAULT, sink));
    }

    /**
     * For a per-user puzzled and rootless podman (slirp4netns): Blocked as above; Gated gets a proxy and DNS
     * filter of its own per container ({@link GatedNetwork#startForSlirp}), closed on {@link #release}.
     */
    public static ContainerNetworks forRootless(NetworkDecisionSink sink) {
        return new ContainerNetworks(null) {
            private final Map<String, GatedNetwork> own = new ConcurrentHashMap<>();

            @Override
            public String enforce(long pid, String branchId, NetworkRules rules) throws IOException, NftException {
                if (rules.mode() != org.lobstertrap.puzzlepod.core.profile.NetworkMode.Gated) return super.enforce(pid, branchId, rules);
                GatedNetwork g = GatedNetwork.startForSlirp(ResolvConf.DEFAULT, sink);
                try {
                    g.enforce(pid, branchId, rules);
                } catch (NftException | RuntimeException e) {
                    g.close();
                    throw e;
                }
                GatedNetwork old = own.put(branchId, g);
                if (old != null) old.close();
                return "gated via slirp4netns " + g.proxyAddress() + ", dns port " + g.dnsPort();
            }

            @Override
            public void release(String branchId) {
                GatedNetwork g = own.remove(branchId);
                if (g != null) g.close();
            }

            @Override
            public synchronized void close() {
                own.values().forEach(GatedNetwork::close);
                own.clear();
            }
        };
    }

    /**
     * Applies the profile's network rules to the container whose init process is {@code pid}.
     *
     * @return what was done, for the audit log ("none", "blocked", "gated 10.88.0.5")
     */
    public String enforce(long pid, String branchId, NetworkRules rules) throws IOException, NftException {
        switch (rules.mode()) {
            case Monitored, Unrestricted -> { return "none"; }
            case Blocked -> {
                NetnsNft.ofPid(pid).apply(NftRuleset.blocked());
                return "blocked";
            }
            case Gated -> {
                GatedNetwork g = gated();
                InetAddress a = g.enforce(pid, branchId, rules);
                if (a != null) admitted.put(branchId, a);
                return "gated " + (a == null ? "" : a.getHostAddress());
            }
        }
        throw new IllegalStateException("unknown network mode " + rules.mode());
    }

    private synchronized GatedNetwork gated() throws IOException {
        if (closed) throw new IOException("the daemon is shutting down");
        if (gated == null) gated = starter.start();
        return gated;
    }

    /** The branch's container is gone: its address is no longer served. */
    public void release(String branchId) {
        InetAddress a = admitted.remove(branchId);
        GatedNetwork g;
        synchronized (this) { g = gated; }
        if (a != null && g != null) g.release(a);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (gated != null) gated.close();
    }
}
