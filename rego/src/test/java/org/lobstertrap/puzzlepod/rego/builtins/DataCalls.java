package org.lobstertrap.puzzlepod.rego.builtins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.lobstertrap.puzzlepod.rego.RegoException;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Shorthands for calling builtins directly in unit tests. */
final class DataCalls {
    private DataCalls() {}

    static Value call(String name, Value... args) throws RegoException { return TextCalls.call(name, args); }

    /** The error a call raises; fails the test when the call succeeds. */
    static RegoException error(String name, Value... args) {
        RegoException e = catchThrowableOfType(RegoException.class, () -> call(name, args));
        assertThat(e).as("%s must fail", name).isNotNull();
        return e;
    }

    static Value json(String text) { return Json.parse(text); }

    static StringValue str(String s) { return StringValue.of(s); }

    static SetValue set(Value... members) { return SetValue.of(members); }

    static SetValue strings(String... members) {
        SetValue.Builder b = SetValue.builder();
        for (String m : members) b.add(StringValue.of(m));
        return b.build();
    }
}
