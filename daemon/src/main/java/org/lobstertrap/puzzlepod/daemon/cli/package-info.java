/**
 * {@code puzzle-branch}, the developer command line for the branch core on one machine
 * ({@link org.lobstertrap.puzzlepod.daemon.cli.PuzzleBranchCli}); exit codes in
 * {@link org.lobstertrap.puzzlepod.daemon.cli.ExitCodes}.
 */
package org.lobstertrap.puzzlepod.daemon.cli;
