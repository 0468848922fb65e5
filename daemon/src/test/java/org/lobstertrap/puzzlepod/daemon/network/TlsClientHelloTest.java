package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TlsClientHelloTest {
    @Test
    void jdkClientHelloYieldsItsServerName() throws Exception {
        byte[] hello = TlsClients.clientHello("allowed.test");
        TlsClientHello h = TlsClientHello.parse(hello, hello.length);
        assertThat(h.serverName()).isEqualTo("allowed.test");
        assertThat(h.encrypted()).isFalse();
        assertThat(h.length()).isEqualTo(hello.length);
    }

    @Test
    void withoutSniThereIsNoName() throws Exception {
        byte[] hello = TlsClients.clientHello(null);
        assertThat(TlsClientHello.parse(hello, hello.length).serverName()).isNull();
    }

    @Test
    void everyPrefixNeedsMoreAndNeverFails() throws Exception {
        byte[] hello = TlsClients.clientHello("a.example.com");
        for (int len = 0; len < hello.length; len++) assertThat(TlsClientHello.parse(hello, len)).as("prefix " + len).isNull();
    }

    @Test
    void aClientHelloSplitOverTwoRecordsIsReassembled() throws Exception {
        byte[] hello = TlsClients.clientHello("split.example.com");
        int body = hello.length - 5, first = body / 3;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {22, 3, 1, (byte) (first >> 8), (byte) first});
        out.write(hello, 5, first);
        int rest = body - first;
        out.write(new byte[] {22, 3, 1, (byte) (rest >> 8), (byte) rest});
        out.write(hello, 5 + first, rest);
        byte[] two = out.toByteArray();
        assertThat(TlsClientHello.parse(two, two.length).serverName()).isEqualTo("split.example.com");
        assertThat(TlsClientHello.parse(two, 5 + first + 3)).isNull();
    }

    @Test
    void corruptedLengthsAreMalformed() throws Exception {
        byte[] hello = TlsClients.clientHello("a.example.com");
        byte[] notHandshake = hello.clone();
        notHandshake[5] = 2; // ServerHello
        assertThatThrownBy(() -> TlsClientHello.parse(notHandshake, notHandshake.length)).hasMessageContaining("not a ClientHello");
        byte[] badVersion = hello.clone();
        badVersion[1] = 9;
        assertThatThrownBy(() -> TlsClientHello.parse(badVersion, badVersion.length)).hasMessageContaining("record version");
        byte[] shortHandshake = hello.clone();
        shortHandshake[8] = (byte) (shortHandshake[8] - 7); // handshake length too small: extensions overrun it
        assertThatThrownBy(() -> TlsClientHello.parse(shortHandshake, shortHandshake.length)).isInstanceOf(MalformedInput.class);
        byte[] huge = {22, 3, 1, 0x40, 0x01};
        assertThatThrownBy(() -> TlsClientHello.parse(huge, huge.length)).hasMessageContaining("record length");
    }

    @Test
    void anEndlessStreamOfTinyRecordsHitsTheLimit() {
        byte[] buf = new byte[TlsClientHello.MAX_BYTES];
        // a ClientHello that claims 0xFFFFFF bytes, then one-byte records
        byte[] start = {22, 3, 1, 0, 4, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        System.arraycopy(start, 0, buf, 0, start.length);
        assertThatThrownBy(() -> TlsClientHello.parse(buf, buf.length)).hasMessageContaining("larger than");
    }

    @Test
    void handBuiltHelloWithEchIsFlaggedAndTwoNamesAreMalformed() throws Exception {
        byte[] ech = hello(ext(0xfe0d, new byte[] {0, 1, 2}), sni("public.example.com"));
        TlsClientHello h = TlsClientHello.parse(ech, ech.length);
        assertThat(h.encrypted()).isTrue();
        assertThat(h.serverName()).isEqualTo("public.example.com");
        byte[] dup = hello(sni("a.example.com"), sni("b.example.com"));
        assertThatThrownBy(() -> TlsClientHello.parse(dup, dup.length)).hasMessageContaining("duplicate extension");
        byte[] ctl = hello(sni("a.exa\nmple.com"));
        assertThatThrownBy(() -> TlsClientHello.parse(ctl, ctl.length)).hasMessageContaining("printable");
    }

    static byte[] sni(String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] list = new byte[2 + 3 + n.length];
        list[0] = (byte) ((3 + n.length) >> 8);
        list[1] = (byte) (3 + n.length);
        list[2] = 0;
        list[3] = (byte) (n.length >> 8);
        list[4] = (byte) n.length;
        System.arraycopy(n, 0, list, 5, n.length);
        return ext(0, list);
    }

    static byte[] ext(int type, byte[] data) {
        byte[] e = new byte[4 + data.length];
        e[0] = (byte) (type >> 8);
        e[1] = (byte) type;
        e[2] = (byte) (data.length >> 8);
        e[3] = (byte) data.length;
        System.arraycopy(data, 0, e, 4, data.length);
        return e;
    }

    /** A minimal TLS 1.2-style ClientHello record with the given extensions. */
    static byte[] hello(byte[]... extensions) {
        ByteArrayOutputStream exts = new ByteArrayOutputStream();
        for (byte[] e : extensions) exts.writeBytes(e);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {3, 3});
        body.writeBytes(new byte[32]);
        body.write(0);                               // session id
        body.writeBytes(new byte[] {0, 2, 0x13, 0x01}); // one suite
        body.writeBytes(new byte[] {1, 0});          // null compression
        body.write(exts.size() >> 8);
        body.write(exts.size());
        body.writeBytes(exts.toByteArray());
        byte[] b = body.toByteArray();
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        int hs = b.length + 4;
        rec.writeBytes(new byte[] {22, 3, 1, (byte) (hs >> 8), (byte) hs, 1, 0, (byte) (b.length >> 8), (byte) b.length});
        rec.writeBytes(b);
        return Arrays.copyOf(rec.toByteArray(), rec.size());
    }
}
