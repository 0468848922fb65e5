package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.call;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.error;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.json;
import static org.lobstertrap.puzzlepod.rego.builtins.DataCalls.str;

import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class GraphQlBuiltinsTest {
    private static final String SCHEMA = """
            extend type Query {
                myAction(myEnum: Locale!): SomeResult!
            }
            type SomeResult {
                id: String
            }
            enum Locale { EN LT DE }
            """;

    @Test
    void parseQueryBuildsThePrunedAst() throws RegoException {
        assertThat(call("graphql.parse_query", str("{hero {name}}"))).isEqualTo(json(
                "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"hero\",\"Name\":\"hero\","
                        + "\"SelectionSet\":[{\"Alias\":\"name\",\"Name\":\"name\"}]}]}]}"));
        assertThat(call("graphql.parse_query", str("query ($arr: [Arr!]!) { f(id: [1, $arr], s: \"\"\"\n    a\n      b\n  \"\"\") @skip(if: true) }"))).isEqualTo(json(
                "{\"Operations\":[{\"Name\":\"\",\"Operation\":\"query\",\"SelectionSet\":[{\"Alias\":\"f\",\"Arguments\":["
                        + "{\"Name\":\"id\",\"Value\":{\"Children\":[{\"Name\":\"\",\"Value\":{\"Kind\":1,\"Raw\":\"1\"}},{\"Name\":\"\",\"Value\":{\"Kind\":0,\"Raw\":\"arr\"}}],\"Kind\":8,\"Raw\":\"\"}},"
                        + "{\"Name\":\"s\",\"Value\":{\"Kind\":4,\"Raw\":\"a\\n  b\"}}],"
                        + "\"Directives\":[{\"Arguments\":[{\"Name\":\"if\",\"Value\":{\"Kind\":5,\"Raw\":\"true\"}}],\"Location\":\"\",\"Name\":\"skip\"}],\"Name\":\"f\"}],"
                        + "\"VariableDefinitions\":[{\"Type\":{\"Elem\":{\"NamedType\":\"Arr\",\"NonNull\":true},\"NamedType\":\"\",\"NonNull\":true},\"Used\":false,\"Variable\":\"arr\"}]}]}"));
    }

    @Test
    void parseSchemaBuildsThePrunedAst() throws RegoException {
        assertThat(call("graphql.parse_schema", str("\"Description\" type Hello implements & A & B { world(flag: Boolean = true): String }"))).isEqualTo(json(
                "{\"Definitions\":[{\"BuiltIn\":false,\"Description\":\"Description\",\"Fields\":[{\"Arguments\":[{\"DefaultValue\":{\"Kind\":5,\"Raw\":\"true\"},"
                        + "\"Description\":\"\",\"Name\":\"flag\",\"Type\":{\"NamedType\":\"Boolean\",\"NonNull\":false}}],\"Description\":\"\",\"Name\":\"world\","
                        + "\"Type\":{\"NamedType\":\"String\",\"NonNull\":false}}],\"Interfaces\":[\"A\",\"B\"],\"Kind\":\"OBJECT\",\"Name\":\"Hello\"}]}"));
        assertThat(call("graphql.parse_schema", str("directive @foo repeatable on FIELD | QUERY"))).isEqualTo(json(
                "{\"Directives\":[{\"Description\":\"\",\"IsRepeatable\":true,\"Locations\":[\"FIELD\",\"QUERY\"],\"Name\":\"foo\"}]}"));
    }

    @Test
    void syntaxErrorsUseTheReferenceWordingAndPositions() {
        assertThat(error("graphql.parse_query", str("{")).detail())
                .isEqualTo("graphql.parse_query: Expected Name, found <EOF> in GraphQL string at location 1:2");
        assertThat(error("graphql.parse_query", str("\n  fragment MissingOn Type\n")).detail())
                .isEqualTo("graphql.parse_query: Expected \"on\", found Name \"Type\" in GraphQL string at location 2:22");
        assertThat(error("graphql.parse_schema", str("type Hello {}")).detail())
                .isEqualTo("graphql.parse_schema: expected at least one definition, found } in GraphQL string at location 1:13");
        assertThat(error("graphql.parse_schema", str("\n  \"Description\"\n  extend type Hello { world: String }")).detail())
                .isEqualTo("graphql.parse_schema: Unexpected String \"Description\" in GraphQL string at location 2:4");
        assertThat(error("graphql.parse_schema", str("union Hello = Wo || Rld")).code()).isEqualTo(RegoException.BUILTIN);
        assertThat(error("graphql.parse_schema", str("\"\"\"\r")).code()).isEqualTo(RegoException.BUILTIN);
        String deep = "{ f(a: " + "[".repeat(100_000) + " }";
        assertThat(error("graphql.parse_query", str(deep)).detail()).contains("nesting deeper than 512 levels");
        assertThat(error("graphql.parse_query", str("{ a " + "{ a ".repeat(100_000))).code()).isEqualTo(RegoException.BUILTIN);
    }

    @Test
    void schemaValidity() throws RegoException {
        assertThat(call("graphql.schema_is_valid", str(SCHEMA))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("graphql.schema_is_valid", str("type DeprecatedType { f: String @deprecated }"))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("graphql.schema_is_valid", str("extend schema @directive"))).isEqualTo(BooleanValue.TRUE);
        for (String invalid : new String[] {
                "schema { query: Query }", "union Hello = World", "type Hello implements World { field: String }",
                "interface IA { id: ID! } interface IIA implements IA { id: ID! } type A implements IIA { id: ID! }",
                "extend scalar Foo @deprecated extend type Foo @deprecated", "type A { f: Missing }", "type A { f: String @nope }"}) {
            assertThat(call("graphql.schema_is_valid", str(invalid))).as(invalid).isEqualTo(BooleanValue.FALSE);
        }
        assertThat(call("graphql.schema_is_valid", call("graphql.parse_schema", str(SCHEMA)))).isEqualTo(BooleanValue.TRUE);
        assertThat(call("graphql.schema_is_valid", json("1"))).isEqualTo(BooleanValue.FALSE);
    }

    @Test
    void queryValidation() throws RegoException {
        String missingArgument = "query SomeOperation {\n  myAction {\n    id\n  }\n}";
        assertThat(call("graphql.is_valid", str(missingArgument), str(SCHEMA))).isEqualTo(BooleanValue.FALSE);
        assertThat(error("graphql.parse", str(missingArgument), str(SCHEMA)).detail()).isEqualTo(
                "graphql.parse: Field \"myAction\" argument \"myEnum\" of type \"Locale!\" is required, but it was not provided in GraphQL query string at location 2:3");
        String ok = "query SomeOperation ($locale: Locale! = DE) { myAction(myEnum: $locale) { id } }";
        assertThat(call("graphql.is_valid", str(ok), str(SCHEMA))).isEqualTo(BooleanValue.TRUE);
        Value parsed = call("graphql.parse_and_verify", str(ok), str(SCHEMA));
        assertThat(((ArrayValue) parsed).get(0)).isEqualTo(BooleanValue.TRUE);
        assertThat(((ArrayValue) parsed).get(1)).isEqualTo(call("graphql.parse_query", str(ok)));
        for (String invalid : new String[] {
                "{ nope }", "{ myAction(myEnum: EN) }", "{ myAction(myEnum: EN) { id { x } } }", "query ($v: Locale) { myAction(myEnum: EN) { id } }",
                "{ myAction(myEnum: $undefined) { id } }", "{ myAction(myEnum: EN, other: 1) { id } }", "{ ...Missing }",
                "{ myAction(myEnum: EN) { id } } fragment Unused on Query { __typename }", "{ a: __typename } { b: __typename }"}) {
            assertThat(call("graphql.is_valid", str(invalid), str(SCHEMA))).as(invalid).isEqualTo(BooleanValue.FALSE);
        }
        assertThat(call("graphql.parse_and_verify", str("{ nope }"), str(SCHEMA)))
                .isEqualTo(json("[false, {}, {}]"));
    }

    @Test
    void sharedFragmentsAreCheckedOncePerType() throws RegoException {
        // 40 levels, each spreading the next twice: checking every spread path would take 2^40 steps.
        StringBuilder q = new StringBuilder("query ($v: Boolean!) { ...F0 }\n");
        for (int i = 0; i < 40; i++) q.append("fragment F").append(i).append(" on Query { ...F").append(i + 1).append(" ...F").append(i + 1).append(" }\n");
        q.append("fragment F40 on Query { bar @include(if: $v) }\n");
        assertThat(call("graphql.is_valid", str(q.toString()), str("type Query { bar: String }"))).isEqualTo(BooleanValue.TRUE);
    }
}
