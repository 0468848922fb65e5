package org.lobstertrap.puzzlepod.ctl;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code branch}, {@code profile}, …): alone it is a usage error. */
abstract class GroupCommand implements Runnable {
    @Spec CommandSpec spec;
    @Mixin ExitCodeHelp exitCodes;

    @Override public final void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand of " + spec.qualifiedName());
    }
}
