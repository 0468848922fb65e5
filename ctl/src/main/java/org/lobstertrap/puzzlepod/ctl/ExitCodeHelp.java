package org.lobstertrap.puzzlepod.ctl;

import picocli.CommandLine.Command;

/**
 * Mixed into every command so each {@code --help} (and man page) ends with the exit codes of {@link ExitCodes}
 * and each {@code --version} names puzzlectl's version.
 */
@Command(version = PuzzleCtl.VERSION, exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":ok",
            ExitCodes.REJECTED + ":rejected: changeset rejected by the policy, profile invalid, audit chain broken, "
                    + "a commit or approve that did not commit",
            ExitCodes.USAGE + ":usage error (also: an argument the daemon refused as invalid, an unreadable input file)",
            ExitCodes.UNREACHABLE + ":puzzled is not reachable (no bus, or the daemon is not on it)",
            ExitCodes.NOT_FOUND + ":no such branch or profile",
            ExitCodes.ACCESS_DENIED + ":access denied",
            ExitCodes.CONFLICT + ":conflict or invalid state (e.g. approving a branch that is not review-pending)",
            ExitCodes.DAEMON_ERROR + ":other error (daemon unavailable or internal error, an answer that is not JSON)"})
public final class ExitCodeHelp {
}
