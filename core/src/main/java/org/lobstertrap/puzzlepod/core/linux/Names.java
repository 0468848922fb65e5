package org.lobstertrap.puzzlepod.core.linux;

import org.lobstertrap.puzzlepod.core.changeset.RelPath;

/** Readable forms of raw file names for error messages. */
final class Names {
    private Names() {}

    /**
     * The name as text: valid UTF-8 stays as it is, control characters and bytes that are not part of
     * valid UTF-8 become {@code \xNN}, a backslash becomes {@code \\}, so distinct names never look alike.
     */
    static String display(byte[] raw) { return RelPath.escape(raw); }

    /** "fd 7". */
    static String fd(int fd) { return "fd " + fd; }
}
