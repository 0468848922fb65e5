package org.lobstertrap.puzzlepod.bench.rego;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lobstertrap.puzzlepod.rego.value.Json;
import org.lobstertrap.puzzlepod.rego.value.Value;

/**
 * The commit-gate input: a changeset of {@link Entry} rows plus totals and the branch's quotas, as typed
 * Java data (for the hand-coded gate) and as the policy's input document.
 */
public record CommitInput(List<Entry> changes, long totalBytes, long totalFiles, long storageQuotaBytes, long inodeQuota) {

    /** One changed path; {@code checksum} and {@code target} may be null. */
    public record Entry(String path, String kind, long size, String checksum, String target, int newMode) {}

    /** The policy input: {"changes": [...], "total_bytes", "total_files", "storage_quota_bytes", "inode_quota"}. */
    public Value toValue() {
        List<Object> rows = new ArrayList<>(changes.size());
        for (Entry e : changes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", e.path());
            m.put("kind", e.kind());
            m.put("size", e.size());
            m.put("checksum", e.checksum());
            m.put("target", e.target());
            m.put("new_mode", e.newMode());
            // absent rather than null, as the daemon sends them
            if (e.checksum() == null) m.remove("checksum");
            if (e.target() == null) m.remove("target");
            rows.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("changes", rows);
        doc.put("total_bytes", totalBytes);
        doc.put("total_files", totalFiles);
        doc.put("storage_quota_bytes", storageQuotaBytes);
        doc.put("inode_quota", inodeQuota);
        return Json.fromJava(doc);
    }

    /**
     * A realistic 1 000-change commit of a Java service (sources, tests, resources, docs; about one in ten
     * deleted) with a handful of planted problems: a .env file, a PEM key, an executable script together with
     * a cron entry, escaping and absolute symlinks, a setuid helper, a fifo, a CI workflow and a .bashrc edit.
     */
    public static CommitInput realistic() {
        List<Entry> out = new ArrayList<>();
        String[] modules = {"catalog", "checkout", "payments", "inventory", "shipping", "accounts", "search", "reviews"};
        String[] layers = {"api", "domain", "service", "repository", "web"};
        int i = 0;
        while (out.size() < 990) {
            String module = modules[i % modules.length];
            String layer = layers[(i / modules.length) % layers.length];
            String path = switch (i % 7) {
                case 0, 1, 2 -> "services/" + module + "/src/main/java/com/acme/shop/" + module + "/" + layer + "/Type" + i + ".java";
                case 3, 4 -> "services/" + module + "/src/test/java/com/acme/shop/" + module + "/" + layer + "/Type" + i + "Test.java";
                case 5 -> "services/" + module + "/src/main/resources/" + layer + "/messages_" + i + ".properties";
                default -> "docs/" + module + "/" + layer + "-" + i + ".md";
            };
            String kind = i % 10 == 0 ? "Deleted" : i % 10 == 1 ? "Added" : i % 37 == 5 ? "MetadataChanged" : "Modified";
            long size = kind.equals("Deleted") || kind.equals("MetadataChanged") ? 0 : 200 + (i * 7919L) % 40_000;
            String checksum = kind.equals("Added") || kind.equals("Modified") ? String.format("%064x", i * 2654435761L) : null;
            out.add(new Entry(path, kind, size, checksum, null, kind.equals("Deleted") ? 0 : 0100644));
            i++;
        }
        out.add(new Entry("services/checkout/config/.env", "Added", 312, String.format("%064x", 1L), null, 0100600));
        out.add(new Entry("deploy/tls/server.pem", "Added", 3243, String.format("%064x", 2L), null, 0100600));
        out.add(new Entry("scripts/nightly-backup.sh", "Added", 1822, String.format("%064x", 3L), null, 0100755));
        out.add(new Entry("etc/cron.d/nightly-backup", "Added", 64, String.format("%064x", 4L), null, 0100644));
        out.add(new Entry("vendor/current", "Symlink", 0, null, "../../../etc/passwd", 0120777));
        out.add(new Entry("logs/latest", "Symlink", 0, null, "/var/log/shop/app.log", 0120777));
        out.add(new Entry("tools/bin/helper", "Added", 18_432, String.format("%064x", 5L), null, 0104755));
        out.add(new Entry("build/tmp/events.pipe", "Fifo", 0, null, null, 0010644));
        out.add(new Entry(".github/workflows/release.yml", "Modified", 2_048, String.format("%064x", 6L), null, 0100644));
        out.add(new Entry(".bashrc", "Modified", 4_120, String.format("%064x", 7L), null, 0100644));
        long bytes = 0;
        for (Entry e : out) if (e.kind().equals("Added") || e.kind().equals("Modified") || e.kind().equals("Hardlink")) bytes += e.size();
        return new CommitInput(List.copyOf(out), bytes, out.size(), 1L << 30, 20_000);
    }
}
