package org.lobstertrap.puzzlepod.daemon.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash completion script: source <(puzzle-branch completion)"})
final class CompletionCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() {
        String script = AutoComplete.bash("puzzle-branch", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }
}
