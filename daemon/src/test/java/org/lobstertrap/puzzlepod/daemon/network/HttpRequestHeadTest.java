package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpRequestHeadTest {
    private static HttpRequestHead parse(String s) throws MalformedInput {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return HttpRequestHead.parse(b, b.length);
    }

    @Test
    void originFormUsesHost() throws Exception {
        HttpRequestHead h = parse("GET /simple/ HTTP/1.1\r\nHost: PyPI.org\r\nAccept: */*\r\n\r\nBODY");
        assertThat(h.destination()).isEqualTo(new Authority("PyPI.org", 80));
        assertThat(h.length()).isEqualTo(h.length());
        assertThat(new String(h.forwardedHead(), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET /simple/ HTTP/1.1\r\nHost: PyPI.org\r\nAccept: */*\r\nConnection: close\r\n\r\n");
        assertThat(parse("GET / HTTP/1.1\r\nHost: a.example.com:8080\r\n\r\n").destination()).isEqualTo(new Authority("a.example.com", 8080));
    }

    @Test
    void incompleteHeadNeedsMore() throws Exception {
        assertThat(parse("GET / HTTP/1.1\r\nHost: a.b\r\n")).isNull();
        assertThat(HttpRequestHead.looksLikeHttp("GE".getBytes(), 2)).isTrue();
        assertThat(HttpRequestHead.looksLikeHttp("\u0016\u0003".getBytes(), 2)).isFalse();
    }

    @Test
    void connectAndAbsoluteForm() throws Exception {
        HttpRequestHead c = parse("CONNECT pypi.org:443 HTTP/1.1\r\nHost: pypi.org:443\r\n\r\n");
        assertThat(c.isConnect()).isTrue();
        assertThat(c.destination()).isEqualTo(new Authority("pypi.org", 443));
        assertThat(parse("GET http://pypi.org/x?y HTTP/1.1\r\nHost: pypi.org\r\n\r\n").destination()).isEqualTo(new Authority("pypi.org", 80));
        assertThat(parse("GET http://pypi.org:81 HTTP/1.0\r\n\r\n").destination()).isEqualTo(new Authority("pypi.org", 81));
    }

    @Test
    void hopByHopFieldsAreReplacedByConnectionClose() throws Exception {
        HttpRequestHead h = parse("GET / HTTP/1.1\r\nHost: a.b\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\nKeep-Alive: 5\r\nX: y\r\n\r\n");
        assertThat(new String(h.forwardedHead(), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET / HTTP/1.1\r\nHost: a.b\r\nX: y\r\nConnection: close\r\n\r\n");
    }

    @Test
    void malformedHeadsAreRefusedWithAReason() {
        String[][] cases = {
                {"GET / HTTP/1.1\r\n\r\n", "missing Host"},
                {"GET / HTTP/1.0\r\n\r\n", "missing Host"},
                {"GET / HTTP/1.1\r\nHost: a.b\r\nHost: c.d\r\n\r\n", "more than one Host"},
                {"GET http://a.b/ HTTP/1.1\r\nHost: c.d\r\n\r\n", "disagrees"},
                {"GET http://x@a.b/ HTTP/1.1\r\n\r\n", "user information"},
                {"GET https://a.b/ HTTP/1.1\r\nHost: a.b\r\n\r\n", "only http://"},
                {"CONNECT a.b HTTP/1.1\r\n\r\n", "no port"},
                {"CONNECT a.b:99999 HTTP/1.1\r\n\r\n", "outside 1-65535"},
                {"GET / HTTP/2.0\r\nHost: a.b\r\n\r\n", "unsupported version"},
                {"GET  / HTTP/1.1\r\nHost: a.b\r\n\r\n", "request line"},
                {"GET / HTTP/1.1\r\nHost: a.b\r\n folded\r\n\r\n", "folding"},
                {"GET / HTTP/1.1\r\nHost : a.b\r\n\r\n", "invalid field name"},
                {"GET / HTTP/1.1\r\nHost: a.b\r\nX: a\u0001b\r\n\r\n", "control character"},
                {"GET / HTTP/1.1\r\nHost: a.b/c\r\n\r\n", "invalid character"},
                {"GET / HTTP/1.1\r\nHost: a.b:1:2\r\n\r\n", "more than one ':'"},
                {"GET / HTTP/1.1\r\nHost: \r\n\r\n", "empty host"},
        };
        for (String[] c : cases)
            assertThatThrownBy(() -> parse(c[0]).destination()).as(c[0]).isInstanceOf(MalformedInput.class).hasMessageContaining(c[1]);
    }

    @Test
    void oversizedHeadsAndTooManyFieldsAreRefused() {
        String big = "GET / HTTP/1.1\r\nHost: a.b\r\nX: " + "a".repeat(HttpRequestHead.MAX_HEAD_BYTES) + "\r\n\r\n";
        assertThatThrownBy(() -> parse(big)).hasMessageContaining("larger than");
        String incompleteBig = "GET / HTTP/1.1\r\nX: " + "a".repeat(HttpRequestHead.MAX_HEAD_BYTES);
        assertThatThrownBy(() -> parse(incompleteBig)).hasMessageContaining("larger than");
        String many = "GET / HTTP/1.1\r\nHost: a.b\r\n" + "X: y\r\n".repeat(HttpRequestHead.MAX_FIELDS + 1) + "\r\n";
        assertThatThrownBy(() -> parse(many)).hasMessageContaining("header fields");
    }
}
