package org.lobstertrap.puzzlepod.rego.value;

/**
 * An immutable Rego value. Equality is by value (numbers by numeric value, so {@code 1} equals
 * {@code 1.0}); {@link #compareTo} is OPA's total order:
 * null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set, strings by Unicode code point
 * (Go's byte-wise UTF-8 order), arrays element-wise then by length, objects by sorted keys pairwise
 * (key, then value) then size, sets by sorted elements pairwise then size.
 */
public sealed interface Value extends Comparable<Value>
        permits NullValue, BooleanValue, NumberValue, StringValue, ArrayValue, ObjectValue, SetValue {

    /** Position in the cross-type order: null 0, boolean 1, number 2, string 3, array 4, object 5, set 6. */
    int typeOrder();

    /** OPA's type name: "null", "boolean", "number", "string", "array", "object", "set". */
    String typeName();

    @Override
    default int compareTo(Value other) {
        int t = Integer.compare(typeOrder(), other.typeOrder());
        return t != 0 ? t : compareSameType(other);
    }

    /** Compare with a value of the same {@link #typeOrder()}. */
    int compareSameType(Value other);

    /** JSON text (sets as sorted arrays, non-string object keys as their JSON text). */
    default String toJson() { return Json.write(this); }
}
