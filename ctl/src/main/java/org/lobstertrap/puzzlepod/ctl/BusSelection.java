package org.lobstertrap.puzzlepod.ctl;

import java.util.Map;
import org.lobstertrap.puzzlepod.client.BusChoice;

/**
 * Which bus {@code puzzlectl} talks to: {@code --bus}, else {@code $PUZZLEPOD_BUS}, else the system bus for
 * root and the session bus for anyone else. A value is {@code system}, {@code session} or a D-Bus address
 * such as {@code unix:path=/run/puzzled/bus}.
 */
public final class BusSelection {
    /** The environment variable that picks the bus when {@code --bus} is not given. */
    public static final String ENV = "PUZZLEPOD_BUS";

    private BusSelection() {}

    /** The bus for an option value (may be null), the environment and the caller's uid. */
    public static BusChoice resolve(String option, Map<String, String> env, int uid) {
        if (option != null) return parse(option, "--bus");
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) return parse(fromEnv.strip(), ENV);
        return BusChoice.forUid(uid);
    }

    /** {@code system}, {@code session} or an address ({@code transport:key=value,…}). */
    static BusChoice parse(String value, String source) {
        return switch (value) {
            case "system" -> BusChoice.system();
            case "session" -> BusChoice.session();
            default -> {
                int colon = value.indexOf(':');
                if (colon <= 0 || colon == value.length() - 1)
                    throw new CtlException(ExitCodes.USAGE, "invalid bus \"" + value + "\" (from " + source
                            + "): use system, session or a D-Bus address such as unix:path=/run/puzzled/bus");
                yield BusChoice.address(value);
            }
        };
    }
}
