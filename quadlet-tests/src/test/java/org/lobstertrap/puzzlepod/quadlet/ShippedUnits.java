package org.lobstertrap.puzzlepod.quadlet;

import java.util.List;

/** The Quadlet units shipped in quadlets/, with the profile each one names. */
final class ShippedUnits {
    private ShippedUnits() {}

    /** A shipped .container unit and the profile it annotates its container with. */
    record Unit(String file, String profile) {
        String service() { return file.replace(".container", ".service"); }

        String name() { return file.replace(".container", ""); }

        @Override
        public String toString() { return file; }
    }

    static final String PROJECT = "/srv/projects/app";

    static final List<Unit> ALL = List.of(
            new Unit("puzzlepod-code-assistant.container", "code-assistant"),
            new Unit("puzzlepod-review.container", "code-reviewer"),
            new Unit("puzzlepod-nightly-deps.container", "dependency-updater"));
}
