package org.lobstertrap.puzzlepod.core.branch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BranchIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "b-0123456789abcdef", "A_z-9", "--", "_"})
    void acceptsLettersDigitsUnderscoreDash(String raw) {
        assertThat(BranchId.of(raw).value()).isEqualTo(raw);
        assertThat(BranchId.isValid(raw)).isTrue();
    }

    @Test
    void acceptsExactly64Characters() {
        assertThat(BranchId.of("x".repeat(64)).value()).hasSize(64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "..", ".", "a b", "a.b", "é", "ｂranch", "a\nb", "a\0b", "/abs", "-\u0000"})
    void refusesPathLikeAndNonAsciiIds(String raw) {
        assertThatThrownBy(() -> BranchId.of(raw))
                .isInstanceOf(InvalidBranchId.class)
                .hasMessageContaining("only letters A-Z a-z, digits, '_' and '-' are allowed")
                .satisfies(e -> assertThat(((BranchException) e).code()).isEqualTo("invalid-id"));
    }

    @Test
    void refusesEmptyNullAndTooLong() {
        assertThatThrownBy(() -> BranchId.of("")).isInstanceOf(InvalidBranchId.class).hasMessage("branch id is empty");
        assertThatThrownBy(() -> BranchId.of(null)).isInstanceOf(InvalidBranchId.class).hasMessage("branch id is missing");
        assertThatThrownBy(() -> BranchId.of("x".repeat(65))).isInstanceOf(InvalidBranchId.class)
                .hasMessage("branch id is 65 characters long, at most 64 are allowed");
    }

    @Test
    void messageNamesTheOffendingCharacter() {
        assertThatThrownBy(() -> BranchId.of("ab/c")).hasMessageStartingWith("branch id \"ab/c\" contains '/' at position 2");
        assertThatThrownBy(() -> BranchId.of("a\nb")).hasMessageContaining("the character U+000A at position 1");
    }

    @Test
    void generatedIdsAreValidAndDistinct() {
        Set<BranchId> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            BranchId id = BranchId.generate();
            assertThat(BranchId.isValid(id.value())).isTrue();
            assertThat(id.value()).matches("b-[0-9a-f]{16}");
            seen.add(id);
        }
        assertThat(seen).hasSize(1000);
    }
}
