package org.lobstertrap.puzzlepod.rego.builtins;

/**
 * A registered builtin: its dotted name ("strings.replace_n"), arity (number of arguments, not counting
 * the output), implementation, and whether it is non-deterministic (time, rand, uuid, http).
 */
public record BuiltinSpec(String name, int arity, Builtin fn, boolean nondeterministic) {}
