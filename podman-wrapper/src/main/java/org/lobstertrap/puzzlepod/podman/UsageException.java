package org.lobstertrap.puzzlepod.podman;

/**
 * The command line is wrong or asks for something the wrapper refuses; nothing was started and no branch
 * was created. Exit code {@link ExitCodes#USAGE}.
 */
public final class UsageException extends Exception {
    public UsageException(String message) { super(message); }
}
