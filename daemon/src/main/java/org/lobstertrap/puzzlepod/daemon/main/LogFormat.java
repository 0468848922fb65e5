package org.lobstertrap.puzzlepod.daemon.main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per log record on stderr. Under systemd (not {@code --foreground}) each line starts with its
 * syslog priority ({@code <3>} error … {@code <7>} debug), which journald reads and strips, and carries no
 * time stamp (journald adds one); in the foreground it carries local time and the level name.
 */
final class LogFormat extends Formatter {
    // JUL holds loggers weakly: a logger whose level we set must be kept, or the level goes with it
    private static final Logger DBUS_JAVA = Logger.getLogger("org.freedesktop");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private final boolean foreground;

    private LogFormat(boolean foreground) { this.foreground = foreground; }

    /** Routes java.util.logging (and so System.Logger and dbus-java's slf4j) to stderr in this format. */
    static void install(boolean foreground) {
        if (LogManager.getLogManager() instanceof DaemonLogManager m) m.resetNow();
        else LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler h = new ConsoleHandler(); // stderr, flushed per record
        h.setFormatter(new LogFormat(foreground));
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(Level.INFO);
        // dbus-java reports every refused or dropped peer at INFO; only its warnings matter to an operator
        DBUS_JAVA.setLevel(Level.WARNING);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(128);
        if (foreground) b.append(LocalDateTime.now().format(TIME)).append(' ').append(r.getLevel().getName()).append(' ');
        else b.append('<').append(priority(r.getLevel())).append('>');
        b.append("puzzled: ").append(formatMessage(r).replace('\n', ' '));
        if (r.getThrown() != null) {
            StringWriter w = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(w));
            // one record stays one journal entry's worth of lines, each with the priority
            for (String line : w.toString().split("\n")) {
                b.append('\n');
                if (!foreground) b.append('<').append(priority(r.getLevel())).append('>');
                b.append("    ").append(line);
            }
        }
        return b.append('\n').toString();
    }

    private static int priority(Level l) {
        int v = l.intValue();
        if (v >= Level.SEVERE.intValue()) return 3;
        if (v >= Level.WARNING.intValue()) return 4;
        if (v >= Level.INFO.intValue()) return 6;
        return 7;
    }
}
