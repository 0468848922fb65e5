package org.lobstertrap.puzzlepod.ctl;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.ClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code puzzlectl}: the operator CLI over puzzled's D-Bus API. Every subcommand is one API call; the
 * global options pick the bus and the output format and may stand before or after the subcommand.
 */
@Command(name = "puzzlectl", mixinStandardHelpOptions = true, version = PuzzleCtl.VERSION,
        description = {
            "Operate puzzled, the PuzzlePod governance daemon, over D-Bus: branches (an overlay branch of a "
                    + "workspace per agent run), profiles, policies, the audit log and the daemon's status."},
        subcommands = {BranchCommand.class, ProfileCommand.class, PolicyCommand.class, AuditCommand.class,
            StatusCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {"  " + BusSelection.ENV + "  the bus when --bus is not given (system, session or an address)"})
public final class PuzzleCtl implements Runnable {
    /** What {@code --version} prints. */
    public static final String VERSION = "puzzlectl 0.1.0";

    @CommandLine.Mixin ExitCodeHelp exitCodes;

    private final Map<String, String> env;
    private final IntSupplier uid;
    private InputStream stdin = System.in;

    @Spec CommandSpec spec;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "text (readable tables and summaries; default) or json (the daemon's JSON, pretty-printed).")
    OutputFormat output = OutputFormat.text;

    @Option(names = "--bus", scope = ScopeType.INHERIT, paramLabel = "BUS",
            description = "system, session, or a D-Bus address (unix:path=…). Default: $" + BusSelection.ENV
                    + ", else the system bus for root and the session bus for other users.")
    String bus;

    /** The real process: its environment and uid. */
    public PuzzleCtl() {
        this(System.getenv(), PuzzleCtl::processUid);
    }

    /** With a given environment and uid (for the default bus). */
    public PuzzleCtl(Map<String, String> env, IntSupplier uid) {
        this.env = Map.copyOf(env);
        this.uid = uid;
    }

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** The bus chosen by {@code --bus}, the environment or the uid. */
    BusChoice bus() { return BusSelection.resolve(bus, env, uid.getAsInt()); }

    OutputFormat output() { return output; }

    /** Where {@code -} file arguments are read from. */
    InputStream stdin() { return stdin; }

    /** Replaces standard input (for embedding and tests). */
    public PuzzleCtl withStdin(InputStream in) {
        this.stdin = in;
        return this;
    }

    /** The command line with puzzlectl's error handling: messages on stderr, exit codes of {@link ExitCodes}. */
    public static CommandLine commandLine(PuzzleCtl ctl) {
        CommandLine cl = new CommandLine(ctl);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // a usage error says what is wrong and where to look, instead of the whole usage text
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            PrintWriter err = c.getErr();
            err.println("puzzlectl: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            int code;
            if (e instanceof ClientException ce) {
                err.println("puzzlectl: " + ce.getMessage() + (ce.unreachable() ? "" : " [" + ce.code() + "]"));
                code = ExitCodes.of(ce);
            } else if (e instanceof CtlException ce) {
                err.println("puzzlectl: " + ce.getMessage());
                code = ce.exitCode();
            } else {
                err.println("puzzlectl: internal error: " + e);
                e.printStackTrace(err);
                code = ExitCodes.DAEMON_ERROR;
            }
            err.flush();
            return code;
        });
        return cl;
    }

    public static CommandLine commandLine() { return commandLine(new PuzzleCtl()); }

    /** Held so the level sticks (java.util.logging keeps loggers only weakly). */
    private static final Logger DBUS_LOG = Logger.getLogger("org.freedesktop.dbus");

    public static void main(String[] args) {
        // dbus-java reports connection set-up at INFO on stderr; a CLI's stderr is for its own messages
        DBUS_LOG.setLevel(Level.SEVERE);
        System.exit(commandLine().execute(args));
    }

    /** This process's uid, which decides the default bus. */
    static int processUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            // Without /proc the session bus is the safe guess: it never reaches the root daemon by accident.
            return -1;
        }
    }
}
