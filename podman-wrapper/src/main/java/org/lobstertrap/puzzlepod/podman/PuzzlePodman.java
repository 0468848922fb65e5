package org.lobstertrap.puzzlepod.podman;

import java.util.Arrays;
import java.util.List;
import org.lobstertrap.puzzlepod.client.hook.BuiltInSelectorProvider;

/**
 * {@code puzzle-podman}: {@code podman run} with governance ({@link RunCommand}) and the {@code agent}
 * subcommands ({@link AgentCommand}). The command line is read by hand: start-up is part of every run.
 */
public final class PuzzlePodman {
    private PuzzlePodman() {}

    /**
     * dbus-java logs its transport choice at INFO; the wrapper's stderr is for its own messages. Held: loggers are
     * weak. In a holder class: initialising java.util.logging reads its configuration and scans the class path's
     * jars for logging services, which {@code run} (no D-Bus) must not pay.
     */
    private static final class DbusLog {
        static final java.util.logging.Logger LOGGER = java.util.logging.Logger.getLogger("org.freedesktop");
    }

    public static void main(String[] args) {
        Environment env = Environment.system();
        List<String> list = Arrays.asList(args);
        boolean run = !list.isEmpty() && list.getFirst().equals("run");
        if (run) {
            BuiltInSelectorProvider.choose();
            env.signals().install();
        }
        else DbusLog.LOGGER.setLevel(java.util.logging.Level.WARNING); // run loads no D-Bus (nor java.util.logging)
        int code = run(list, env);
        System.out.flush();
        System.err.flush();
        // run: no shutdown hook to run, and System.exit would first initialise the JDK's System.Logger (it logs the
        // exit at DEBUG), ~10 ms of CPU per run; the agent commands' D-Bus connection may have hooks, so they exit normally
        if (run) Runtime.getRuntime().halt(code);
        System.exit(code);
    }

    /** Runs one command line and returns its exit code. */
    static int run(List<String> args, Environment env) {
        if (args.isEmpty()) {
            env.err().print(Help.MAIN);
            return ExitCodes.USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.getFirst()) {
            case "run" -> new RunCommand(env).run(rest);
            case "agent" -> new AgentCommand(env).run(rest);
            case "--help", "-h", "help" -> { env.out().print(Help.MAIN); yield ExitCodes.OK; }
            case "--version", "version" -> { env.out().println("puzzle-podman " + version()); yield ExitCodes.OK; }
            default -> {
                env.err().println("puzzle-podman: unknown command '" + RunArgumentParser.clip(args.getFirst()) + "'");
                env.err().println("See 'puzzle-podman --help'.");
                yield ExitCodes.USAGE;
            }
        };
    }

    private static String version() {
        String v = PuzzlePodman.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
