package org.lobstertrap.puzzlepod.daemon.dbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.client.ApiError;
import org.lobstertrap.puzzlepod.daemon.api.ApiException;

class ArgumentLimitsTest {
    @Property
    void utf8LengthIsTheEncodedLengthOfValidText(@ForAll String s) {
        // the JDK encodes an unpaired surrogate as one byte ('?'); we count 3, the most it could take
        boolean paired = s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
        long expected = s.getBytes(StandardCharsets.UTF_8).length;
        if (paired) assertThat(ArgumentLimits.utf8Length(s)).isEqualTo(expected);
        else assertThat(ArgumentLimits.utf8Length(s)).isGreaterThanOrEqualTo(expected);
    }

    @Test
    void limitsAreInclusive() {
        assertThatCode(() -> ArgumentLimits.changeset("x".repeat(ArgumentLimits.MAX_CHANGESET_BYTES))).doesNotThrowAnyException();
        assertRefused(() -> ArgumentLimits.changeset("x".repeat(ArgumentLimits.MAX_CHANGESET_BYTES + 1)),
                "changeset is too large: more than 67108864 bytes, at most 67108864 (64 MiB)");
        assertThatCode(() -> ArgumentLimits.json("options", "é".repeat(ArgumentLimits.MAX_JSON_BYTES / 2))).doesNotThrowAnyException();
        assertRefused(() -> ArgumentLimits.json("options", "é".repeat(ArgumentLimits.MAX_JSON_BYTES / 2) + "x"),
                "options is too large: 1048577 bytes, at most 1048576 (1 MiB)");
        assertThatCode(() -> ArgumentLimits.path("base", "/" + "a".repeat(4095))).doesNotThrowAnyException();
        assertRefused(() -> ArgumentLimits.path("base", "/" + "€".repeat(1400)), "base is too large: 4201 bytes");
        assertThatCode(() -> ArgumentLimits.text("reason", "😀".repeat(1024))).doesNotThrowAnyException();
        assertRefused(() -> ArgumentLimits.text("reason", "😀".repeat(1025)), "reason is too long: 1025 characters, at most 1024");
        assertThatCode(() -> ArgumentLimits.id("a".repeat(64))).doesNotThrowAnyException();
        assertRefused(() -> ArgumentLimits.id("a".repeat(65)), "id is too long");
        assertRefused(() -> ArgumentLimits.id(null), "id is missing");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ApiError.InvalidArgument);
            assertThat(e.getMessage()).startsWith(message);
        });
    }
}
