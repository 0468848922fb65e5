package org.lobstertrap.puzzlepod.daemon.commit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/**
 * The PREPARED record: the ordered list of {@link CommitOp}s, one per line, as ASCII text. Paths are
 * hex of their raw bytes, so names with newlines or non-UTF-8 bytes survive exactly. The last line
 * carries the operation count and the SHA-256 of everything before it; a record without a valid last
 * line is rejected, never half-applied.
 *
 * <pre>
 * puzzlepod-commit-journal 1
 * out 7372632f6f6c64 0
 * in 3 7372632f6e6577
 * meta 62696e 100755 0 0
 * end 3 &lt;sha-256 hex&gt;
 * </pre>
 */
public final class CommitJournal {
    static final String HEADER = "puzzlepod-commit-journal 1";
    private static final HexFormat HEX = HexFormat.of();

    private CommitJournal() {}

    /** The record bytes for {@code ops}. */
    public static byte[] encode(List<CommitOp> ops) {
        StringBuilder sb = new StringBuilder(64 + ops.size() * 48).append(HEADER).append('\n');
        for (CommitOp op : ops) {
            switch (op) {
                case CommitOp.MoveOut m -> sb.append("out ").append(HEX.formatHex(m.path().bytes())).append(' ').append(m.slot());
                case CommitOp.PlaceIn p -> sb.append("in ").append(p.slot()).append(' ').append(HEX.formatHex(p.path().bytes()));
                case CommitOp.SetMetadata s -> sb.append("meta ").append(HEX.formatHex(s.path().bytes())).append(' ')
                        .append(Integer.toOctalString(s.mode())).append(' ').append(Integer.toUnsignedString(s.uid()))
                        .append(' ').append(Integer.toUnsignedString(s.gid()));
            }
            sb.append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        String end = "end " + ops.size() + " " + HEX.formatHex(sha256(body, body.length)) + "\n";
        byte[] tail = end.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[body.length + tail.length];
        System.arraycopy(body, 0, out, 0, body.length);
        System.arraycopy(tail, 0, out, body.length, tail.length);
        return out;
    }

    /** Parses a record written by {@link #encode}; throws JOURNAL_CORRUPT for anything else. */
    public static List<CommitOp> decode(byte[] record) throws CommitException {
        String text = new String(record, StandardCharsets.US_ASCII);
        if (!text.endsWith("\n")) throw corrupt("record is truncated");
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 2 || !lines[0].equals(HEADER)) throw corrupt("unknown header");
        String last = lines[lines.length - 1];
        int bodyLength = text.length() - last.length() - 1;
        String[] endFields = last.split(" ");
        if (endFields.length != 3 || !endFields[0].equals("end")) throw corrupt("missing end line");
        if (!endFields[2].equals(HEX.formatHex(sha256(record, bodyLength)))) throw corrupt("checksum mismatch");
        List<CommitOp> ops = new ArrayList<>(lines.length - 2);
        try {
            for (int i = 1; i < lines.length - 1; i++) {
                String[] f = lines[i].split(" ");
                ops.add(switch (f[0]) {
                    case "out" -> new CommitOp.MoveOut(path(f[1]), Integer.parseInt(f[2]));
                    case "in" -> new CommitOp.PlaceIn(Integer.parseInt(f[1]), path(f[2]));
                    case "meta" -> new CommitOp.SetMetadata(path(f[1]), Integer.parseInt(f[2], 8),
                            Integer.parseUnsignedInt(f[3]), Integer.parseUnsignedInt(f[4]));
                    default -> throw corrupt("unknown operation in line " + (i + 1));
                });
            }
            if (Integer.parseInt(endFields[1]) != ops.size()) throw corrupt("operation count mismatch");
        } catch (RuntimeException e) {
            throw new CommitException(CommitError.JOURNAL_CORRUPT, "malformed journal line: " + e.getMessage(), e, true);
        }
        return ops;
    }

    private static RelPath path(String hex) { return RelPath.of(HEX.parseHex(hex)); }

    private static CommitException corrupt(String why) {
        return new CommitException(CommitError.JOURNAL_CORRUPT, "commit journal unreadable: " + why, null, true);
    }

    private static byte[] sha256(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, 0, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
