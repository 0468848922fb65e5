package org.lobstertrap.puzzlepod.rego.builtins;

import java.util.Map;
import java.util.Random;
import org.lobstertrap.puzzlepod.rego.RegoException;

/** What a builtin may ask of the running query. One context per query evaluation. */
public interface BuiltinContext {
    /** Wall-clock time fixed for the whole query (OPA: time.now_ns is the same within a query). */
    long timeNowNs();

    /** A random source for rand.* / uuid.rfc4122 (seeded per query). */
    Random random();

    /** A per-query cache for non-deterministic builtins (same args → same result within a query). */
    Map<Object, Object> queryCache();

    /** Call in long loops: throws {@code eval_cancel_error} when the deadline or step budget is exhausted. */
    void checkBudget() throws RegoException;

    /** Whether strict builtin errors are on (some builtins behave differently, e.g. for bad regexes). */
    boolean strict();

    /** A context for unit tests and one-off calls: current time, unseeded random, no budget. */
    static BuiltinContext simple() {
        long now = System.currentTimeMillis() * 1_000_000L;
        Random random = new Random();
        Map<Object, Object> cache = new java.util.HashMap<>();
        return new BuiltinContext() {
            @Override public long timeNowNs() { return now; }
            @Override public Random random() { return random; }
            @Override public Map<Object, Object> queryCache() { return cache; }
            @Override public void checkBudget() {}
            @Override public boolean strict() { return true; }
        };
    }
}
