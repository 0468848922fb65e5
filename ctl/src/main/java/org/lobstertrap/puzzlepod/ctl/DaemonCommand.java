package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A subcommand that calls puzzled. It connects only when {@link #daemon()} is first used, so local checks
 * (arguments, input files) fail first and without a bus.
 */
abstract class DaemonCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ExitCodeHelp exitCodes;

    private PuzzlePodClient client;

    @Override public final Integer call() throws ClientException {
        try {
            return run();
        } finally {
            if (client != null) client.close();
            out().flush();
        }
    }

    /** Does the work; returns the exit code. */
    abstract int run() throws ClientException;

    final PuzzlePodClient daemon() throws ClientException {
        if (client == null) client = PuzzlePodClient.connect(ctl().bus());
        return client;
    }

    final PuzzleCtl ctl() { return (PuzzleCtl) spec.root().userObject(); }

    final PrintWriter out() { return spec.commandLine().getOut(); }

    final boolean json() { return ctl().output() == OutputFormat.json; }

    /** Prints an answer: pretty JSON with {@code --output json}, else the text view. Returns the tree. */
    final JsonNode show(String answer, BiConsumer<JsonNode, PrintWriter> textView) {
        JsonNode n = Json.answer(answer);
        if (json()) out().println(Json.pretty(n));
        else textView.accept(n, out());
        return n;
    }
}
