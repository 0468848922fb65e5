package org.lobstertrap.puzzlepod.podman;

import java.io.Console;

/** Where the commit/rollback question is asked: a terminal, or nowhere (then the gate decides). */
interface Terminal {
    /** Whether a person can answer (stdin and stdout are a terminal). */
    boolean interactive();

    /** Shows the prompt and reads one line; null at end of input. */
    String readLine(String prompt);

    /** The process's terminal, if it has one. */
    static Terminal system() {
        Console c = System.console();
        boolean tty = c != null && c.isTerminal();
        return new Terminal() {
            @Override public boolean interactive() { return tty; }
            @Override public String readLine(String prompt) { return c == null ? null : c.readLine("%s", prompt); }
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
