package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.lobstertrap.puzzlepod.rego.builtins.TextCalls.json;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

class RegexTest {
    private static boolean matches(String re, String text) throws Exception {
        return TextCalls.call("regex.match", StringValue.of(re), StringValue.of(text)).equals(org.lobstertrap.puzzlepod.rego.value.BooleanValue.TRUE);
    }

    /** RE2 semantics that differ from java.util.regex defaults. */
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "^a$|a\\n|false",           // $ is end of text, not before a final newline
        "(?m)^b$|a\\nb\\n|true",
        "(?m)a$|a\\n|true",
        "a.b|a\\rb|true",             // . excludes only \n
        "a.b|a\\nb|false",
        "(?s)a.b|a\\nb|true",
        "^\\s$|\\v|false",       // \s has no vertical tab in RE2
        "^[[:space:]]$|\\v|true",
        "^\\z|''|true",
        "^[[:alpha:]]+$|abcXYZ|true",
        "^[[:^digit:]]+$|ab|true",
        "^[[:^digit:]]+$|a1|false",
        "^\\pL+$|héllo|true",
        "^\\p{Greek}+$|αβγ|true",
        "^\\p{^Greek}+$|abc|true",
        "^\\PL$|1|true",
        "^(?P<first>a)(?<second>b)$|ab|true",
        "(?i)straße|STRASSE|false",
        "(?i)ÀB|àb|true",
        "^a{,2}$|a{,2}|true",        // not a repeat in RE2: literal braces
        "^[]a]+$|]a]|true",
        "^[a-]+$|-a|true",
        "^[a&&b]+$|&|true",          // no class intersection in RE2
        "^[\\[]$|[|true",
        "^\\101\\x42\\x{43}$|ABC|true",
        "^\\Q.*\\E$|.*|true",
        "^\\Q.*\\E$|ab|false",
        "(?U)^(a+)|aaa|true",
        "^\\d+$|١٢|false",            // \d is ASCII only
        "\\bfoo\\b|a foo b|true",
        "^#$|#|true",
        "^[^[:^alpha:]]+$|abc|true",   // negation inside negation
        "^[^[:^alpha:]]+$|a1|false",
        "^[^\\D]+$|123|true",
        "^[^\\D]+$|12a|false",
        "^[^\\S]+$|' 	'|true",
        "^[^\\S]+$|a|false",
        "^[\\p{Greek}\\d]+$|α1|true",
        "^[^\\p{Greek}]+$|α|false",
        "^\\p{Any}+$|x\\ny|true",
    })
    void re2Semantics(String re, String text, boolean expected) throws Exception {
        String t = text.equals("''") ? "" : text.replace("\\n", "\n").replace("\\r", "\r").replace("\\v", "\u000b");
        assertThat(matches(re, t)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"(a)\\1", "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", "(?>a)", "a**", "a++", "a*?+", "\\Z",
            "x{1001}", "[z-a]", "(?P<n>a)(?P<n>b)", "[[:foo:]]", "(", ")", "[a", "*a", "\\", "\\8", "\\e", "\\p{Klingon}",
            "(?P<>a)", "(?P<a-b>x)", "(?z)a", "(?i-)a", "{2}"})
    void rejectsWhatRe2Rejects(String re) throws Exception {
        assertThat(json("regex.is_valid", StringValue.of(re).toJson())).isEqualTo("false");
        RegoException e = catchThrowableOfType(RegoException.class,
                () -> TextCalls.call("regex.match", StringValue.of(re), StringValue.of("a")));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(RegoException.BUILTIN);
        assertThat(e.getMessage()).contains("regex.match: error parsing regexp: ");
    }

    @Test void goErrorWording() {
        RegoException e = catchThrowableOfType(RegoException.class,
                () -> TextCalls.call("regex.match", StringValue.of("a**"), StringValue.of("a")));
        assertThat(e.getMessage()).isEqualTo("eval_builtin_error: regex.match: error parsing regexp: invalid nested repetition operator: `**`");
        e = catchThrowableOfType(RegoException.class, () -> TextCalls.call("regex.match", StringValue.of("(abc"), StringValue.of("a")));
        assertThat(e.getMessage()).endsWith("error parsing regexp: missing closing ): `(abc`");
    }

    @Test void findAllUsesGoEmptyMatchRules() throws Exception {
        assertThat(json("regex.find_n", "\"a*\"", "\"baaac\"", "-1")).isEqualTo("[\"\",\"aaa\",\"\"]");
        assertThat(json("regex.find_n", "\"a.\"", "\"paranormal\"", "2")).isEqualTo("[\"ar\",\"an\"]");
        assertThat(json("regex.find_n", "\"x\"", "\"abc\"", "-1")).isEqualTo("[]");
        assertThat(json("regex.find_all_string_submatch_n", "\"a(x*)b(c)?\"", "\"-ab-axxbc-\"", "-1"))
                .isEqualTo("[[\"ab\",\"\",\"\"],[\"axxbc\",\"xx\",\"c\"]]");
    }

    @Test void splitFollowsGo() throws Exception {
        assertThat(json("regex.split", "\"a\"", "\"banana\"")).isEqualTo("[\"b\",\"n\",\"n\",\"\"]");
        assertThat(json("regex.split", "\"x*\"", "\"axb\"")).isEqualTo("[\"a\",\"b\"]");
        assertThat(json("regex.split", "\",\"", "\"\"")).isEqualTo("[\"\"]");
    }

    @Test void replaceExpandsGoTemplates() throws Exception {
        assertThat(json("regex.replace", "\"abc\"", "\"b*\"", "\"X\"")).isEqualTo("\"XaXcX\"");
        assertThat(json("regex.replace", "\"foo bar\"", "\"(?P<w>\\\\w+)\"", "\"<${w}>\"")).isEqualTo("\"<foo> <bar>\"");
        assertThat(json("regex.replace", "\"ab\"", "\"(a)\"", "\"$1x\"")).isEqualTo("\"b\""); // $1x names group "1x"
        assertThat(json("regex.replace", "\"ab\"", "\"(a)\"", "\"${1}x$$\"")).isEqualTo("\"ax$b\"");
    }

    @Test void templateMatch() throws Exception {
        assertThat(json("regex.template_match", "\"urn:foo:{.*}\"", "\"urn:foo:bar:baz\"", "\"{\"", "\"}\"")).isEqualTo("true");
        assertThat(json("regex.template_match", "\"urn:foo.bar:{[a-z]+}\"", "\"urn:fooxbar:abc\"", "\"{\"", "\"}\"")).isEqualTo("false");
        assertThat(TextCalls.error("regex.template_match", "\"urn:{.*\"", "\"x\"", "\"{\"", "\"}\"").getMessage())
                .endsWith("unbalanced braces in \"urn:{.*\"");
    }

    @Test void catastrophicBacktrackingStopsAtTheStepLimit() {
        // polynomial of degree 12 for a backtracking engine (linear for RE2)
        String text = "a".repeat(40) + "!";
        RegoException e = catchThrowableOfType(RegoException.class,
                () -> TextCalls.call("regex.match", StringValue.of("^(.*a){12}$"), StringValue.of(text)));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("regular expression exceeded its step limit");
    }

    @Test void matchingChecksTheQueryBudget() {
        BuiltinContext cancelling = new BuiltinContext() {
            @Override public long timeNowNs() { return 0; }
            @Override public Random random() { return new Random(1); }
            @Override public Map<Object, Object> queryCache() { return new HashMap<>(); }
            @Override public void checkBudget() throws RegoException { throw new RegoException(RegoException.CANCEL, "deadline exceeded"); }
            @Override public boolean strict() { return true; }
        };
        Value text = StringValue.of("a".repeat(40) + "!");
        RegoException e = catchThrowableOfType(RegoException.class,
                () -> TextCalls.call(cancelling, "regex.match", StringValue.of("^(.*a){12}$"), text));
        assertThat(e.code()).isEqualTo(RegoException.CANCEL);
    }

    @Test void globsMatch() throws Exception {
        assertThat(json("regex.globs_match", "\"a.a.[0-9]+z\"", "\".b.b2359825792*594823z\"")).isEqualTo("true");
        assertThat(json("regex.globs_match", "\"[a-z]+\"", "\"[0-9]*\"")).isEqualTo("false");
        assertThat(json("regex.globs_match", "\"a*\"", "\"b*\"")).isEqualTo("true"); // both match ""
        assertThat(json("regex.globs_match", "\"[^a]\"", "\"a\"")).isEqualTo("false");
        assertThat(TextCalls.error("regex.globs_match", "\"pqrs]\"", "\"[a-b]+\"").getMessage())
                .endsWith("regex.globs_match: input:pqrs], pos:5, set-close ']' with no preceding '[': the input provided is invalid");
    }
}
