package org.lobstertrap.puzzlepod.daemon.gate;

import org.lobstertrap.puzzlepod.core.changeset.Changeset;
import org.lobstertrap.puzzlepod.core.changeset.ChangesetJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a changeset's policy-input JSON: every path, kind, mode, owner and content checksum. Two
 * diffs with the same digest describe the same change to the base (what a reviewer approved is what is committed).
 */
public final class ChangesetDigest {
    private ChangesetDigest() {}

    public static String of(Changeset changeset) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(ChangesetJson.toJson(changeset).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
