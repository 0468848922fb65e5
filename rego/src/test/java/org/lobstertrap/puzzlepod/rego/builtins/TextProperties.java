package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Round-trip properties: quoted text matches itself exactly, in regexes and globs; big integers print exactly. */
class TextProperties {
    @Property(tries = 300)
    void quotedRegexMatchesExactlyItsText(@ForAll @StringLength(max = 24) String s) throws Exception {
        String re = "^" + Regex.quoteMeta(s) + "$";
        assertThat(TextCalls.call("regex.match", StringValue.of(re), StringValue.of(s))).isEqualTo(BooleanValue.TRUE);
        assertThat(TextCalls.call("regex.match", StringValue.of(re), StringValue.of(s + "x"))).isEqualTo(BooleanValue.FALSE);
    }

    @Property(tries = 300)
    void quotedGlobMatchesExactlyItsText(@ForAll @StringLength(max = 24) String s) throws Exception {
        Value quoted = TextCalls.call("glob.quote_meta", StringValue.of(s));
        assertThat(TextCalls.call("glob.match", quoted, ArrayValue.EMPTY, StringValue.of(s))).isEqualTo(BooleanValue.TRUE);
        assertThat(TextCalls.call("glob.match", quoted, ArrayValue.EMPTY, StringValue.of(s + "x"))).isEqualTo(BooleanValue.FALSE);
    }

    @Property(tries = 300)
    void integersFormatExactlyInEveryBase(@ForAll BigInteger n) throws Exception {
        Value args = ArrayValue.of(NumberValue.of(n), NumberValue.of(n), NumberValue.of(n));
        Value r = TextCalls.call("sprintf", StringValue.of("%d %x %b"), args);
        assertThat(((StringValue) r).value()).isEqualTo(n + " " + n.toString(16) + " " + n.toString(2));
    }

    @Property(tries = 200)
    void reverseTwiceIsIdentity(@ForAll String s) throws Exception {
        Value once = TextCalls.call("strings.reverse", StringValue.of(s));
        // lone surrogates are not runes; everything else must survive two reversals unchanged
        if (s.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)) return;
        assertThat(TextCalls.call("strings.reverse", once)).isEqualTo(StringValue.of(s));
    }
}
