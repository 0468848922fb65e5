package org.lobstertrap.puzzlepod.core.profile;

/**
 * What the governance layer does when it cannot govern (policy evaluation fails, a required
 * enforcement mechanism is unavailable, the daemon loses track of the agent). YAML spelling in
 * {@link #yamlName()}.
 */
public enum FailMode {
    /** Refuse: stop the agent, roll the branch back, tell the agent why. The default. */
    CLOSED("closed"),
    /** Like {@link #CLOSED}, but the agent gets no reason, so that it cannot probe the rules; the audit log has it. */
    SILENT("silent"),
    /** Keep the agent running; its branch is held for human review instead of being committed or discarded. */
    OPERATIONAL("operational"),
    /** Freeze the agent and keep its branch untouched, leaving the system in its last known-good state. */
    SAFE_STATE("safe-state");

    private final String yamlName;

    FailMode(String yamlName) { this.yamlName = yamlName; }

    /** The spelling used in profile files. */
    public String yamlName() { return yamlName; }

    /** Parses the profile-file spelling. */
    public static FailMode fromYaml(String s) {
        for (FailMode m : values()) if (m.yamlName.equals(s)) return m;
        throw new IllegalArgumentException("unknown fail_mode '" + s + "' (expected closed, silent, operational or safe-state)");
    }
}
