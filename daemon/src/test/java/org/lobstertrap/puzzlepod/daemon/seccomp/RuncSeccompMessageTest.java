package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RuncSeccompMessageTest {
    private static final String GOOD = """
            {"ociVersion":"1.0.2-dev","fds":["seccompFd"],"pid":4242,"metadata":"branch-x",
             "state":{"ociVersion":"1.0.2-dev","id":"abc123","status":"creating","pid":4242,
                      "bundle":"/run/b","annotations":{"io.podman.x":"y"}}}""";

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static SeccompMessageException.Code refusal(String json, int fds) {
        try {
            RuncSeccompMessage.parse(b(json), fds);
        } catch (SeccompMessageException e) {
            assertThat(e.getMessage()).startsWith("seccomp agent");
            return e.code();
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void parsesRuncsMessage() throws SeccompMessageException {
        RuncSeccompMessage m = RuncSeccompMessage.parse(b(GOOD), 1);
        assertThat(m.pid()).isEqualTo(4242);
        assertThat(m.containerId()).isEqualTo("abc123");
        assertThat(m.metadata()).isEqualTo("branch-x");
        assertThat(m.status()).isEqualTo("creating");
        assertThat(m.bundle()).isEqualTo("/run/b");
        assertThat(m.annotations()).containsEntry("io.podman.x", "y");
    }

    @Test
    void refusesBadMessages() {
        assertThat(refusal("{not json", 1)).isEqualTo(SeccompMessageException.Code.BAD_JSON);
        assertThat(refusal("[1]", 1)).isEqualTo(SeccompMessageException.Code.BAD_JSON);
        assertThat(refusal(GOOD, 0)).isEqualTo(SeccompMessageException.Code.NO_FD);
        assertThat(refusal(GOOD, 2)).isEqualTo(SeccompMessageException.Code.TOO_MANY_FDS);
        assertThat(refusal(GOOD.replace("\"pid\":4242,\"metadata\"", "\"pid\":-1,\"metadata\""), 1))
                .isEqualTo(SeccompMessageException.Code.MISSING_FIELD);
        assertThat(refusal(GOOD.replace("\"branch-x\"", "\"\""), 1)).isEqualTo(SeccompMessageException.Code.MISSING_FIELD);
        assertThat(refusal(GOOD.replace("\"abc123\"", "7"), 1)).isEqualTo(SeccompMessageException.Code.MISSING_FIELD);
        assertThat(refusal(GOOD.replace("[\"seccompFd\"]", "[\"seccompFd\",\"other\"]"), 1))
                .isEqualTo(SeccompMessageException.Code.MISSING_FIELD);
    }
}
