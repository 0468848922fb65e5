package org.lobstertrap.puzzlepod.daemon.main;

import java.nio.file.Path;
import org.lobstertrap.puzzlepod.client.BusChoice;

/**
 * The command line of {@code puzzled}.
 *
 * @param config      the configuration file, or null for the default location
 * @param bus         the bus to serve on, or null for the configuration's
 * @param foreground  log for a terminal (time stamps) instead of for journald (priority prefixes)
 * @param checkConfig validate the configuration, print it and exit
 * @param help        print the usage and exit
 */
record PuzzledOptions(Path config, BusChoice bus, boolean foreground, boolean checkConfig, boolean help) {
    static final String USAGE = """
            usage: puzzled [--config FILE] [--bus system|session|ADDRESS] [--foreground] [--check-config]

            The PuzzlePod governance daemon: serves org.lobstertrap.PuzzlePod1 on D-Bus.
              --config FILE    configuration (default /etc/puzzled/puzzled.yaml for root,
                               $XDG_CONFIG_HOME/puzzled/puzzled.yaml otherwise; absent = defaults)
              --bus BUS        system, session, or a D-Bus address such as unix:path=/run/x/bus
                               (default: the configuration's "bus")
              --foreground     log with time stamps for a terminal (default: journald format)
              --check-config   validate the configuration, print the effective settings, exit
              --help           this text
            Exit codes: 0 stopped cleanly / valid, 1 failed while running, 2 usage, 3 name already owned
            (puzzled already running), 4 bad configuration, 5 service failed to open, 6 bus unreachable or
            name not allowed, 7 shutdown did not finish in time.
            """;

    /** Thrown for a bad command line; the message says what is wrong. */
    static final class UsageException extends Exception {
        UsageException(String message) { super(message); }
    }

    static PuzzledOptions parse(String[] args) throws UsageException {
        Path config = null;
        BusChoice bus = null;
        boolean foreground = false, check = false, help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--config" -> {
                    String v = value != null ? value : next(args, ++i, a);
                    if (v.isEmpty() || v.indexOf('\0') >= 0) throw new UsageException("--config needs a file name");
                    config = Path.of(v);
                }
                case "--bus" -> bus = bus(value != null ? value : next(args, ++i, a));
                case "--foreground" -> foreground = flag(a, value);
                case "--check-config" -> check = flag(a, value);
                case "--help", "-h" -> help = flag(a, value);
                default -> throw new UsageException("unknown argument \"" + shorten(args[i]) + "\"");
            }
        }
        return new PuzzledOptions(config, bus, foreground, check, help);
    }

    private static boolean flag(String name, String value) throws UsageException {
        if (value != null) throw new UsageException(name + " takes no value");
        return true;
    }

    private static String next(String[] args, int i, String name) throws UsageException {
        if (i >= args.length) throw new UsageException(name + " needs a value");
        return args[i];
    }

    private static BusChoice bus(String v) throws UsageException {
        return switch (v) {
            case "system" -> BusChoice.system();
            case "session" -> BusChoice.session();
            default -> {
                // D-Bus addresses are transport:key=value,…
                if (v.matches("[a-z-]+:.*=.*")) yield BusChoice.address(v);
                throw new UsageException("--bus must be system, session or a D-Bus address (unix:path=…), got \"" + shorten(v) + "\"");
            }
        };
    }

    private static String shorten(String s) { return s.length() > 200 ? s.substring(0, 200) + "…" : s; }
}
