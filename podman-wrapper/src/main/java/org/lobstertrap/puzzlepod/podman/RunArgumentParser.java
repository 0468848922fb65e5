package org.lobstertrap.puzzlepod.podman;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Splits {@code puzzle-podman run ARGS}: the wrapper's own options first (only before the first podman
 * argument), then podman's options read with podman 4.3's flag table ({@link PodmanRunFlags}) to find
 * IMAGE, then the command. A {@code --} right after the wrapper's options only ends them; a later one is
 * podman's (IMAGE follows it). Unknown podman flags are refused: without knowing whether a flag takes a
 * value, IMAGE cannot be found.
 */
public final class RunArgumentParser {
    private RunArgumentParser() {}

    private static final Set<String> OWN_WITH_VALUE = Set.of("profile", "base", "workspace", "runtime-dir");
    private static final Set<String> OWN_SWITCHES = Set.of("auto-commit", "auto-rollback", "help");

    public static RunArguments parse(List<String> args) throws UsageException {
        String profile = RunArguments.DEFAULT_PROFILE, workspace = "/workspace";
        String base = null, runtimeDir = null;
        boolean autoCommit = false, autoRollback = false;
        int i = 0;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) { i++; break; }
            if (!a.startsWith("--")) break;
            int eq = a.indexOf('=');
            String name = a.substring(2, eq < 0 ? a.length() : eq);
            if (name.equals("bus")) {
                throw new UsageException("run does not use D-Bus: it talks to puzzled over its hook socket; for a daemon "
                        + "outside the default place give --runtime-dir DIR (its runtime directory) or PUZZLEPOD_RUNTIME_DIR");
            }
            if (OWN_SWITCHES.contains(name)) {
                if (eq >= 0) throw new UsageException("--" + name + " takes no value");
                switch (name) {
                    case "help" -> { return help(); }
                    case "auto-commit" -> autoCommit = true;
                    default -> autoRollback = true;
                }
            } else if (OWN_WITH_VALUE.contains(name)) {
                String value;
                if (eq >= 0) value = a.substring(eq + 1);
                else if (i + 1 < args.size()) value = args.get(++i);
                else throw new UsageException("--" + name + " needs a value");
                if (value.isEmpty()) throw new UsageException("--" + name + " needs a non-empty value");
                switch (name) {
                    case "profile" -> profile = value;
                    case "base" -> base = value;
                    case "workspace" -> workspace = value;
                    default -> runtimeDir = value;
                }
            } else {
                break;
            }
        }
        if (runtimeDir != null && (!runtimeDir.startsWith("/") || runtimeDir.contains("\0")))
            throw new UsageException("--runtime-dir must be an absolute path (got '" + clip(runtimeDir) + "')");
        if (autoCommit && autoRollback) throw new UsageException("--auto-commit and --auto-rollback exclude each other");
        if (!workspace.startsWith("/") || workspace.contains(":") || workspace.contains(","))
            throw new UsageException("--workspace must be an absolute container path without ':' or ',' (got '" + clip(workspace) + "')");

        List<String> options = new ArrayList<>();
        List<PodmanFlag> flags = new ArrayList<>();
        String image = null;
        for (; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                options.add(a);
                if (i + 1 >= args.size()) throw new UsageException("no IMAGE after '--'");
                image = args.get(++i);
                i++;
                break;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = a.substring(2, eq < 0 ? a.length() : eq);
                options.add(a);
                if (!PodmanRunFlags.known(name)) throw unknown("--" + name, name);
                if (name.equals("help")) return help();
                String value = null;
                if (eq >= 0) value = a.substring(eq + 1);
                else if (PodmanRunFlags.takesValue(name)) {
                    if (i + 1 >= args.size()) throw new UsageException("podman option --" + name + " needs a value");
                    value = args.get(++i);
                    options.add(value);
                }
                flags.add(new PodmanFlag(name, value));
            } else if (a.startsWith("-") && a.length() > 1) {
                options.add(a);
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    String name = PodmanRunFlags.longName(c).orElseThrow(() -> unknown("-" + c, null));
                    if (!PodmanRunFlags.takesValue(name)) {
                        flags.add(new PodmanFlag(name, null));
                        continue;
                    }
                    String rest = a.substring(j + 1);
                    if (rest.startsWith("=")) rest = rest.substring(1);
                    if (rest.isEmpty()) {
                        if (i + 1 >= args.size()) throw new UsageException("podman option -" + c + " (--" + name + ") needs a value");
                        rest = args.get(++i);
                        options.add(rest);
                    }
                    flags.add(new PodmanFlag(name, rest));
                    break;
                }
            } else {
                image = a;
                i++;
                break;
            }
        }
        if (image == null) throw new UsageException("no IMAGE given (usage: puzzle-podman run [OPTIONS] IMAGE [COMMAND [ARG...]])");
        List<String> command = new ArrayList<>(args.subList(i, args.size()));
        OnExit onExit = autoCommit ? OnExit.AUTO_COMMIT : autoRollback ? OnExit.AUTO_ROLLBACK : OnExit.ASK;
        return new RunArguments(false, profile, Optional.ofNullable(base), workspace, onExit, Optional.ofNullable(runtimeDir),
                options, flags, image, command);
    }

    private static RunArguments help() {
        return new RunArguments(true, RunArguments.DEFAULT_PROFILE, Optional.empty(), "/workspace", OnExit.ASK,
                Optional.empty(), List.of(), List.of(), "", List.of());
    }

    private static UsageException unknown(String given, String longName) {
        if (longName != null && (OWN_WITH_VALUE.contains(longName) || OWN_SWITCHES.contains(longName)))
            return new UsageException(given + " is a puzzle-podman option: give it before podman's options and IMAGE");
        return new UsageException("unknown podman run option " + given
                + " (puzzle-podman knows the options of podman 4.3's 'podman run --help')");
    }

    static String clip(String s) { return s.length() <= 200 ? s : s.substring(0, 200) + "…"; }
}
