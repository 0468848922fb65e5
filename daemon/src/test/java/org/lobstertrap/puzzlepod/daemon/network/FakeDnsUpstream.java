package org.lobstertrap.puzzlepod.daemon.network;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A resolver on loopback (UDP and TCP, one port) that answers every A question with one address. */
final class FakeDnsUpstream implements AutoCloseable {
    static final int A = 1, AAAA = 28;

    final DatagramSocket udp;
    final ServerSocket tcp;
    final List<String> questions = new CopyOnWriteArrayList<>();
    private final byte[] address;

    FakeDnsUpstream(InetAddress bind, String answer) throws IOException {
        this.address = InetAddress.ofLiteral(answer).getAddress();
        udp = new DatagramSocket(new InetSocketAddress(bind, 0));
        tcp = new ServerSocket(udp.getLocalPort(), 8, bind);
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[4096];
            while (!udp.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    udp.receive(p);
                    byte[] r = respond(Arrays.copyOf(buf, p.getLength()));
                    udp.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (IOException | RuntimeException e) {
                    // closed, or a query this fake does not understand
                }
            }
        });
        Thread.ofVirtual().start(() -> {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] q = in.readNBytes(in.readUnsignedShort());
                    byte[] r = respond(q);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeShort(r.length);
                    out.write(r);
                } catch (IOException | RuntimeException e) {
                    // closed or a broken client
                }
            }
        });
    }

    InetSocketAddress address() { return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort()); }

    private byte[] respond(byte[] query) {
        DnsQuestion q;
        try {
            q = DnsQuestion.parse(query, query.length);
        } catch (MalformedInput e) {
            throw new IllegalArgumentException(e);
        }
        questions.add(q.name() + "/" + q.type());
        byte[] head = q.answer(query, DnsQuestion.NOERROR);
        if (q.type() != A) return head;
        head[7] = 1; // ANCOUNT
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head);
        out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4});
        out.writeBytes(address);
        return out.toByteArray();
    }

    /** A query for {@code name} with id {@code id}, RD set. */
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        out.write(0);
        out.writeBytes(new byte[] {0, (byte) type, 0, 1});
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}
