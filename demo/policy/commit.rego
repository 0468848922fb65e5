# The small commit policy the main-job demo uses (the shipped rule set lives in policies/).
# Input: {"changes": [{"path", "kind", "size", "new_mode", "target", …}], "total_bytes_changed", …}
package puzzlepod.commit

import rego.v1

default allow := false

allow if count(violations) == 0

sensitive_patterns := [
	`(^|/)\.ssh/`,
	`(^|/)id_(rsa|dsa|ecdsa|ed25519)$`,
	`(^|/)\.env$`,
	`(^|/)\.aws/credentials$`,
	`\.pem$`,
	`(^|/)\.(bash|zsh)_history$`,
]

persistence_prefixes := ["etc/cron", ".config/systemd/", "etc/systemd/", ".config/autostart/", "etc/profile.d/"]

violations contains v if {
	some change in input.changes
	change.kind != "Deleted"
	some pattern in sensitive_patterns
	regex.match(pattern, change.path)
	v := {"rule": "sensitive-file", "message": sprintf("sensitive file written: %s", [change.path]), "severity": "critical"}
}

violations contains v if {
	some change in input.changes
	change.kind != "Deleted"
	some prefix in persistence_prefixes
	startswith(change.path, prefix)
	v := {"rule": "persistence", "message": sprintf("persistence path written: %s", [change.path]), "severity": "critical"}
}

violations contains v if {
	deleted := count([c | some c in input.changes; c.kind == "Deleted"; not c.directory])
	deleted > 20
	v := {"rule": "mass-deletion", "message": sprintf("%d files deleted", [deleted]), "severity": "high"}
}

violations contains v if {
	input.total_bytes_changed > 100 * 1024 * 1024
	v := {"rule": "size-ceiling", "message": sprintf("changeset writes %d bytes", [input.total_bytes_changed]), "severity": "high"}
}
