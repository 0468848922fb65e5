package org.lobstertrap.puzzlepod.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malicious or broken files get a clear error, never a hang, an OOM or a stack overflow. */
class HostileProfileTest {
    @TempDir Path dir;

    private ProfileException fails(byte[] content) throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.write(f, content);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileRepository.validateFile(f));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e;
    }

    private ProfileException fails(String content) throws Exception {
        return fails(content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void billionLaughsIsRefused() throws Exception {
        StringBuilder y = new StringBuilder("name: p\nlol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            y.append("lol").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) y.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            y.append("]\n");
        }
        ProfileException e = fails(y.toString());
        assertThat(e.code()).isEqualTo(ProfileException.Code.SYNTAX);
        assertThat(e.getMessage()).isEqualTo("p.yaml: invalid YAML: Number of aliases for non-scalar nodes exceeds the specified max=20");
    }

    @Test
    void aFewAliasesAreFine() throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "name: p\nfilesystem:\n  read_allowlist: &ws [/workspace, /tmp]\n  write_allowlist: *ws\n");
        assertThat(ProfileRepository.validateFile(f).filesystem().writeAllowlist()).containsExactly("/workspace", "/tmp");
    }

    @Test
    void hugeFileIsRefusedBeforeParsing() throws Exception {
        byte[] big = ("name: p\ndescription: '" + "x".repeat(300_000) + "'\n").getBytes(StandardCharsets.UTF_8);
        ProfileException e = fails(big);
        assertThat(e.code()).isEqualTo(ProfileException.Code.IO);
        assertThat(e.getMessage()).isEqualTo("p.yaml: file is " + big.length + " bytes, more than the 262144 a profile may have");
    }

    @Test
    void nonUtf8IsRefused() throws Exception {
        byte[] latin1 = "name: p\ndescription: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        ProfileException e = fails(latin1);
        assertThat(e.code()).isEqualTo(ProfileException.Code.IO);
        assertThat(e.getMessage()).isEqualTo("p.yaml: not valid UTF-8 (bad byte at offset 24)");
    }

    @Test
    void nulByteIsRefused() throws Exception {
        ProfileException e = fails("name: p\n\0\n");
        assertThat(e.getMessage()).isEqualTo("p.yaml: contains a NUL byte (not a text file)");
    }

    @Test
    void tabIndentationIsRefusedWithItsLine() throws Exception {
        ProfileException e = fails("name: p\nfilesystem:\n\tread_allowlist: [/workspace]\n");
        assertThat(e.code()).isEqualTo(ProfileException.Code.SYNTAX);
        assertThat(e.getMessage()).isEqualTo("p.yaml: line 3: tab character in indentation (YAML indents with spaces only)");
    }

    @Test
    void duplicateKeysAreRefused() throws Exception {
        ProfileException e = fails("name: p\nfail_mode: closed\nfail_mode: operational\n");
        assertThat(e.code()).isEqualTo(ProfileException.Code.SYNTAX);
        assertThat(e.getMessage()).isEqualTo("p.yaml: line 3: invalid YAML: found duplicate key fail_mode");
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        ProfileException e = fails("name: p\ndescription: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
        assertThat(e.code()).isEqualTo(ProfileException.Code.SYNTAX);
        assertThat(e.getMessage()).isEqualTo("p.yaml: invalid YAML: Nesting Depth exceeded max 20");
    }

    @Test
    void malformedYamlNamesTheLine() throws Exception {
        ProfileException e = fails("name: p\nfilesystem: {read_allowlist: [/a\n");
        assertThat(e.code()).isEqualTo(ProfileException.Code.SYNTAX);
        assertThat(e.getMessage()).startsWith("p.yaml: line ").contains("invalid YAML");
    }

    @Test
    void emptyAndNonMappingFilesAreRefused() throws Exception {
        assertThat(fails("").getMessage()).isEqualTo("p.yaml: file is empty");
        assertThat(fails("# only a comment\n").getMessage()).isEqualTo("p.yaml: file is empty");
        assertThat(fails("- name: p\n").getMessage()).isEqualTo("p.yaml: top level must be a mapping of keys, not a list");
        assertThat(fails("just text\n").getMessage()).isEqualTo("p.yaml: top level must be a mapping of keys, not a string");
    }

    @Test
    void missingFileIsAClearError() {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileRepository.validateFile(dir.resolve("nope.yaml")));
        assertThat(e.code()).isEqualTo(ProfileException.Code.IO);
        assertThat(e.getMessage()).isEqualTo("nope.yaml: file not found");
    }
}
