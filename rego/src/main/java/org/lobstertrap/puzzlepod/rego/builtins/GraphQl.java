package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * GraphQL builtins: graphql.parse_query, graphql.parse_schema, graphql.parse, graphql.parse_and_verify,
 * graphql.is_valid, graphql.schema_is_valid. Queries and schemas are given as text or as the AST objects
 * the parse builtins return.
 */
final class GraphQl {
    private GraphQl() {}

    static void register(BuiltinRegistry r) {
        r.register("graphql.parse_query", 1, (ctx, a) -> query("graphql.parse_query", Args.string("graphql.parse_query", a, 0)));
        r.register("graphql.parse_schema", 1, (ctx, a) -> schema("graphql.parse_schema", Args.string("graphql.parse_schema", a, 0)));
        r.register("graphql.parse", 2, (ctx, a) -> {
            String fn = "graphql.parse";
            java.util.Map<Value, int[]> positions = java.util.Map.of();
            ObjectValue q;
            if (a[0] instanceof StringValue text) {
                try {
                    GraphQlParser.Parsed parsed = GraphQlParser.parseQueryWithPositions(text.value());
                    q = parsed.doc();
                    positions = parsed.positions();
                } catch (GraphQlParser.SyntaxError e) {
                    throw RegoException.builtin(fn, e.getMessage() + " in GraphQL string at location " + e.line + ":" + e.column);
                }
            } else {
                q = queryOperand(fn, a, 0);
            }
            ObjectValue s = schemaOperand(fn, a, 1);
            GraphQlSchema schema;
            try {
                schema = GraphQlSchema.load(s);
            } catch (GraphQlSchema.Invalid e) {
                throw RegoException.builtin(fn, e.getMessage() + " in GraphQL schema string");
            }
            try {
                schema.validate(q);
            } catch (GraphQlSchema.Invalid e) {
                int[] at = e.node != null ? positions.get(e.node) : null;
                throw RegoException.builtin(fn, e.getMessage() + " in GraphQL query string" + (at != null ? " at location " + at[0] + ":" + at[1] : ""));
            }
            return ArrayValue.of(q, s);
        });
        r.register("graphql.parse_and_verify", 2, (ctx, a) -> {
            String fn = "graphql.parse_and_verify";
            ObjectValue q, s;
            try {
                q = queryOperand(fn, a, 0);
                s = schemaOperand(fn, a, 1);
                GraphQlSchema.load(s).validate(q);
            } catch (RegoException | GraphQlSchema.Invalid e) {
                return ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);
            }
            return ArrayValue.of(BooleanValue.TRUE, q, s);
        });
        r.register("graphql.is_valid", 2, (ctx, a) -> {
            try {
                GraphQlSchema.load(schemaOperand("graphql.is_valid", a, 1)).validate(queryOperand("graphql.is_valid", a, 0));
                return BooleanValue.TRUE;
            } catch (RegoException | GraphQlSchema.Invalid e) {
                return BooleanValue.FALSE;
            }
        });
        r.register("graphql.schema_is_valid", 1, (ctx, a) -> {
            try {
                GraphQlSchema.load(schemaOperand("graphql.schema_is_valid", a, 0));
                return BooleanValue.TRUE;
            } catch (RegoException | GraphQlSchema.Invalid e) {
                return BooleanValue.FALSE;
            }
        });
    }

    private static ObjectValue query(String fn, String text) throws RegoException {
        try {
            return GraphQlParser.parseQuery(text);
        } catch (GraphQlParser.SyntaxError e) {
            throw RegoException.builtin(fn, e.getMessage() + " in GraphQL string at location " + e.line + ":" + e.column);
        }
    }

    private static ObjectValue schema(String fn, String text) throws RegoException {
        try {
            return GraphQlParser.parseSchema(text);
        } catch (GraphQlParser.SyntaxError e) {
            throw RegoException.builtin(fn, e.getMessage() + " in GraphQL string at location " + e.line + ":" + e.column);
        }
    }

    private static ObjectValue queryOperand(String fn, Value[] a, int i) throws RegoException {
        return switch (a[i]) {
            case StringValue s -> query(fn, s.value());
            case ObjectValue o -> o;
            default -> throw Args.mismatch(fn, i, "one of {string, object}", a[i]);
        };
    }

    private static ObjectValue schemaOperand(String fn, Value[] a, int i) throws RegoException {
        return switch (a[i]) {
            case StringValue s -> schema(fn, s.value());
            case ObjectValue o -> o;
            default -> throw Args.mismatch(fn, i, "one of {string, object}", a[i]);
        };
    }
}
