package org.lobstertrap.puzzlepod.ctl;

import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The branch states of the API, spelled as on the wire: completion candidates and a checking converter. */
final class BranchStates implements Iterable<String> {
    static final List<String> ALL = List.of("ready", "active", "frozen", "committing", "review-pending",
            "committed", "rolled-back", "failed", "degraded");

    @Override public Iterator<String> iterator() { return ALL.iterator(); }

    static final class Converter implements ITypeConverter<String> {
        @Override public String convert(String v) {
            if (!ALL.contains(v))
                throw new TypeConversionException("unknown state \"" + Arguments.shorten(v) + "\": one of " + String.join(", ", ALL));
            return v;
        }
    }
}
