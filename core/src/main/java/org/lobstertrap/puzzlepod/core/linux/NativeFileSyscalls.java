package org.lobstertrap.puzzlepod.core.linux;

/**
 * {@link FileSyscalls} on the real kernel through Java FFM. PLACEHOLDER: the FFM implementation lands
 * with the native layer; this class exists so that the interface compiles.
 */
public final class NativeFileSyscalls {
    private NativeFileSyscalls() {}
    static FileSyscalls instance() { throw new UnsupportedOperationException("native layer not built yet"); }
}
