# Commit gate for one agent changeset (benchmark policy; the shipped policies live with the daemon).
#
# input.changes[_]: {"path", "kind", "size", "checksum", "target", "new_mode"}
#   kind is one of Added, Modified, Deleted, MetadataChanged, Symlink, Hardlink, BlockDevice, CharDevice, Fifo
# input.total_bytes, input.total_files: totals of the changeset
# input.storage_quota_bytes, input.inode_quota: limits of the branch
package puzzlepod.commit

default allow := false

allow if count(violations) == 0

max_changes := 5000

max_file_bytes := 104857600

max_deletions := 500

sensitive_patterns := [
	`(^|/)\.ssh/`,
	`(^|/)id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$`,
	`(^|/)\.env(\.[A-Za-z0-9_-]+)?$`,
	`(^|/)\.aws/credentials$`,
	`\.pem$`,
	`(^|/)\.(bash|zsh|sh|python|node_repl|mysql|psql)_history$`,
	`(^|/)\.netrc$`,
	`(^|/)\.git-credentials$`,
	`(^|/)\.docker/config\.json$`,
	`(^|/)\.kube/config$`,
]

persistence_prefixes := [
	"etc/cron",
	"etc/systemd/",
	"etc/init.d/",
	"etc/rc.local",
	"var/spool/cron/",
	".config/systemd/",
	".config/autostart/",
	"Library/LaunchAgents/",
]

shell_startup_files := {".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zprofile"}

system_prefixes := ["etc/", "usr/", "bin/", "sbin/", "lib/", "lib64/", "boot/", "proc/", "sys/", "dev/"]

script_suffix := `\.(sh|bash|py|pl|rb)$`

writes := {"Added", "Modified", "MetadataChanged", "Symlink", "Hardlink", "BlockDevice", "CharDevice", "Fifo"}

basename(p) := parts[count(parts) - 1] if parts := split(p, "/")

# ---- paths ----

violations contains v if {
	some c in input.changes
	c.kind in writes
	some pattern in sensitive_patterns
	regex.match(pattern, c.path)
	v := {"rule": "sensitive_path", "message": sprintf("write to a sensitive path: %s", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	c.kind in writes
	some prefix in persistence_prefixes
	startswith(c.path, prefix)
	v := {"rule": "persistence_path", "message": sprintf("write to a persistence location: %s", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	c.kind in writes
	basename(c.path) in shell_startup_files
	v := {"rule": "shell_startup_file", "message": sprintf("shell startup file changed: %s", [c.path]), "severity": "high"}
}

violations contains v if {
	some c in input.changes
	some prefix in system_prefixes
	startswith(c.path, prefix)
	v := {"rule": "system_path", "message": sprintf("change under a system directory: %s", [c.path]), "severity": "high"}
}

violations contains v if {
	some c in input.changes
	startswith(c.path, ".git/hooks/")
	c.kind in writes
	not endswith(c.path, ".sample")
	v := {"rule": "git_hook", "message": sprintf("git hook installed: %s", [c.path]), "severity": "high"}
}

violations contains v if {
	some c in input.changes
	regex.match(`^(\.github/workflows/|\.gitlab-ci\.yml$|Jenkinsfile$)`, c.path)
	v := {"rule": "ci_pipeline", "message": sprintf("CI pipeline changed: %s", [c.path]), "severity": "medium"}
}

violations contains v if {
	some c in input.changes
	".." in split(c.path, "/")
	v := {"rule": "path_traversal", "message": sprintf("path leaves the workspace: %s", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	startswith(c.path, "/")
	v := {"rule": "absolute_path", "message": sprintf("absolute path in changeset: %s", [c.path]), "severity": "critical"}
}

# ---- quotas ----

written_bytes := sum([c.size | some c in input.changes; c.kind in {"Added", "Modified", "Hardlink"}])

new_inodes := count([c | some c in input.changes; c.kind in {"Added", "Symlink", "Hardlink", "BlockDevice", "CharDevice", "Fifo"}])

deletions := count([c | some c in input.changes; c.kind == "Deleted"])

violations contains v if {
	written_bytes > input.storage_quota_bytes
	v := {"rule": "storage_quota", "message": sprintf("changeset writes %d bytes, quota is %d", [written_bytes, input.storage_quota_bytes]), "severity": "high"}
}

violations contains v if {
	new_inodes > input.inode_quota
	v := {"rule": "inode_quota", "message": sprintf("changeset creates %d inodes, quota is %d", [new_inodes, input.inode_quota]), "severity": "high"}
}

violations contains v if {
	count(input.changes) > max_changes
	v := {"rule": "changeset_size", "message": sprintf("changeset has %d changes, ceiling is %d", [count(input.changes), max_changes]), "severity": "medium"}
}

violations contains v if {
	input.total_files != count(input.changes)
	v := {"rule": "totals_mismatch", "message": sprintf("total_files %d does not match %d changes", [input.total_files, count(input.changes)]), "severity": "high"}
}

violations contains v if {
	deletions > max_deletions
	v := {"rule": "mass_deletion", "message": sprintf("changeset deletes %d paths, ceiling is %d", [deletions, max_deletions]), "severity": "high"}
}

violations contains v if {
	some c in input.changes
	c.size > max_file_bytes
	v := {"rule": "file_too_large", "message": sprintf("%s is %d bytes, ceiling is %d", [c.path, c.size, max_file_bytes]), "severity": "medium"}
}

# ---- modes and file kinds ----

violations contains v if {
	some c in input.changes
	c.kind in writes
	bits.and(c.new_mode, 2048) != 0
	v := {"rule": "setuid", "message": sprintf("setuid bit on %s", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	c.kind in writes
	bits.and(c.new_mode, 1024) != 0
	v := {"rule": "setgid", "message": sprintf("setgid bit on %s", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	c.kind in {"Added", "Modified", "MetadataChanged"}
	bits.and(c.new_mode, 2) != 0
	v := {"rule": "world_writable", "message": sprintf("world-writable file: %s", [c.path]), "severity": "medium"}
}

violations contains v if {
	some c in input.changes
	c.kind in {"Added", "Modified"}
	not c.checksum
	v := {"rule": "missing_checksum", "message": sprintf("no checksum for %s", [c.path]), "severity": "low"}
}

violations contains v if {
	some c in input.changes
	c.kind == "Symlink"
	startswith(c.target, "/")
	v := {"rule": "symlink_absolute", "message": sprintf("symlink %s points to absolute path %s", [c.path, c.target]), "severity": "high"}
}

violations contains v if {
	some c in input.changes
	c.kind == "Symlink"
	".." in split(c.target, "/")
	v := {"rule": "symlink_escape", "message": sprintf("symlink %s climbs out with %s", [c.path, c.target]), "severity": "high"}
}

violations contains v if {
	some c in input.changes
	c.kind in {"BlockDevice", "CharDevice"}
	v := {"rule": "device_node", "message": sprintf("device node created: %s", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	c.kind == "Fifo"
	v := {"rule": "fifo", "message": sprintf("named pipe created: %s", [c.path]), "severity": "medium"}
}

# ---- combinations ----

executable_scripts contains c.path if {
	some c in input.changes
	c.kind == "Added"
	bits.and(c.new_mode, 73) != 0
	regex.match(script_suffix, c.path)
}

touches_cron if {
	some c in input.changes
	c.kind in writes
	contains(c.path, "cron")
}

violations contains v if {
	touches_cron
	some p in executable_scripts
	v := {"rule": "script_with_cron", "message": sprintf("executable script %s added together with a cron entry", [p]), "severity": "critical"}
}
