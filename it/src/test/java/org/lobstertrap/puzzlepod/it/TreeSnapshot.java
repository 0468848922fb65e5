package org.lobstertrap.puzzlepod.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory tree as the map relative path → what is there ("file MODE sha256", "dir MODE", "link TARGET",
 * "other"), so two snapshots compare byte for byte and a failing test shows which entry differs.
 */
public record TreeSnapshot(Map<String, String> entries) {

    public static TreeSnapshot of(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                if (p.equals(root)) continue;
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String mode = PosixFilePermissions.toString(a.permissions());
                String what;
                if (a.isSymbolicLink()) what = "link " + Files.readSymbolicLink(p);
                else if (a.isDirectory()) what = "dir " + mode;
                else if (a.isRegularFile()) what = "file " + mode + " " + sha256(p);
                else what = "other " + mode;
                out.put(root.relativize(p).toString(), what);
            }
        }
        return new TreeSnapshot(out);
    }

    /** The files of the tree (relative path → content), for exact-content assertions on small trees. */
    static Map<String, String> fileContents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) out.put(root.relativize(p).toString(), Files.readString(p));
        }
        return out;
    }

    private static String sha256(Path p) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
