package org.lobstertrap.puzzlepod.daemon.network;

/** Bytes from a container that are not the protocol they claim to be (or exceed a limit); always a denial. */
public final class MalformedInput extends Exception {
    public MalformedInput(String reason) { super(reason); }
}
