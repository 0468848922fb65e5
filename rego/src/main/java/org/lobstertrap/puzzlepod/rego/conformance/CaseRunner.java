package org.lobstertrap.puzzlepod.rego.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.EvalOptions;
import org.lobstertrap.puzzlepod.rego.RegoEngine;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.*;

/**
 * Runs one case the way OPA's own runner does: fresh engine, modules {@code test-N.rego}, strict builtin
 * errors when the case asks, {@code input_term} over {@code input}; compares the rows as a set after
 * dropping {@code _}, {@code __*} and {@code $*} variables, with sets as sorted arrays and (with
 * {@code sort_bindings}) every array binding sorted. An expected error passes on a matching code.
 */
public final class CaseRunner {
    /** Wall-clock bound per case, so a runaway case fails instead of hanging the suite. */
    public static final Duration CASE_DEADLINE = Duration.ofSeconds(20);

    private CaseRunner() {}

    public static Verdict run(ConformanceCase c, Map<String, String> skips) {
        String skipReason = skips.get(c.note());
        if (skipReason != null) return new Verdict(c, "skip", "-", "skipped: " + skipReason, false);
        List<Map<String, Value>> rows;
        try {
            RegoEngine engine = new RegoEngine();
            for (int i = 0; i < c.modules().size(); i++) engine.addModule("test-" + i + ".rego", c.modules().get(i));
            if (c.data() != null) engine.setData(c.data());
            if (c.inputTerm() != null) engine.setInputTerm(c.inputTerm());
            else if (c.input() != null) engine.setInput(c.input());
            engine.setStrictBuiltinErrors(c.strictError());
            engine.setOptions(EvalOptions.DEFAULT.withDeadline(CASE_DEADLINE));
            rows = engine.query(c.query());
        } catch (RegoException e) {
            if (c.wantErrorCode() != null || (c.wantError() != null && c.wantResult() == null)) {
                boolean codeOk = c.wantErrorCode() == null || c.wantErrorCode().equals(e.code());
                boolean msgOk = c.wantError() == null || e.toString().contains(c.wantError());
                if (codeOk && (c.wantErrorCode() != null || msgOk)) return new Verdict(c, "pass", expectedError(c), e.toString(), msgOk);
                return new Verdict(c, "wrong_error", expectedError(c), e.toString(), msgOk);
            }
            String cat = e.code().startsWith("rego_") ? "compile" : "unexpected_error";
            return new Verdict(c, cat, describe(c.wantResult()), e.toString(), false);
        } catch (RuntimeException | StackOverflowError e) {
            return new Verdict(c, "unexpected_error", c.wantResult() != null ? describe(c.wantResult()) : expectedError(c), "crash: " + e, false);
        }
        if (c.wantErrorCode() != null || (c.wantError() != null && c.wantResult() == null))
            return new Verdict(c, "missing_error", expectedError(c), describe(normalizeRows(rows, c.sortBindings())), false);
        if (c.wantResult() == null) return new Verdict(c, "pass", "no error", describe(rows), true);
        List<Map<String, Value>> got = normalizeRows(rows, c.sortBindings());
        List<Map<String, Value>> want = new ArrayList<>();
        for (Map<String, Value> r : c.wantResult()) want.add(normalizeRow(r, c.sortBindings()));
        if (new HashSet<>(got).equals(new HashSet<>(want))) return new Verdict(c, "pass", describe(want), describe(got), true);
        return new Verdict(c, "wrong_result", describe(want), describe(got), false);
    }

    private static String expectedError(ConformanceCase c) {
        return "error " + (c.wantErrorCode() != null ? c.wantErrorCode() : "") + (c.wantError() != null ? " \"" + c.wantError() + "\"" : "");
    }

    static List<Map<String, Value>> normalizeRows(List<Map<String, Value>> rows, boolean sort) {
        List<Map<String, Value>> out = new ArrayList<>();
        for (Map<String, Value> r : rows) out.add(normalizeRow(r, sort));
        return out;
    }

    private static Map<String, Value> normalizeRow(Map<String, Value> row, boolean sort) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (var e : row.entrySet()) {
            String k = e.getKey();
            if (k.equals("_") || k.startsWith("__") || k.startsWith("$")) continue;
            Value v = normalize(e.getValue());
            if (sort && v instanceof ArrayValue a) {
                Value[] items = a.asList().toArray(new Value[0]);
                Arrays.sort(items);
                v = ArrayValue.wrap(items);
            }
            m.put(k, v);
        }
        return m;
    }

    /** JSON form: sets → sorted arrays, non-string object keys → their JSON text. */
    static Value normalize(Value v) {
        return switch (v) {
            case SetValue s -> { List<Value> l = new ArrayList<>(); for (Value x : s.sortedElements()) l.add(normalize(x)); yield ArrayValue.of(l); }
            case ArrayValue a -> { List<Value> l = new ArrayList<>(); for (Value x : a.asList()) l.add(normalize(x)); yield ArrayValue.of(l); }
            case ObjectValue o -> {
                ObjectValue.Builder b = ObjectValue.builder();
                for (Value k : o.sortedKeys()) b.put(k instanceof StringValue ? k : StringValue.of(k.toJson()), normalize(o.get(k)));
                yield b.build();
            }
            default -> v;
        };
    }

    private static String describe(List<Map<String, Value>> rows) {
        if (rows == null) return "(nothing)";
        if (rows.isEmpty()) return "undefined";
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Map<String, Value> r : rows) {
            if (n++ > 0) sb.append(", ");
            if (n > 5) { sb.append("… (").append(rows.size()).append(" rows)"); break; }
            sb.append('{');
            int i = 0;
            for (var e : r.entrySet()) {
                if (i++ > 0) sb.append(", ");
                String j = e.getValue().toJson();
                sb.append(e.getKey()).append('=').append(j.length() > 300 ? j.substring(0, 300) + "…" : j);
            }
            sb.append('}');
        }
        return sb.toString();
    }

    /** Reads {@code skip.txt} lines {@code note :: reason}; '#' lines are comments. A line without a reason is an error. */
    public static Map<String, String> parseSkips(List<String> lines) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int i = line.lastIndexOf(" :: ");
            if (i < 0 || line.substring(i + 4).isBlank())
                throw new IllegalArgumentException("skip entry without a reason (want `note :: reason`): " + line);
            m.put(line.substring(0, i), line.substring(i + 4).trim());
        }
        return m;
    }
}
