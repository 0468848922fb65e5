package org.lobstertrap.puzzlepod.daemon.main;

import org.lobstertrap.puzzlepod.daemon.dbus.StandInApi;

/** puzzled's real main with the stand-in service instead of GovernanceService (run as a child process by tests). */
public final class StandInPuzzled {
    private StandInPuzzled() {}

    public static void main(String[] args) {
        PuzzledMain.runAndExit(args, (config, events, uid) -> new StandInApi(events));
    }
}
