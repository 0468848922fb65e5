package org.lobstertrap.puzzlepod.daemon.cli;

import org.lobstertrap.puzzlepod.core.branch.BranchException;
import org.lobstertrap.puzzlepod.core.branch.BranchId;
import org.lobstertrap.puzzlepod.core.branch.OverlayFlavour;
import picocli.CommandLine;

import java.time.Duration;

/** Command-line argument converters: bad input becomes a usage error with the reason. */
final class Converters {
    private Converters() {}

    static final class Id implements CommandLine.ITypeConverter<BranchId> {
        @Override public BranchId convert(String value) {
            try {
                return BranchId.of(value);
            } catch (BranchException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Overlay implements CommandLine.ITypeConverter<OverlayFlavour> {
        @Override public OverlayFlavour convert(String value) {
            try {
                return OverlayFlavour.fromWire(value);
            } catch (BranchException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** "90s", "30m", "1h", "2d", "1h30m", or ISO-8601 such as "PT1H". */
    static final class Lifetime implements CommandLine.ITypeConverter<Duration> {

        @Override public Duration convert(String value) {
            Duration d = parse(value);
            if (d == null || d.isZero() || d.isNegative())
                throw new CommandLine.TypeConversionException("invalid lifetime \"" + value
                        + "\": use a positive duration such as 90s, 30m, 1h, 2d, 1h30m or PT1H");
            return d;
        }

        static Duration parse(String value) { return org.lobstertrap.puzzlepod.client.HumanDuration.parse(value); }
    }
}
