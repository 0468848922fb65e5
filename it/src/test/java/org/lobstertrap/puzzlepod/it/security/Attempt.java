package org.lobstertrap.puzzlepod.it.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One escape attempt run inside a governed container: a shell command and the texts its output must
 * contain (or, with {@link #exactly}, the one line it must be).
 *
 * @param id       short name, unique within one run
 * @param command  busybox shell text, run in a subshell with stderr joined to stdout
 * @param stopper  what stops it (for the report)
 * @param expected every text the output must contain; with {@code exact}, the whole trimmed output
 * @param exact    whether {@code expected} is the single, whole output
 */
record Attempt(String id, String command, String stopper, List<String> expected, boolean exact) {

    static Attempt of(String id, String command, String stopper, String... expected) {
        return new Attempt(id, command, stopper, List.of(expected), false);
    }

    static Attempt exactly(String id, String command, String stopper, String output) {
        return new Attempt(id, command, stopper, List.of(output), true);
    }

    /** A system call made by the static probe in the workspace; it prints "NAME ERRNO". */
    static Attempt syscall(String name, String errno, String stopper) {
        return exactly("syscall " + name, EscapeRun.PROBE + " " + name, stopper, name.replaceFirst(":.*", "") + " " + errno);
    }

    /**
     * A profile's exec rules as the seccomp supervisor applies them to what the busybox shell executes:
     * turns an attempt whose program the supervisor refuses into the refusal the shell prints.
     *
     * @param allow          exec_allowlist (empty: everything not denied)
     * @param deny           exec_denylist
     * @param notAllowlisted the stopper text for a program outside the allowlist
     * @param denylisted     the stopper text for a program on the denylist
     */
    record Gate(Set<String> allow, Set<String> deny, String notAllowlisted, String denylisted) {

        /** The exec rules of a profile file ({@code exec_allowlist}, {@code exec_denylist}). */
        static Gate ofProfile(Path profile, String notAllowlisted, String denylisted) throws IOException {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(profile.toFile());
            return new Gate(names(root.path("exec_allowlist")), names(root.path("exec_denylist")), notAllowlisted, denylisted);
        }

        private static Set<String> names(JsonNode list) {
            Set<String> out = new HashSet<>();
            list.forEach(n -> out.add(n.asText()));
            return Set.copyOf(out);
        }

        /** {@code attempt} as it ends when the shell re-executes busybox as {@code program}. */
        Attempt applet(String program, Attempt attempt) {
            if (deny.contains(program)) return refused(attempt, program, denylisted);
            if (!allow.isEmpty() && !allow.contains(program)) return refused(attempt, program, notAllowlisted);
            return attempt;
        }

        /** {@code attempt} as it ends when the static probe (named syscall-probe) is executed. */
        Attempt probe(Attempt attempt) {
            if (!allow.isEmpty() && !allow.contains("syscall-probe")) return refused(attempt, EscapeRun.PROBE, notAllowlisted);
            return attempt;
        }

        private static Attempt refused(Attempt attempt, String program, String stopper) {
            return exactly(attempt.id(), attempt.command(), stopper, "sh: " + program + ": Operation not permitted");
        }
    }
}
