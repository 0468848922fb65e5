package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The table of builtins, filled by one {@code register} method per family. A new builtin touches its
 * family file only. The standard table is built once and shared (builtins are stateless).
 */
public final class BuiltinRegistry {
    private final Map<String, BuiltinSpec> specs = new HashMap<>();

    public void register(String name, int arity, Builtin fn) { register(name, arity, fn, false); }

    public void register(String name, int arity, Builtin fn, boolean nondeterministic) {
        if (specs.put(name, new BuiltinSpec(name, arity, fn, nondeterministic)) != null)
            throw new IllegalStateException("builtin registered twice: " + name);
    }

    public BuiltinSpec lookup(String name) { return specs.get(name); }

    public Map<String, BuiltinSpec> all() { return Collections.unmodifiableMap(specs); }

    private static final BuiltinRegistry STANDARD = createStandard();

    /** The shared table of every builtin the engine ships. */
    public static BuiltinRegistry standard() { return STANDARD; }

    private static BuiltinRegistry createStandard() {
        BuiltinRegistry r = new BuiltinRegistry();
        // core language (equality, comparison, arithmetic, aggregates, sets operators, opa.runtime, print…)
        Comparison.register(r);
        Arithmetic.register(r);
        Aggregates.register(r);
        SetOperators.register(r);
        Runtime.register(r);
        // text and numbers
        Strings.register(r);
        Sprintf.register(r);
        Regex.register(r);
        Glob.register(r);
        Units.register(r);
        Numbers.register(r);
        Bits.register(r);
        Types.register(r);
        Casts.register(r);
        Semver.register(r);
        Time.register(r);
        // collections and encodings
        Arrays.register(r);
        Sets.register(r);
        Objects.register(r);
        JsonBuiltins.register(r);
        Encoding.register(r);
        Uuid.register(r);
        Crypto.register(r);
        Graph.register(r);
        Net.register(r);
        Http.register(r);
        GraphQl.register(r);
        // tokens and certificates
        Jwt.register(r);
        X509.register(r);
        Aws.register(r);
        return r;
    }
}
