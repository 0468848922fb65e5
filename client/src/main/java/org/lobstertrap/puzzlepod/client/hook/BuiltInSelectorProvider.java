package org.lobstertrap.puzzlepod.client.hook;

/**
 * Start-up of the short-lived tools that open the hook socket ({@code puzzle-hook}, {@code puzzle-podman run}).
 * The first {@code SocketChannel} asks {@link java.nio.channels.spi.SelectorProvider#provider()}, which, unless the
 * system property {@value #PROPERTY} names a provider, looks for one as a service in every jar of the class path:
 * it opens and indexes each jar (13 for the wrapper), ~35 ms of CPU per run, to find none and use the JDK's own.
 * Naming the JDK's own provider up front skips that search and changes nothing else.
 */
public final class BuiltInSelectorProvider {
    private BuiltInSelectorProvider() {}

    /** The system property {@code SelectorProvider} reads first. */
    public static final String PROPERTY = "java.nio.channels.spi.SelectorProvider";
    /** The JDK's own provider on Linux (what the search ends with); a test checks it still is. */
    public static final String LINUX_DEFAULT = "sun.nio.ch.EPollSelectorProvider";

    /**
     * Names the JDK's own provider, unless the property is set already or no such class exists (another JDK): then
     * the JDK searches as usual. Call before the first socket channel is opened.
     */
    public static void choose() {
        if (System.getProperty(PROPERTY) != null) return;
        try {
            Class.forName(LINUX_DEFAULT, false, null);
        } catch (ClassNotFoundException e) {
            return;
        }
        System.setProperty(PROPERTY, LINUX_DEFAULT);
    }
}
