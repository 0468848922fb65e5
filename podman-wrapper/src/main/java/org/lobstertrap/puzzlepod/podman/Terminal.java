package org.lobstertrap.puzzlepod.podman;

import java.io.Console;

/** Where the commit/rollback question is asked: a terminal, or nowhere (then the gate decides). */
interface Terminal {
    /** Whether a person can answer (stdin and stdout are a terminal). */
    boolean interactive();

    /** Shows the prompt and reads one line; null at end of input. */
    String readLine(String prompt);

    /**
     * The process's terminal, if it has one; looked at only when asked. The JDK's plain console is used
     * (not the JLine one, which costs start-up and does nothing a one-letter answer needs).
     */
    static Terminal system() {
        if (System.getProperty("jdk.console") == null) System.setProperty("jdk.console", "java.base");
        return new Terminal() {
            @Override public boolean interactive() {
                Console c = System.console();
                return c != null && c.isTerminal();
            }
            @Override public String readLine(String prompt) {
                Console c = System.console();
                return c == null ? null : c.readLine("%s", prompt);
            }
        };
    }

    /** No terminal. */
    static Terminal none() {
        return new Terminal() {
            @Override public boolean interactive() { return false; }
            @Override public String readLine(String prompt) { return null; }
        };
    }
}
