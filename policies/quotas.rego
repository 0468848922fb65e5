# Size limits: the agent's quota (from its profile) and a fixed ceiling for any changeset.
package puzzlepod.commit

import rego.v1

max_changes := 10000

max_bytes := 1073741824

written_count := count(written_changes)

deleted_count := count([c | some c in input.changes; c.kind == "Deleted"; not c.directory])

violations contains v if {
	is_number(input.storage_quota_bytes)
	input.total_bytes_changed > input.storage_quota_bytes
	v := {
		"rule": "storage-quota",
		"message": sprintf("changeset writes %d bytes, quota is %d", [input.total_bytes_changed, input.storage_quota_bytes]),
		"severity": "high",
	}
}

violations contains v if {
	is_number(input.inode_quota)
	written_count > input.inode_quota
	v := {
		"rule": "inode-quota",
		"message": sprintf("changeset creates or changes %d entries, quota is %d", [written_count, input.inode_quota]),
		"severity": "high",
	}
}

# The larger of the entries present and the count the diff reports (the two agree for a real diff).
change_total := max({count(input.changes), input.total_changes}) if is_number(input.total_changes)

else := count(input.changes)

violations contains v if {
	n := change_total
	n > max_changes
	v := {
		"rule": "changeset-too-large",
		"message": sprintf("changeset has %d changes, more than %d", [n, max_changes]),
		"severity": "high",
	}
}

violations contains v if {
	input.total_bytes_changed > max_bytes
	v := {
		"rule": "changeset-too-large",
		"message": sprintf("changeset writes %d bytes, more than %d", [input.total_bytes_changed, max_bytes]),
		"severity": "high",
	}
}

# The profile's behavioural limit on deletions, when the gate passes the profile.
violations contains v if {
	limit := input.profile.behavioral.max_deletions
	is_number(limit)
	deleted_count > limit
	v := {
		"rule": "mass-deletion",
		"message": sprintf("%d files deleted, the profile allows %d", [deleted_count, limit]),
		"severity": "high",
	}
}

warnings contains w if {
	is_number(input.exit_code)
	input.exit_code != 0
	w := {
		"rule": "agent-failed",
		"message": sprintf("the agent exited with code %d", [input.exit_code]),
		"severity": "medium",
	}
}
