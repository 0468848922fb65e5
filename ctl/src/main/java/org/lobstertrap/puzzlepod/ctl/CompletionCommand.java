package org.lobstertrap.puzzlepod.ctl;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code puzzlectl completion}: the bash completion script, the same one the build writes to target/completion. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the bash completion script: source <(puzzlectl completion)"})
final class CompletionCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin ExitCodeHelp exitCodes;

    @Override public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("puzzlectl", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
