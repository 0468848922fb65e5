package org.lobstertrap.puzzlepod.it.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns attempts into one container script and its output back into each attempt's output. */
final class EscapeRun {
    /** Where the static syscall probe lies inside the container (the base holds it at tools/). */
    static final String PROBE = "/workspace/tools/syscall-probe";
    private static final Pattern SECTION = Pattern.compile("(?s)=== begin (\\d+)\\n(.*?)=== end \\1 rc=(\\d+)\\n");

    private EscapeRun() {}

    /** A script that runs each attempt in a subshell and brackets its output with markers. */
    static String script(List<Attempt> attempts) {
        StringBuilder s = new StringBuilder("mkdir -p /tmp\n");
        for (int i = 0; i < attempts.size(); i++) {
            s.append("echo '=== begin ").append(i).append("'\n")
                    .append("( ").append(attempts.get(i).command()).append(" ) </dev/null 2>&1\n")
                    .append("echo \"=== end ").append(i).append(" rc=$?\"\n");
        }
        return s.toString();
    }

    /** Attempt id → its output; an attempt whose section is missing (the script died) is absent. */
    static Map<String, String> outputs(List<Attempt> attempts, String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(stdout);
        while (m.find()) out.put(attempts.get(Integer.parseInt(m.group(1))).id(), m.group(2));
        return out;
    }
}
