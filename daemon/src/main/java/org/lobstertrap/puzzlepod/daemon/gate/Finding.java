package org.lobstertrap.puzzlepod.daemon.gate;

/** One entry of the policy's {@code violations} or {@code warnings}: which rule, what it says, how bad. */
public record Finding(String rule, String message, String severity) {}
