package org.lobstertrap.puzzlepod.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the AsciiDoc man pages that picocli-codegen's {@code ManPageGenerator} writes ({@code NAME.adoc},
 * doctype manpage) into roff man pages ({@code NAME.1}) that {@code man} reads, so the build needs no
 * asciidoctor. It knows exactly the AsciiDoc that generator emits: header attributes, a {@code = name(1)}
 * title, {@code ==} sections, paragraphs, {@code term::} definition lists, {@code [%hardbreaks]} blocks,
 * {@code *bold*}, {@code _italic_} and {@code xref:page.adoc[label]}. Run by the Maven build; the
 * argument is the directory of {@code .adoc} files, the {@code .1} files go next to them.
 */
public final class ManPageRoff {
    private static final Pattern XREF = Pattern.compile("xref:[^\\[\\s]+\\[([^\\]]*)\\]");
    private static final Pattern BOLD = Pattern.compile("(?<![\\w*])\\*([^*\\s](?:[^*]*[^*\\s])?)\\*(?![\\w*])");
    private static final Pattern ITALIC = Pattern.compile("(?<![\\w_])_([^_\\s](?:[^_]*[^_\\s])?)_(?![\\w_])");
    private static final Pattern TITLE = Pattern.compile("= (\\S+)\\((\\d)\\)");

    private ManPageRoff() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ManPageRoff DIR   (converts DIR/*.adoc to DIR/*.1)");
            System.exit(2);
        }
        int n = convertAll(Path.of(args[0]));
        if (n == 0) {
            System.err.println("ManPageRoff: no .adoc man pages in " + args[0]);
            System.exit(1);
        }
    }

    /** Converts every {@code .adoc} in {@code dir}; returns how many. */
    public static int convertAll(Path dir) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> pages = Files.newDirectoryStream(dir, "*.adoc")) {
            for (Path adoc : pages) {
                String roff = convert(Files.readString(adoc, StandardCharsets.UTF_8));
                String name = adoc.getFileName().toString();
                Files.writeString(dir.resolve(name.substring(0, name.length() - ".adoc".length()) + ".1"), roff,
                        StandardCharsets.UTF_8);
                n++;
            }
        }
        return n;
    }

    /** One AsciiDoc man page as roff. */
    public static String convert(String adoc) {
        Page page = new Page();
        for (String raw : adoc.split("\n", -1)) page.line(raw.stripTrailing());
        page.flush();
        return page.out.toString();
    }

    /** The state of one conversion: the roff so far and the paragraph being collected. */
    private static final class Page {
        final StringBuilder out = new StringBuilder();
        final Map<String, String> attributes = new HashMap<>();
        final List<String> paragraph = new ArrayList<>();
        boolean hardbreaks;
        boolean afterTerm;
        String section = "";

        void line(String line) {
            if (line.startsWith("//")) return;
            if (line.isBlank()) {
                flush();
                return;
            }
            if (out.isEmpty() && line.startsWith(":") && line.indexOf(':', 1) > 0) {
                int colon = line.indexOf(':', 1);
                attributes.put(line.substring(1, colon), line.substring(colon + 1).strip());
                return;
            }
            Matcher title = TITLE.matcher(line);
            if (title.matches()) {
                out.append(".TH \"").append(title.group(1).toUpperCase(Locale.ROOT)).append("\" \"").append(title.group(2))
                        .append("\" \"\" \"").append(quoted(attributes.getOrDefault("mansource", "")))
                        .append("\" \"").append(quoted(attributes.getOrDefault("manmanual", ""))).append("\"\n");
                return;
            }
            if (line.startsWith("== ")) {
                flush();
                section = line.substring(2).strip();
                if (section.endsWith(":")) section = section.substring(0, section.length() - 1);
                afterTerm = false;
                out.append(".SH \"").append(quoted(section.toUpperCase(Locale.ROOT))).append("\"\n");
                return;
            }
            if (line.equals("[%hardbreaks]")) {
                flush();
                hardbreaks = true;
                return;
            }
            if (line.endsWith("::") && !line.startsWith(" ")) {
                flush();
                out.append(".TP\n").append(safeStart(inline(line.substring(0, line.length() - 2)))).append('\n');
                afterTerm = true;
                return;
            }
            paragraph.add(hardbreaks ? line : line.strip());
        }

        void flush() {
            if (paragraph.isEmpty()) return;
            if (hardbreaks) {
                out.append(".nf\n");
                for (String l : paragraph) out.append(safeStart(inline(l))).append('\n');
                out.append(".fi\n");
            } else {
                String text = String.join(" ", paragraph);
                String roff;
                int dash = text.indexOf(" - ");
                if (section.equalsIgnoreCase("Name") && dash > 0) {
                    // NAME is "page \- what it does", what man's index (whatis) reads
                    roff = inline(text.substring(0, dash)) + " \\- " + inline(text.substring(dash + 3));
                } else {
                    roff = inline(text);
                }
                if (!afterTerm) out.append(".PP\n");
                out.append(safeStart(roff)).append('\n');
            }
            paragraph.clear();
            hardbreaks = false;
            afterTerm = false;
        }
    }

    /** Inline markup: escapes first (backslash, hyphen), then bold, italic and cross references. */
    static String inline(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        t = XREF.matcher(t).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        t = BOLD.matcher(t).replaceAll(m -> Matcher.quoteReplacement("\\fB" + m.group(1) + "\\fR"));
        t = ITALIC.matcher(t).replaceAll(m -> Matcher.quoteReplacement("\\fI" + m.group(1) + "\\fR"));
        return t;
    }

    /** A line starting with '.' or '\'' would be a roff request. */
    private static String safeStart(String line) {
        return line.startsWith(".") || line.startsWith("'") ? "\\&" + line : line;
    }

    private static String quoted(String s) { return s.replace("\"", "\\(dq"); }
}
