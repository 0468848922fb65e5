package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/** Type tests ({@code is_string(x)} is false, not undefined, for other types) and {@code type_name}. */
final class Types {
    private Types() {}

    static void register(BuiltinRegistry r) {
        r.register("is_number", 1, (c, a) -> BooleanValue.of(a[0] instanceof NumberValue));
        r.register("is_string", 1, (c, a) -> BooleanValue.of(a[0] instanceof StringValue));
        r.register("is_boolean", 1, (c, a) -> BooleanValue.of(a[0] instanceof BooleanValue));
        r.register("is_array", 1, (c, a) -> BooleanValue.of(a[0] instanceof ArrayValue));
        r.register("is_set", 1, (c, a) -> BooleanValue.of(a[0] instanceof SetValue));
        r.register("is_object", 1, (c, a) -> BooleanValue.of(a[0] instanceof ObjectValue));
        r.register("is_null", 1, (c, a) -> BooleanValue.of(a[0] instanceof NullValue));
        r.register("type_name", 1, (c, a) -> StringValue.of(a[0].typeName()));
    }
}
