package org.lobstertrap.puzzlepod.bench.rego;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.lobstertrap.puzzlepod.bench.rego.CommitInput.Entry;

/**
 * The reference for the Rego benchmark: the checks of {@code policies/commit.rego} written by hand in
 * plain Java, producing the same decision and the same violations.
 */
public final class HandCodedCommitGate {
    private HandCodedCommitGate() {}

    /** One policy violation. */
    public record Violation(String rule, String message, String severity) {}

    /** The gate's answer. */
    public record Decision(boolean allow, Set<Violation> violations) {}

    private static final long MAX_CHANGES = 5000;
    private static final long MAX_FILE_BYTES = 104_857_600;
    private static final long MAX_DELETIONS = 500;
    private static final List<Pattern> SENSITIVE = List.of(
            Pattern.compile("(^|/)\\.ssh/"),
            Pattern.compile("(^|/)id_(rsa|dsa|ecdsa|ed25519)(\\.pub)?$"),
            Pattern.compile("(^|/)\\.env(\\.[A-Za-z0-9_-]+)?$"),
            Pattern.compile("(^|/)\\.aws/credentials$"),
            Pattern.compile("\\.pem$"),
            Pattern.compile("(^|/)\\.(bash|zsh|sh|python|node_repl|mysql|psql)_history$"),
            Pattern.compile("(^|/)\\.netrc$"),
            Pattern.compile("(^|/)\\.git-credentials$"),
            Pattern.compile("(^|/)\\.docker/config\\.json$"),
            Pattern.compile("(^|/)\\.kube/config$"));
    private static final List<String> PERSISTENCE = List.of("etc/cron", "etc/systemd/", "etc/init.d/", "etc/rc.local",
            "var/spool/cron/", ".config/systemd/", ".config/autostart/", "Library/LaunchAgents/");
    private static final Set<String> SHELL_STARTUP = Set.of(".bashrc", ".bash_profile", ".bash_login", ".bash_logout",
            ".profile", ".zshrc", ".zprofile");
    private static final List<String> SYSTEM = List.of("etc/", "usr/", "bin/", "sbin/", "lib/", "lib64/", "boot/", "proc/", "sys/", "dev/");
    private static final Pattern CI = Pattern.compile("^(\\.github/workflows/|\\.gitlab-ci\\.yml$|Jenkinsfile$)");
    private static final Pattern SCRIPT = Pattern.compile("\\.(sh|bash|py|pl|rb)$");

    private static boolean isWrite(String kind) { return !kind.equals("Deleted"); }

    private static boolean hasDotDot(String path) {
        for (String seg : path.split("/", -1)) if (seg.equals("..")) return true;
        return false;
    }

    public static Decision evaluate(CommitInput in) {
        Set<Violation> v = new HashSet<>();
        long written = 0, inodes = 0, deletions = 0;
        boolean touchesCron = false;
        Set<String> scripts = new HashSet<>();
        for (Entry c : in.changes()) {
            String p = c.path();
            String kind = c.kind();
            boolean write = isWrite(kind);
            switch (kind) {
                case "Added", "Modified", "Hardlink" -> written += c.size();
                default -> { }
            }
            switch (kind) {
                case "Added", "Symlink", "Hardlink", "BlockDevice", "CharDevice", "Fifo" -> inodes++;
                default -> { }
            }
            if (kind.equals("Deleted")) deletions++;
            if (write) {
                for (Pattern s : SENSITIVE)
                    if (s.matcher(p).find()) { v.add(new Violation("sensitive_path", "write to a sensitive path: " + p, "critical")); break; }
                for (String pre : PERSISTENCE)
                    if (p.startsWith(pre)) { v.add(new Violation("persistence_path", "write to a persistence location: " + p, "critical")); break; }
                if (SHELL_STARTUP.contains(p.substring(p.lastIndexOf('/') + 1)))
                    v.add(new Violation("shell_startup_file", "shell startup file changed: " + p, "high"));
                if (p.startsWith(".git/hooks/") && !p.endsWith(".sample"))
                    v.add(new Violation("git_hook", "git hook installed: " + p, "high"));
                if ((c.newMode() & 2048) != 0) v.add(new Violation("setuid", "setuid bit on " + p, "critical"));
                if ((c.newMode() & 1024) != 0) v.add(new Violation("setgid", "setgid bit on " + p, "critical"));
                if (p.contains("cron")) touchesCron = true;
            }
            for (String pre : SYSTEM)
                if (p.startsWith(pre)) { v.add(new Violation("system_path", "change under a system directory: " + p, "high")); break; }
            if (CI.matcher(p).find()) v.add(new Violation("ci_pipeline", "CI pipeline changed: " + p, "medium"));
            if (hasDotDot(p)) v.add(new Violation("path_traversal", "path leaves the workspace: " + p, "critical"));
            if (p.startsWith("/")) v.add(new Violation("absolute_path", "absolute path in changeset: " + p, "critical"));
            if (c.size() > MAX_FILE_BYTES)
                v.add(new Violation("file_too_large", p + " is " + c.size() + " bytes, ceiling is " + MAX_FILE_BYTES, "medium"));
            boolean content = kind.equals("Added") || kind.equals("Modified");
            if ((content || kind.equals("MetadataChanged")) && (c.newMode() & 2) != 0)
                v.add(new Violation("world_writable", "world-writable file: " + p, "medium"));
            if (content && c.checksum() == null) v.add(new Violation("missing_checksum", "no checksum for " + p, "low"));
            if (kind.equals("Symlink")) {
                String t = c.target();
                if (t.startsWith("/")) v.add(new Violation("symlink_absolute", "symlink " + p + " points to absolute path " + t, "high"));
                if (hasDotDot(t)) v.add(new Violation("symlink_escape", "symlink " + p + " climbs out with " + t, "high"));
            }
            if (kind.equals("BlockDevice") || kind.equals("CharDevice")) v.add(new Violation("device_node", "device node created: " + p, "critical"));
            if (kind.equals("Fifo")) v.add(new Violation("fifo", "named pipe created: " + p, "medium"));
            if (kind.equals("Added") && (c.newMode() & 73) != 0 && SCRIPT.matcher(p).find()) scripts.add(p);
        }
        if (written > in.storageQuotaBytes())
            v.add(new Violation("storage_quota", "changeset writes " + written + " bytes, quota is " + in.storageQuotaBytes(), "high"));
        if (inodes > in.inodeQuota())
            v.add(new Violation("inode_quota", "changeset creates " + inodes + " inodes, quota is " + in.inodeQuota(), "high"));
        long n = in.changes().size();
        if (n > MAX_CHANGES) v.add(new Violation("changeset_size", "changeset has " + n + " changes, ceiling is " + MAX_CHANGES, "medium"));
        if (in.totalFiles() != n)
            v.add(new Violation("totals_mismatch", "total_files " + in.totalFiles() + " does not match " + n + " changes", "high"));
        if (deletions > MAX_DELETIONS)
            v.add(new Violation("mass_deletion", "changeset deletes " + deletions + " paths, ceiling is " + MAX_DELETIONS, "high"));
        if (touchesCron)
            for (String s : scripts) v.add(new Violation("script_with_cron", "executable script " + s + " added together with a cron entry", "critical"));
        return new Decision(v.isEmpty(), v);
    }
}
