package org.lobstertrap.puzzlepod.daemon.branch;

import java.io.IOException;
import java.nio.file.Path;

/** Deletes a directory tree completely, without following symlinks out of it. */
@FunctionalInterface
public interface TreeRemover {
    /** Removes {@code dir} and everything beneath it; a missing {@code dir} is not an error. */
    void removeTree(Path dir) throws IOException;
}
