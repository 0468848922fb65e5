package org.lobstertrap.puzzlepod.rego.eval;

/** Stops an existence check at the first solution (no stack trace: it is control flow). */
final class Halt extends RuntimeException {
    static final Halt INSTANCE = new Halt();
    private Halt() { super(null, null, false, false); }
}
