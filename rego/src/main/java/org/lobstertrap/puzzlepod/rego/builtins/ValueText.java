package org.lobstertrap.puzzlepod.rego.builtins;

import org.lobstertrap.puzzlepod.rego.value.ArrayValue;
import org.lobstertrap.puzzlepod.rego.value.BooleanValue;
import org.lobstertrap.puzzlepod.rego.value.NullValue;
import org.lobstertrap.puzzlepod.rego.value.NumberValue;
import org.lobstertrap.puzzlepod.rego.value.ObjectValue;
import org.lobstertrap.puzzlepod.rego.value.SetValue;
import org.lobstertrap.puzzlepod.rego.value.StringValue;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * A value as Rego source text, the way OPA prints terms: {@code ["a", 1]}, {@code {"k": true}},
 * {@code {1, 2}}, {@code set()}; strings quoted like Go's {@code strconv.Quote}; collections in
 * sorted order.
 */
public final class ValueText {
    private ValueText() {}

    public static String of(Value v) {
        StringBuilder sb = new StringBuilder();
        append(v, sb);
        return sb.toString();
    }

    public static void append(Value v, StringBuilder sb) {
        switch (v) {
            case NullValue n -> sb.append("null");
            case BooleanValue b -> sb.append(b.value());
            case NumberValue n -> sb.append(n);
            case StringValue s -> GoQuote.quote(s.value(), false, sb);
            case ArrayValue a -> {
                sb.append('[');
                for (int i = 0; i < a.size(); i++) {
                    if (i > 0) sb.append(", ");
                    append(a.get(i), sb);
                }
                sb.append(']');
            }
            case SetValue s -> {
                if (s.isEmpty()) { sb.append("set()"); return; }
                sb.append('{');
                boolean first = true;
                for (Value e : s.sortedElements()) {
                    if (!first) sb.append(", ");
                    first = false;
                    append(e, sb);
                }
                sb.append('}');
            }
            case ObjectValue o -> {
                sb.append('{');
                boolean first = true;
                for (Value k : o.sortedKeys()) {
                    if (!first) sb.append(", ");
                    first = false;
                    append(k, sb);
                    sb.append(": ");
                    append(o.get(k), sb);
                }
                sb.append('}');
            }
        }
    }
}
