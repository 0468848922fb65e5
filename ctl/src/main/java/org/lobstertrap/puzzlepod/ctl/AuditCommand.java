package org.lobstertrap.puzzlepod.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import org.lobstertrap.puzzlepod.client.ClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code puzzlectl audit …}: puzzled's HMAC-chained audit log. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "List, export and verify the audit log.",
        subcommands = {AuditCommand.List.class, AuditCommand.Export.class, AuditCommand.Verify.class})
final class AuditCommand extends GroupCommand {

    /** The filters of {@code QueryAuditEvents}, shared by list and export. */
    static final class Filter {
        @Option(names = "--branch", paramLabel = "ID", converter = Arguments.BranchId.class,
                description = "Only events of this branch.")
        String branch;

        @Option(names = "--type", paramLabel = "TYPE", split = ",",
                description = "Only events of these types (repeat or separate by commas), e.g. gate.decision,branch.committed.")
        java.util.List<String> types;

        @Option(names = "--since", paramLabel = "TIME", converter = Arguments.PointInTime.class,
                description = "Only events at or after TIME: ISO-8601 (2026-01-31T12:00:00Z) or an age (30m, 12h, 7d).")
        Instant since;

        @Option(names = "--until", paramLabel = "TIME", converter = Arguments.PointInTime.class,
                description = "Only events before TIME (same forms as --since).")
        Instant until;

        @Option(names = "--limit", paramLabel = "N", description = "At most N events.")
        Integer limit;

        String query() {
            if (limit != null && limit < 1) throw new TypeConversionException("--limit must be at least 1, not " + limit);
            ObjectNode q = Json.object();
            if (branch != null) q.put("branch", branch);
            if (types != null && !types.isEmpty()) {
                ArrayNode a = q.putArray("types");
                for (String t : types) {
                    if (t.isBlank()) throw new CtlException(ExitCodes.USAGE, "--type: an empty event type");
                    a.add(t.strip());
                }
            }
            if (since != null) q.put("from", since.toString());
            if (until != null) q.put("to", until.toString());
            if (limit != null) q.put("limit", limit);
            return Json.argument(q);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List audit events (as text: SEQ TIME TYPE BRANCH UID DATA).")
    static final class List extends DaemonCommand {
        @Mixin Filter filter;

        @Override int run() throws ClientException {
            String query = query(filter);
            show(daemon().queryAuditEvents(query), List::table);
            return ExitCodes.OK;
        }

        static void table(JsonNode n, PrintWriter out) {
            TextTable t = new TextTable("SEQ", "TIME", "TYPE", "BRANCH", "UID", "DATA");
            for (JsonNode e : n.path("events")) {
                t.row(Json.text(e, "seq"), Json.text(e, "time"), Json.text(e, "type"), Json.text(e, "branch"),
                        Json.text(e, "uid"), Json.text(e, "data"));
            }
            t.print(out);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write audit events as NDJSON (one record per line, as the daemon returns them) to standard output.")
    static final class Export extends DaemonCommand {
        @Mixin Filter filter;

        @Override int run() throws ClientException {
            String query = query(filter);
            JsonNode n = Json.answer(daemon().queryAuditEvents(query));
            PrintWriter out = out();
            for (JsonNode e : n.path("events")) out.println(Json.compact(e));
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the audit log's HMAC chain. Exits 1 when it is broken, listing the problems.")
    static final class Verify extends DaemonCommand {
        @Override int run() throws ClientException {
            JsonNode n = show(daemon().verifyAudit(), (r, out) -> {
                boolean ok = r.path("ok").asBoolean(false);
                out.println((ok ? "audit log ok: " : "audit log BROKEN: ") + Json.text(r, "records") + " records in "
                        + Json.text(r, "files") + " files");
                for (JsonNode p : r.path("problems")) out.println("  " + p.asText());
            });
            return n.path("ok").asBoolean(false) ? ExitCodes.OK : ExitCodes.REJECTED;
        }
    }

    /** The query, or a usage error for a bad filter (before anything is sent). */
    private static String query(Filter f) {
        try {
            return f.query();
        } catch (TypeConversionException e) {
            throw new CtlException(ExitCodes.USAGE, e.getMessage());
        }
    }
}
