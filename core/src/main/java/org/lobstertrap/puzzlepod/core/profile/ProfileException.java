package org.lobstertrap.puzzlepod.core.profile;

import java.util.List;

/**
 * A profile (or a directory of profiles) could not be loaded. {@link #getMessage()} names the file, the
 * key path and the problem; {@link #code()} is stable for programs; {@link #problems()} lists every
 * problem found, each in the same {@code file: key: problem} form.
 */
public final class ProfileException extends Exception {
    /** Stable error codes. */
    public enum Code {
        /** The file cannot be read, is too large or is not UTF-8. */
        IO,
        /** The file is not well-formed YAML or uses YAML features profiles refuse (too many aliases, tabs). */
        SYNTAX,
        /** The content breaks the profile schema (unknown key, wrong type, out of range, bad path/domain). */
        SCHEMA,
        /** {@code name} differs from the file name. */
        NAME_MISMATCH,
        /** {@code extends} names a missing profile, forms a cycle or is nested too deeply. */
        INHERITANCE,
        /** No profile of that name. */
        NOT_FOUND
    }

    private final Code code;
    private final List<String> problems;

    public ProfileException(Code code, List<String> problems) {
        super(problems.size() == 1 ? problems.getFirst() : String.join("\n", problems));
        if (problems.isEmpty()) throw new IllegalArgumentException("a profile error needs at least one problem");
        this.code = code;
        this.problems = List.copyOf(problems);
    }

    public ProfileException(Code code, String problem) { this(code, List.of(problem)); }

    public Code code() { return code; }

    public List<String> problems() { return problems; }
}
