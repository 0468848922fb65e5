package org.lobstertrap.puzzlepod.daemon.network;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * DNS for allowed names only. nftables rules DNAT a Gated container's UDP and TCP port 53 here; a query from a
 * registered container for a name its allowlist names ({@link DomainAllowlist#allowsName}) is forwarded to the
 * host's resolver and the answer relayed; any other name gets NXDOMAIN, an unregistered source or another opcode
 * REFUSED, a malformed query FORMERR, an upstream that does not answer in time SERVFAIL. The answers' addresses
 * need no check here: the proxy resolves and checks again before it connects, and everything but the proxy is
 * dropped anyway.
 */
public final class DnsFilter implements AutoCloseable {
    /** Queries forwarded at once; more are dropped (clients retry). */
    public static final int MAX_IN_FLIGHT = 256;
    private static final int UDP_BUFFER = 4096;

    private final GatedContainers containers;
    private final InetSocketAddress upstream;
    private final NetworkDecisionSink sink;
    private final Duration upstreamTimeout;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Set<Socket> tcpClients = ConcurrentHashMap.newKeySet();
    private final Thread udpLoop, tcpLoop;
    private volatile boolean closed;

    private DnsFilter(GatedContainers containers, InetSocketAddress upstream, NetworkDecisionSink sink, Duration upstreamTimeout,
                      DatagramSocket udp, ServerSocket tcp) {
        this.containers = containers;
        this.upstream = upstream;
        this.sink = sink;
        this.upstreamTimeout = upstreamTimeout;
        this.udp = udp;
        this.tcp = tcp;
        this.udpLoop = Thread.ofPlatform().name("puzzlepod-dns-udp").daemon().unstarted(this::serveUdp);
        this.tcpLoop = Thread.ofPlatform().name("puzzlepod-dns-tcp").daemon().unstarted(this::serveTcp);
    }

    /**
     * Listens on {@code bind} (UDP and TCP, the same port; port 0 picks one free for both).
     *
     * @param upstream        the resolver allowed queries go to ({@link ResolvConf#firstNameserver} in the daemon)
     * @param upstreamTimeout how long to wait for the upstream's answer
     * @throws IOException when the port cannot be bound
     */
    public static DnsFilter start(InetSocketAddress bind, GatedContainers containers, InetSocketAddress upstream,
                                  NetworkDecisionSink sink, Duration upstreamTimeout) throws IOException {
        Objects.requireNonNull(containers, "containers");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            DatagramSocket udp = new DatagramSocket(null);
            ServerSocket tcp = new ServerSocket();
            try {
                udp.setReuseAddress(true);
                udp.bind(bind);
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(bind.getAddress(), udp.getLocalPort()), 64);
                DnsFilter f = new DnsFilter(containers, upstream, sink, upstreamTimeout, udp, tcp);
                f.udpLoop.start();
                f.tcpLoop.start();
                return f;
            } catch (IOException e) {
                udp.close();
                tcp.close();
                last = e;
                if (bind.getPort() != 0) break; // a fixed port taken is final; a picked one may just collide
            }
        }
        throw new IOException("cannot listen for DNS on " + bind + ": " + last.getMessage(), last);
    }

    /** The bound port (UDP and TCP). */
    public int port() { return udp.getLocalPort(); }

    private void serveUdp() {
        while (!closed) {
            byte[] buf = new byte[UDP_BUFFER];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            if (!inFlight.tryAcquire()) continue;
            byte[] query = Arrays.copyOf(buf, p.getLength());
            InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
            Thread.ofVirtual().name("puzzlepod-dns-query").start(() -> {
                try {
                    byte[] answer = answer(query, from.getAddress(), false);
                    if (answer != null) udp.send(new DatagramPacket(answer, answer.length, from));
                } catch (IOException e) {
                    // the client cannot be reached: it will retry
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    private void serveTcp() {
        while (!closed) {
            Socket c;
            try {
                c = tcp.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            if (!inFlight.tryAcquire()) {
                closeQuietly(c);
                continue;
            }
            tcpClients.add(c);
            Thread.ofVirtual().name("puzzlepod-dns-tcp-conn").start(() -> {
                try (c) {
                    c.setSoTimeout((int) Math.max(1000, 2 * upstreamTimeout.toMillis()));
                    DataInputStream in = new DataInputStream(c.getInputStream());
                    DataOutputStream out = new DataOutputStream(c.getOutputStream());
                    while (true) {
                        int n;
                        try {
                            n = in.readUnsignedShort();
                        } catch (EOFException | SocketTimeoutException e) {
                            return;
                        }
                        byte[] query = in.readNBytes(n);
                        if (query.length < n) return;
                        byte[] answer = answer(query, c.getInetAddress(), true);
                        if (answer == null) return;
                        out.writeShort(answer.length);
                        out.write(answer);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the client went away
                } finally {
                    tcpClients.remove(c);
                    inFlight.release();
                }
            });
        }
    }

    /** The answer to {@code query} from {@code source}, or null when nothing should be sent. */
    byte[] answer(byte[] query, InetAddress source, boolean overTcp) {
        DnsQuestion q;
        try {
            q = DnsQuestion.parse(query, query.length);
        } catch (MalformedInput e) {
            byte[] a = DnsQuestion.headerOnlyAnswer(query, query.length, DnsQuestion.FORMERR);
            GatedContainers.Registration reg = containers.lookup(source);
            decide(reg == null ? null : reg.branchId(), source, null, false, "malformed query: " + e.getMessage(), null);
            return reg == null ? null : a;
        }
        GatedContainers.Registration reg = containers.lookup(source);
        if (reg == null) {
            decide(null, source, q.name(), false, "not a registered Gated container", null);
            return q.answer(query, DnsQuestion.REFUSED);
        }
        if (q.opcode() != 0) {
            decide(reg.branchId(), source, q.name(), false, "opcode " + q.opcode() + " is not QUERY", null);
            return q.answer(query, DnsQuestion.REFUSED);
        }
        if (q.name() == null || !reg.allowlist().allowsName(q.name())) {
            decide(reg.branchId(), source, q.name(), false, "name not allowed for this container", null);
            return q.answer(query, DnsQuestion.NXDOMAIN);
        }
        byte[] response = overTcp ? forwardTcp(q, query) : forwardUdp(q, query);
        String up = upstream.getAddress().getHostAddress() + ":" + upstream.getPort();
        if (response == null) {
            decide(reg.branchId(), source, q.name(), false, "upstream resolver " + up + " did not answer", up);
            return q.answer(query, DnsQuestion.SERVFAIL);
        }
        decide(reg.branchId(), source, q.name(), true, "allowed", up);
        return response;
    }

    private byte[] forwardUdp(DnsQuestion q, byte[] query) {
        // a fresh socket per query: a random source port, and answers to other queries cannot be confused with ours
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(upstream);
            s.send(new DatagramPacket(query, query.length));
            long deadline = System.nanoTime() + upstreamTimeout.toNanos();
            byte[] buf = new byte[DnsQuestion.MAX_MESSAGE];
            while (true) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) return null;
                s.setSoTimeout((int) leftMs);
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    return null;
                }
                if (q.isAnsweredBy(query, buf, p.getLength())) return Arrays.copyOf(buf, p.getLength());
            }
        } catch (IOException e) {
            return null;
        }
    }

    private byte[] forwardTcp(DnsQuestion q, byte[] query) {
        try (Socket s = new Socket()) {
            int timeout = (int) upstreamTimeout.toMillis();
            s.connect(upstream, timeout);
            s.setSoTimeout(timeout);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int n = in.readUnsignedShort();
            byte[] r = in.readNBytes(n);
            return r.length == n && q.isAnsweredBy(query, r, n) ? r : null;
        } catch (IOException e) {
            return null;
        }
    }

    private void decide(String branch, InetAddress source, String name, boolean allowed, String reason, String up) {
        try {
            sink.record(new NetworkDecision(Instant.now(), branch, source, "dns", name, 0, allowed, reason, up));
        } catch (RuntimeException e) {
            // a failing sink must not stop name service
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** Stops listening and closes open TCP connections. */
    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket s : tcpClients) closeQuietly(s);
        try {
            udpLoop.join(5000);
            tcpLoop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
