package org.lobstertrap.puzzlepod.rego;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.ast.ParsedModule;
import org.lobstertrap.puzzlepod.rego.ast.Term;
import org.lobstertrap.puzzlepod.rego.builtins.BuiltinRegistry;
import org.lobstertrap.puzzlepod.rego.compile.Compiler;
import org.lobstertrap.puzzlepod.rego.compile.Plan;
import org.lobstertrap.puzzlepod.rego.eval.Evaluator;
import org.lobstertrap.puzzlepod.rego.parser.Parser;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A mutable engine: add modules, set data and input, query. Not thread-safe; for concurrent
 * evaluation {@link #prepare()} a {@link PreparedPolicy}. Only {@link RegoException} escapes.
 */
public final class RegoEngine {
    private final List<ParsedModule> modules = new ArrayList<>();
    private Value data = ObjectValue.EMPTY;
    private Value input;
    private boolean strict;
    private EvalOptions options = EvalOptions.DEFAULT;
    private PreparedPolicy prepared;

    /** Parses and adds a module; parse errors are reported immediately. */
    public RegoEngine addModule(String fileName, String source) throws RegoException {
        ParsedModule m = DeepStack.run(() -> {
            try { return Parser.parseModule(fileName, source); }
            catch (RuntimeException e) { throw PreparedPolicy.internal(e); }
        });
        modules.add(m);
        prepared = null;
        return this;
    }

    /** The base document under {@code data} (must be an object). */
    public RegoEngine setData(Value data) throws RegoException {
        if (data != null && !(data instanceof ObjectValue))
            throw new RegoException(RegoException.COMPILE, "data must be an object but got " + data.typeName());
        this.data = data == null ? ObjectValue.EMPTY : data;
        prepared = null;
        return this;
    }

    /** The input document (null: no input). */
    public RegoEngine setInput(Value input) { this.input = input; return this; }

    /** The input document written as a Rego term (may contain sets): {@code {"a": {1, 2}}}. */
    public RegoEngine setInputTerm(String regoTerm) throws RegoException {
        this.input = DeepStack.run(() -> {
            try {
                Term t = Parser.parseTerm(regoTerm);
                Plan empty = Compiler.compile(List.of(), BuiltinRegistry.standard());
                var q = new org.lobstertrap.puzzlepod.rego.ast.Body(List.of(new org.lobstertrap.puzzlepod.rego.ast.Expr(
                        new org.lobstertrap.puzzlepod.rego.ast.Literal.Unify(new org.lobstertrap.puzzlepod.rego.ast.Var("v", t.loc()), t),
                        false, List.of(), t.loc())));
                var rows = new Evaluator(empty, EvalOptions.DEFAULT).query(Compiler.compileQuery(q, empty), null, ObjectValue.EMPTY);
                if (rows.isEmpty()) throw new RegoException(RegoException.COMPILE, "input term is undefined");
                return rows.getFirst().get("v");
            } catch (RuntimeException e) { throw PreparedPolicy.internal(e); }
        });
        return this;
    }

    /** Strict builtin errors: a builtin failing raises instead of being undefined. */
    public RegoEngine setStrictBuiltinErrors(boolean strict) { this.strict = strict; return this; }

    /** Limits for {@link #query}: deadline, step budget, fixed time (strictness comes from the setter above). */
    public RegoEngine setOptions(EvalOptions options) { this.options = options == null ? EvalOptions.DEFAULT : options; return this; }

    /** Runs a query against the modules, data and input; one binding map per solution. */
    public List<Map<String, Value>> query(String query) throws RegoException {
        return prepare().query(query, input, options.withStrict(strict));
    }

    /** Compiles the modules (once, cached until modules or data change). */
    public PreparedPolicy prepare() throws RegoException {
        if (prepared == null) {
            Plan plan = DeepStack.run(() -> {
                try { return Compiler.compile(modules, BuiltinRegistry.standard()); }
                catch (RuntimeException e) { throw PreparedPolicy.internal(e); }
            });
            prepared = new PreparedPolicy(plan, data);
        }
        return prepared;
    }
}
