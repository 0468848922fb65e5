package org.lobstertrap.puzzlepod.bridge;

/** Container ids as podman and the OCI state give them: 64 lower-case hex digits. */
public final class ContainerIds {
    private ContainerIds() {}

    public static boolean isFull(String id) {
        if (id == null || id.length() != 64) return false;
        for (int i = 0; i < 64; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }
}
