package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AsciiDoc that picocli-codegen writes, as roff: sections, definition lists, hard breaks, inline markup, escapes. */
class ManPageRoffTest {
    static final String PAGE = """
            // tag::picocli-generated-full-manpage[]
            :doctype: manpage
            :manmanual: Tool Manual
            :mansource: tool 1.0
            = tool-run(1)

            == Name

            tool-run - Run a thing.

            == Synopsis

            *tool run* [*-h*] [*--dir*=_DIR_]
                       [*--x*=_X_]

            == Options

            *--dir*=_DIR_::
              Where; e.g. $SOME_VAR or fail_mode, a back\\slash, 1-2.

            == Commands

            xref:tool-run-now.adoc[*now*]::
              Right now.

            ==  Environment:

            [%hardbreaks]
              TOOL_BUS  the bus
            .dot line

            """;

    @Test
    void convertsTheGeneratorsSubset() {
        assertThat(ManPageRoff.convert(PAGE)).isEqualTo("""
                .TH "TOOL-RUN" "1" "" "tool 1.0" "Tool Manual"
                .SH "NAME"
                .PP
                tool\\-run \\- Run a thing.
                .SH "SYNOPSIS"
                .PP
                \\fBtool run\\fR [\\fB\\-h\\fR] [\\fB\\-\\-dir\\fR=\\fIDIR\\fR] [\\fB\\-\\-x\\fR=\\fIX\\fR]
                .SH "OPTIONS"
                .TP
                \\fB\\-\\-dir\\fR=\\fIDIR\\fR
                Where; e.g. $SOME_VAR or fail_mode, a back\\eslash, 1\\-2.
                .SH "COMMANDS"
                .TP
                \\fBnow\\fR
                Right now.
                .SH "ENVIRONMENT"
                .nf
                  TOOL_BUS  the bus
                \\&.dot line
                .fi
                """);
    }

    @Test
    void convertsADirectoryAndSaysWhenItIsEmpty(@TempDir Path dir) throws Exception {
        assertThat(ManPageRoff.convertAll(dir)).isZero();
        Files.writeString(dir.resolve("tool-run.adoc"), PAGE);
        assertThat(ManPageRoff.convertAll(dir)).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("tool-run.1"))).startsWith(".TH \"TOOL-RUN\" \"1\"");
    }
}
