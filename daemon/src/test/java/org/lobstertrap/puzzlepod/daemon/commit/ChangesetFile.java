package org.lobstertrap.puzzlepod.daemon.commit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.lobstertrap.puzzlepod.core.changeset.Change;
import org.lobstertrap.puzzlepod.core.changeset.ChangeKind;
import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/** Hands a changeset to the crash child: one line per change, raw bytes as hex, "-" for null. */
final class ChangesetFile {
    private static final HexFormat HEX = HexFormat.of();

    private ChangesetFile() {}

    static void write(Changeset cs, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Change c : cs.changes()) {
            sb.append(HEX.formatHex(c.path().bytes())).append(' ').append(c.kind()).append(' ').append(c.directory())
                    .append(' ').append(c.size()).append(' ').append(c.mode()).append(' ').append(c.uid()).append(' ')
                    .append(c.gid()).append(' ').append(c.checksum() == null ? "-" : c.checksum()).append(' ')
                    .append(c.symlinkTarget() == null ? "-" : "x" + HEX.formatHex(c.symlinkTarget())).append(' ')
                    .append(c.hardlinkOf() == null ? "-" : HEX.formatHex(c.hardlinkOf().bytes())).append(' ')
                    .append(c.rdev()).append(' ').append(c.oldMode() == null ? "-" : c.oldMode()).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.US_ASCII);
    }

    static Changeset read(Path file) throws IOException {
        List<Change> changes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] f = line.split(" ");
            changes.add(new Change(RelPath.of(HEX.parseHex(f[0])), ChangeKind.valueOf(f[1]), Boolean.parseBoolean(f[2]),
                    Long.parseLong(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                    f[7].equals("-") ? null : f[7], f[8].equals("-") ? null : HEX.parseHex(f[8].substring(1)),
                    f[9].equals("-") ? null : RelPath.of(HEX.parseHex(f[9])), Long.parseLong(f[10]),
                    f[11].equals("-") ? null : Integer.valueOf(f[11])));
        }
        return new Changeset(changes);
    }
}
