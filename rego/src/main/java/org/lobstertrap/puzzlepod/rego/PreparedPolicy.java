package org.lobstertrap.puzzlepod.rego;

import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.ast.Body;
import org.lobstertrap.puzzlepod.rego.ast.Expr;
import org.lobstertrap.puzzlepod.rego.ast.Literal;
import org.lobstertrap.puzzlepod.rego.ast.Location;
import org.lobstertrap.puzzlepod.rego.ast.Term;
import org.lobstertrap.puzzlepod.rego.ast.Var;
import org.lobstertrap.puzzlepod.rego.compile.Compiler;
import org.lobstertrap.puzzlepod.rego.compile.Plan;
import org.lobstertrap.puzzlepod.rego.eval.Evaluator;
import org.lobstertrap.puzzlepod.rego.parser.Parser;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A compiled policy with its base data: immutable and thread-safe. Compile once, evaluate many times,
 * concurrently; each evaluation has its own state and limits.
 */
public final class PreparedPolicy {
    /** Compiled queries by text; bounded so arbitrary query strings cannot grow it without limit. */
    private static final int QUERY_CACHE_LIMIT = 256;

    private final Plan plan;
    private final Value data;
    private final java.util.concurrent.ConcurrentHashMap<String, Body> queries = new java.util.concurrent.ConcurrentHashMap<>();

    PreparedPolicy(Plan plan, Value data) {
        this.plan = plan;
        this.data = data == null ? ObjectValue.EMPTY : data;
    }

    /**
     * The value of a document, e.g. {@code "data.puzzlepod.commit.allow"}; null when undefined.
     * {@code input} may be null (no input document).
     */
    public Value evaluate(String dataPath, Value input, EvalOptions options) throws RegoException {
        EvalOptions opts = options == null ? EvalOptions.DEFAULT : options;
        return DeepStack.run(() -> {
            try {
                Body compiled = queries.get("\u0000" + dataPath);
                if (compiled == null) {
                    Term t = Parser.parseTerm(dataPath);
                    Var out = new Var("result", Location.NONE);
                    Body q = new Body(List.of(new Expr(new Literal.Unify(out, t), false, List.of(), Location.NONE)));
                    compiled = remember("\u0000" + dataPath, Compiler.compileQuery(q, plan));
                }
                List<Map<String, Value>> rows = new Evaluator(plan, opts).query(compiled, input, data);
                Value first = null;
                for (Map<String, Value> row : rows) {
                    Value v = row.get("result");
                    if (first == null) first = v;
                    else if (!first.equals(v)) throw new RegoException(RegoException.CONFLICT, dataPath + " has more than one value");
                }
                return first;
            } catch (RuntimeException e) {
                throw internal(e);
            }
        });
    }

    /** Runs a query; one map of variable bindings per solution (empty list: undefined). */
    public List<Map<String, Value>> query(String query, Value input, EvalOptions options) throws RegoException {
        EvalOptions opts = options == null ? EvalOptions.DEFAULT : options;
        return DeepStack.run(() -> {
            try {
                Body compiled = queries.get(query);
                if (compiled == null) compiled = remember(query, Compiler.compileQuery(Parser.parseQuery(query), plan));
                return new Evaluator(plan, opts).query(compiled, input, data);
            } catch (RuntimeException e) {
                throw internal(e);
            }
        });
    }

    private Body remember(String key, Body compiled) {
        if (queries.size() < QUERY_CACHE_LIMIT) queries.put(key, compiled);
        return compiled;
    }

    static RegoException internal(RuntimeException e) {
        return new RegoException(RegoException.EVAL_TYPE, "internal error: " + e);
    }
}
