package org.lobstertrap.puzzlepod.daemon.gate;

import java.util.List;

/** What the commit policy said about one changeset. {@code allow} is true only with no violations. */
public record Verdict(boolean allow, List<Finding> violations, List<Finding> warnings) {
    public Verdict {
        violations = List.copyOf(violations);
        warnings = List.copyOf(warnings);
    }
}
