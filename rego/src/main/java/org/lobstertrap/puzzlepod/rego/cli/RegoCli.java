package org.lobstertrap.puzzlepod.rego.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lobstertrap.puzzlepod.rego.EvalOptions;
import org.lobstertrap.puzzlepod.rego.RegoEngine;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.conformance.ConformanceReport;
import org.lobstertrap.puzzlepod.rego.conformance.ConformanceSuite;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.Value;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Command line: {@code eval} a query against policies and data, or run a {@code conformance} directory. */
@Command(name = "rego", mixinStandardHelpOptions = true, subcommands = {RegoCli.Eval.class, RegoCli.Conformance.class},
        description = "Evaluate Rego policies; run OPA-format conformance cases.")
public final class RegoCli implements Callable<Integer> {
    @Override public Integer call() { CommandLine.usage(this, System.out); return 2; }

    public static void main(String[] args) { System.exit(run(args)); }

    /** Runs the CLI and returns the exit code (for tests). */
    public static int run(String... args) { return new CommandLine(new RegoCli()).execute(args); }

    /** Files as given, directories replaced by the .rego and .json files beneath them (sorted, so runs repeat). */
    static List<Path> expand(List<Path> given) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (!Files.isDirectory(p)) { out.add(p); continue; }
            try (var walk = Files.walk(p)) {
                walk.filter(Files::isRegularFile)
                        .filter(f -> f.toString().endsWith(".rego") || f.toString().endsWith(".json"))
                        .sorted().forEach(out::add);
            }
        }
        return out;
    }

    @Command(name = "eval", description = "Evaluate a query, printing JSON like `opa eval`.")
    static final class Eval implements Callable<Integer> {
        @Option(names = {"-d", "--data"}, description = "policy (.rego) or data (.json) file, or a directory of them (read recursively, in name order); repeatable") List<Path> files = new ArrayList<>();
        @Option(names = {"-i", "--input"}, description = "input JSON file") Path input;
        @Option(names = "--strict", description = "raise builtin errors instead of treating them as undefined") boolean strict;
        @Option(names = "--timeout", description = "evaluation deadline, e.g. 2s, 500ms") String timeout;
        @Option(names = "--format", description = "json (default) or value") String format = "json";
        @Parameters(index = "0", description = "the query, e.g. data.x.y") String query;

        @Override public Integer call() {
            PrintWriter err = new PrintWriter(System.err, true);
            try {
                RegoEngine engine = new RegoEngine();
                Value data = ObjectValue.EMPTY;
                for (Path f : expand(files)) {
                    String text = Files.readString(f);
                    if (f.toString().endsWith(".json")) data = merge(data, Json.parse(text), f);
                    else engine.addModule(f.getFileName().toString(), text);
                }
                engine.setData(data);
                if (input != null) engine.setInput(Json.parse(Files.readString(input)));
                engine.setStrictBuiltinErrors(strict);
                if (timeout != null) engine.setOptions(EvalOptions.DEFAULT.withDeadline(parseDuration(timeout)));
                // a query that is a single term reports that term's value, like `opa eval`
                boolean single = isSingleTerm(query);
                List<Map<String, Value>> rows = engine.query(single ? VALUE_VAR + " = (" + query + ")" : query);
                System.out.println(format.equals("value") ? values(rows, single) : json(rows, query, single));
                return 0;
            } catch (RegoException e) {
                err.println(e);
                return 1;
            } catch (IOException | IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
        }

        private static Value merge(Value data, Value more, Path f) {
            if (!(more instanceof ObjectValue mo)) throw new IllegalArgumentException(f + ": data file must hold a JSON object");
            ObjectValue.Builder b = ObjectValue.builder();
            ObjectValue d = (ObjectValue) data;
            for (Value k : d.sortedKeys()) b.put(k, d.get(k));
            for (Value k : mo.sortedKeys()) b.put(k, mo.get(k));
            return b.build();
        }

        private static final String VALUE_VAR = "__value__";

        private static boolean isSingleTerm(String query) {
            try {
                var body = org.lobstertrap.puzzlepod.rego.parser.Parser.parseQuery(query);
                if (body.exprs().size() != 1) return false;
                var e = body.exprs().getFirst();
                return !e.negated() && e.withs().isEmpty() && e.literal() instanceof org.lobstertrap.puzzlepod.rego.ast.Literal.TermLit;
            } catch (RegoException ex) {
                return false; // the engine reports the parse error
            }
        }

        private static String json(List<Map<String, Value>> rows, String query, boolean single) {
            if (rows.isEmpty()) return "{}";
            StringBuilder sb = new StringBuilder("{\"result\":[");
            for (int i = 0; i < rows.size(); i++) {
                if (i > 0) sb.append(',');
                Map<String, Value> row = rows.get(i);
                sb.append("{\"expressions\":[{\"value\":");
                // a plain reference query has no variables: its value is the document itself
                Value v = single ? row.get(VALUE_VAR) : null;
                sb.append(v != null ? v.toJson() : "true");
                sb.append(",\"text\":");
                Json.quote(query, sb);
                sb.append("}]");
                if (row.size() > (single ? 1 : 0)) {
                    sb.append(",\"bindings\":{");
                    int j = 0;
                    for (var e : row.entrySet()) {
                        if (e.getKey().equals(VALUE_VAR)) continue;
                        if (j++ > 0) sb.append(',');
                        Json.quote(e.getKey(), sb);
                        sb.append(':').append(e.getValue().toJson());
                    }
                    sb.append('}');
                }
                sb.append('}');
            }
            return sb.append("]}").toString();
        }

        private static String values(List<Map<String, Value>> rows, boolean single) {
            StringBuilder sb = new StringBuilder();
            for (Map<String, Value> row : rows) {
                if (single) sb.append(row.get(VALUE_VAR).toJson()).append('\n');
                else for (Value v : row.values()) sb.append(v.toJson()).append('\n');
            }
            return sb.toString().strip();
        }
    }

    static Duration parseDuration(String s) {
        String t = s.trim();
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            if (t.endsWith("m")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("invalid duration " + s + " (want e.g. 2s, 500ms, 1m)");
    }

    @Command(name = "conformance", description = "Run OPA-format YAML conformance cases.")
    static final class Conformance implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", description = "directory of cases (default conformance/opa-v1)") Path dir = Path.of("conformance/opa-v1");
        @Option(names = "--folder", description = "only this folder") String folder;
        @Option(names = "--verbose", description = "print a FAIL line per failing case") boolean verbose;
        @Option(names = "--passing", description = "write the passing notes to this file (default ${DEFAULT-VALUE})")
        Path passing = Path.of("target/opa-conformance/passing.txt");

        @Override public Integer call() throws IOException {
            if (!Files.isDirectory(dir)) { System.err.println("error: no such directory: " + dir); return 2; }
            ConformanceReport r = ConformanceSuite.run(dir, folder);
            System.out.print(r.render(verbose));
            if (passing != null) r.writePassing(passing);
            return r.failed() == 0 ? 0 : 1;
        }
    }
}
