package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import org.lobstertrap.puzzlepod.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code puzzlectl profile …}: the agent profiles puzzled has loaded. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "List, show, validate and test agent profiles.",
        subcommands = {ProfileCommand.List.class, ProfileCommand.Show.class, ProfileCommand.Validate.class,
            ProfileCommand.Test.class})
final class ProfileCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the loaded profiles.")
    static final class List extends DaemonCommand {
        @Override int run() throws ClientException {
            show(daemon().listProfiles(), (n, out) -> {
                TextTable t = new TextTable("NAME", "EXTENDS", "DESCRIPTION");
                for (JsonNode p : n.path("profiles")) t.row(Json.text(p, "name"), Json.text(p, "extends"), Json.text(p, "description"));
                t.print(out);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a profile with its inheritance resolved (as text: YAML).")
    static final class Show extends DaemonCommand {
        @Parameters(paramLabel = "PROFILE", converter = Arguments.ProfileName.class, description = "The profile.")
        String name;

        @Override int run() throws ClientException {
            show(daemon().showProfile(name), Show::yaml);
            return ExitCodes.OK;
        }

        static void yaml(JsonNode n, PrintWriter out) {
            YAMLMapper yaml = new YAMLMapper(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
            try {
                out.print(yaml.writeValueAsString(n));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serialises as YAML", e);
            }
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Check a profile document (YAML) without installing it. Exits 1 when it is invalid, "
                    + "listing the errors."})
    static final class Validate extends DaemonCommand {
        @Parameters(paramLabel = "FILE", description = "The profile YAML (- for standard input).")
        String file;

        @Override int run() throws ClientException {
            String yaml = new InputFile(file, ctl().stdin()).read(InputFile.PROFILE_LIMIT, "profile");
            JsonNode n = show(daemon().validateProfile(yaml), (r, out) -> {
                if (r.path("valid").asBoolean(false)) {
                    out.println("valid: profile " + Json.text(r, "name"));
                } else {
                    String name = Json.text(r, "name");
                    out.println("invalid" + (name.equals("-") ? "" : ": profile " + name));
                    for (JsonNode e : r.path("errors")) out.println("  " + e.asText());
                }
            });
            return n.path("valid").asBoolean(false) ? ExitCodes.OK : ExitCodes.REJECTED;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Evaluate the loaded policies on a changeset under a profile; nothing is committed.",
                "Exits 1 when the changeset is rejected."})
    static final class Test extends DaemonCommand {
        @Parameters(index = "0", paramLabel = "PROFILE", converter = Arguments.ProfileName.class, description = "The profile.")
        String profile;

        @Parameters(index = "1", paramLabel = "CHANGESET.json",
                description = "A diff (puzzlectl -o json branch diff) or {\"changes\": [...]}, optionally with "
                        + "\"exit_code\" (- for standard input).")
        String changeset;

        @Override int run() throws ClientException {
            String json = new InputFile(changeset, ctl().stdin()).readJsonObject(InputFile.CHANGESET_LIMIT, "changeset");
            JsonNode d = show(daemon().testPolicy(json, profile), DecisionView::print);
            return DecisionView.allowed(d) ? ExitCodes.OK : ExitCodes.REJECTED;
        }
    }
}
