package org.lobstertrap.puzzlepod.client.spec;

/** An OCI spec whose mounts are not shaped as the runtime spec says; the message names the part. */
public final class SpecFormatException extends Exception {
    public SpecFormatException(String message) { super(message); }
}
