package org.lobstertrap.puzzlepod.daemon.branch;

import org.lobstertrap.puzzlepod.core.branch.BranchException;

/**
 * The branch store could not do its work: unusable branch root, bad base directory, corrupt
 * metadata, or an I/O failure. {@link #code()} tells which.
 */
public final class BranchStoreException extends BranchException {
    /** The branch root is missing, not a directory, not writable, or vanished. */
    public static final String ROOT_UNUSABLE = "root-unusable";
    /** The base directory given for a new branch is unusable. */
    public static final String INVALID_BASE = "invalid-base";
    /** A metadata file cannot be parsed or is inconsistent. */
    public static final String CORRUPT_METADATA = "corrupt-metadata";
    /** Any other I/O failure. */
    public static final String IO = "io";

    public BranchStoreException(String code, String message) { super(code, message); }

    public BranchStoreException(String code, String message, Throwable cause) { super(code, message, cause); }
}
