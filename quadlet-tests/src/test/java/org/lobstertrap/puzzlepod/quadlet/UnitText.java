package org.lobstertrap.puzzlepod.quadlet;

import java.util.ArrayList;
import java.util.List;

/** Reading keys out of a systemd unit file's text (sections, repeated keys; no line continuations). */
final class UnitText {
    private UnitText() {}

    /** The one value of key in a section of a unit's text (the last one wins, as in systemd). */
    static String value(String unitText, String section, String key) {
        List<String> all = values(unitText, section, key);
        if (all.isEmpty()) throw new AssertionError("no " + key + "= in [" + section + "] of:\n" + unitText);
        return all.getLast();
    }

    /** Every value of key in a section, in order. */
    static List<String> values(String unitText, String section, String key) {
        List<String> found = new ArrayList<>();
        String current = null;
        for (String line : unitText.split("\n")) {
            String l = line.strip();
            if (l.startsWith("[") && l.endsWith("]")) current = l.substring(1, l.length() - 1);
            else if (section.equals(current) && l.startsWith(key + "=")) found.add(l.substring(key.length() + 1));
        }
        return found;
    }
}
