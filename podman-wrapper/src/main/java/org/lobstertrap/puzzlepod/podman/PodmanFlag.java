package org.lobstertrap.puzzlepod.podman;

/**
 * One podman flag as given: its long name, and its value ({@code null} for a switch given without
 * {@code =value}).
 */
public record PodmanFlag(String name, String value) {
    /** For a switch: whether it is on ({@code --x}, {@code --x=true}); podman's spellings of false turn it off. */
    public boolean on() {
        return value == null || !switch (value) {
            case "0", "f", "F", "false", "FALSE", "False" -> true;
            default -> false;
        };
    }
}
