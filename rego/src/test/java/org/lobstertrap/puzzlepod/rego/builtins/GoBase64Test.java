package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GoBase64Test {
    @Test
    void decodesPaddedAndUnpaddedUrlText() throws Exception {
        assertThat(new String(GoBase64.decodeUrlLenient("eyJhIjoxfQ"), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(new String(GoBase64.decodeStd("Zm9vYg=="), StandardCharsets.UTF_8)).isEqualTo("foob");
        assertThat(GoBase64.decodeStd("")).isEmpty();
    }

    @Test
    void reportsTheOffsetGoReports() {
        assertThatThrownBy(() -> GoBase64.decodeStd("foobar")).hasMessage("illegal base64 data at input byte 4");
        assertThatThrownBy(() -> GoBase64.decodeStd("invalid")).hasMessage("illegal base64 data at input byte 4");
        assertThatThrownBy(() -> GoBase64.decodeUrl("ab(d")).hasMessage("illegal base64 data at input byte 2");
        assertThatThrownBy(() -> GoBase64.decodeStd("Zm9v=g==")).hasMessage("illegal base64 data at input byte 4");
        assertThatThrownBy(() -> GoBase64.decodeUrlLenient("abcde")).hasMessage("illegal base64url string: abcde");
    }
}
