package org.lobstertrap.puzzlepod.core.branch;

/** A string that is not a valid {@link BranchId}. Code {@code "invalid-id"}. */
public final class InvalidBranchId extends BranchException {
    public static final String CODE = "invalid-id";

    public InvalidBranchId(String message) { super(CODE, message); }
}
