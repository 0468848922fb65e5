package org.lobstertrap.puzzlepod.podman;



import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lobstertrap.puzzlepod.client.ClientException;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/** {@code puzzle-podman agent list|inspect|diff|approve|reject} over the daemon API; text, or {@code --json}. */
final class AgentCommand {
    private static final Set<String> WITH_VALUE = Set.of("bus", "state", "base", "comment", "reason");
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "list", Set.of("state", "base"), "inspect", Set.of(), "diff", Set.of(),
            "approve", Set.of("comment"), "reject", Set.of("reason"));

    private final Environment env;

    AgentCommand(Environment env) { this.env = env; }

    int run(List<String> args) {
        PrintStream out = env.out(), err = env.err();
        if (args.isEmpty()) {
            err.print(Help.AGENT);
            return ExitCodes.USAGE;
        }
        if (args.contains("--help")) {
            out.print(Help.AGENT);
            return ExitCodes.OK;
        }
        String sub = args.getFirst();
        Map<String, String> opts = new HashMap<>();
        List<String> positional = new ArrayList<>();
        boolean json = false;
        try {
            if (!OPTIONS.containsKey(sub)) throw new UsageException("unknown agent command '" + RunArgumentParser.clip(sub) + "'");
            for (int i = 1; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--json")) { json = true; continue; }
                if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    String name = a.substring(2, eq < 0 ? a.length() : eq);
                    if (!WITH_VALUE.contains(name) || !(name.equals("bus") || OPTIONS.get(sub).contains(name)))
                        throw new UsageException("agent " + sub + " has no option --" + name);
                    String value = eq >= 0 ? a.substring(eq + 1) : i + 1 < args.size() ? args.get(++i) : null;
                    if (value == null) throw new UsageException("--" + name + " needs a value");
                    opts.put(name, value);
                } else {
                    positional.add(a);
                }
            }
            int wanted = sub.equals("list") ? 0 : 1;
            if (positional.size() != wanted)
                throw new UsageException("agent " + sub + (wanted == 0 ? " takes no arguments" : " takes one branch ID"));
        } catch (UsageException e) {
            err.println("puzzle-podman: " + e.getMessage());
            err.println("See 'puzzle-podman agent --help'.");
            return ExitCodes.USAGE;
        }
        try (PuzzlePodClient client = PuzzlePodClient.connect(Buses.choose(Optional.ofNullable(opts.get("bus"))))) {
            String id = positional.isEmpty() ? null : positional.getFirst();
            return switch (sub) {
                case "list" -> list(client, opts, json);
                case "inspect" -> show(client.inspectBranch(id), json, this::printBranch);
                case "diff" -> show(client.diffBranch(id), json, d -> DiffText.print(d, out));
                case "approve" -> decision(client.approveBranch(id, opts.get("comment")), id, json);
                default -> decision(client.rejectBranch(id, opts.get("reason")), id, json);
            };
        } catch (UsageException e) {
            err.println("puzzle-podman: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (ClientException e) {
            err.println("puzzle-podman: " + e.getMessage());
            return e.unreachable() ? ExitCodes.UNREACHABLE : ExitCodes.DAEMON_ERROR;
        } catch (Json.DaemonAnswerException e) {
            err.println("puzzle-podman: " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
    }

    private int list(PuzzlePodClient client, Map<String, String> opts, boolean json) throws ClientException, Json.DaemonAnswerException {
        Json.Obj filter = new Json.Obj();
        if (opts.containsKey("state")) filter.put("state", opts.get("state"));
        if (opts.containsKey("base")) filter.put("base", env.cwd().resolve(opts.get("base")).normalize().toString());
        String answer = client.listBranches(filter.isEmpty() ? "" : filter.toString());
        return show(answer, json, r -> {
            String fmt = "%-24s %-15s %-18s %-25s %s%n";
            env.out().printf(fmt, "ID", "STATE", "PROFILE", "CREATED", "BASE");
            for (JsonValue b : r.path("branches"))
                env.out().printf(fmt, Json.text(b, "id", "?"), Json.text(b, "state", "?"), Json.text(b, "profile", "?"),
                        Json.text(b, "created", "?"), Json.text(b, "base", "?"));
        });
    }

    private void printBranch(JsonValue b) {
        PrintStream out = env.out();
        for (String k : List.of("id", "state", "profile", "base", "workspace", "on_exit", "created", "updated", "expires_at",
                "container_id", "upper", "failure_reason")) {
            String v = Json.text(b, k, null);
            if (v != null) out.printf("%-15s %s%n", k + ":", v);
        }
        JsonValue d = b.get("decision");
        if (d != null && !d.isNull()) {
            out.printf("%-15s %s%s%n", "decision:", Json.text(d, "outcome", "?"),
                    Json.text(d, "reason", null) != null ? " (" + Json.text(d, "reason", "") + ")" : "");
            for (JsonValue v : d.path("violations")) out.println("  " + Outcome.violation(v));
        }
    }

    private int decision(String answer, String id, boolean json) throws Json.DaemonAnswerException {
        JsonValue d = Json.read(answer, "the decision");
        if (json) {
            env.out().println(d.pretty());
            return exitFor(Json.text(d, "outcome", ""));
        }
        int code = Outcome.reportDecision(d, id, null, ExitCodes.OK, env.out());
        // a reject is the person's decision, done as asked
        return code == ExitCodes.ROLLED_BACK ? ExitCodes.OK : code;
    }

    private static int exitFor(String outcome) {
        return switch (outcome) {
            case "committed", "rolled-back" -> ExitCodes.OK;
            case "rejected" -> ExitCodes.REJECTED;
            case "conflict" -> ExitCodes.CONFLICT;
            case "review-pending" -> ExitCodes.REVIEW_PENDING;
            default -> ExitCodes.DAEMON_ERROR;
        };
    }

    private interface Printer { void print(JsonValue n); }

    private int show(String answer, boolean json, Printer text) throws Json.DaemonAnswerException {
        JsonValue n = Json.read(answer, "the query");
        if (json) env.out().println(n.pretty());
        else text.print(n);
        return ExitCodes.OK;
    }
}
