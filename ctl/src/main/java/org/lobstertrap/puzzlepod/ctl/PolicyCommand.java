package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import org.lobstertrap.puzzlepod.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code puzzlectl policy …}: the Rego commit policies. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Test a changeset against the loaded policies, or reload them.",
        subcommands = {PolicyCommand.Test.class, PolicyCommand.Reload.class})
final class PolicyCommand extends GroupCommand {

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Evaluate the loaded policies on a changeset; nothing is committed.",
                "Exits 1 when the changeset is rejected."})
    static final class Test extends DaemonCommand {
        @Parameters(paramLabel = "CHANGESET.json",
                description = "A diff (puzzlectl -o json branch diff) or {\"changes\": [...]}, optionally with "
                        + "\"exit_code\" (- for standard input).")
        String changeset;

        /** The shipped general-purpose profile; the daemon needs a profile to evaluate under. */
        static final String DEFAULT_PROFILE = "standard";

        @Option(names = "--profile", paramLabel = "PROFILE", converter = Arguments.ProfileName.class,
                defaultValue = DEFAULT_PROFILE,
                description = "Evaluate under this profile (default: ${DEFAULT-VALUE}, the general-purpose profile).")
        String profile;

        @Override int run() throws ClientException {
            String json = new InputFile(changeset, ctl().stdin()).readJsonObject(InputFile.CHANGESET_LIMIT, "changeset");
            JsonNode d = show(daemon().testPolicy(json, profile), DecisionView::print);
            return DecisionView.allowed(d) ? ExitCodes.OK : ExitCodes.REJECTED;
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = "Recompile the policies and reload the profiles; puzzled keeps the old ones if that fails.")
    static final class Reload extends DaemonCommand {
        @Override int run() throws ClientException {
            show(daemon().reloadPolicy(), (n, out) -> {
                JsonNode modules = n.path("modules");
                java.util.List<String> names = new java.util.ArrayList<>();
                for (JsonNode m : modules) names.add(m.asText());
                out.println("policy reloaded: digest " + Json.text(n, "policy_digest"));
                out.println("modules (" + names.size() + "): " + (names.isEmpty() ? "-" : String.join(", ", names)));
                out.println("profiles: " + Json.text(n, "profiles"));
            });
            return ExitCodes.OK;
        }
    }
}
