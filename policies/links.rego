# Links can point a later reader (or the commit itself) outside the workspace.
package puzzlepod.commit

import rego.v1

violations contains v if {
	some c in symlink_changes
	not symlinks_allowed
	v := {
		"rule": "symlink",
		"message": sprintf("%s: symlink to %s (symlinks are not allowed for this agent)", [c.path, c.target]),
		"severity": "high",
	}
}

# Even where symlinks are allowed they must stay inside the workspace.
violations contains v if {
	some c in symlink_changes
	is_string(c.target)
	startswith(c.target, "/")
	v := {
		"rule": "symlink-escape",
		"message": sprintf("%s: symlink to absolute path %s", [c.path, c.target]),
		"severity": "critical",
	}
}

violations contains v if {
	some c in symlink_changes
	is_string(c.target)
	contains(c.target, "..")
	regex.match(`(^|/)\.\.(/|$)`, c.target)
	v := {
		"rule": "symlink-escape",
		"message": sprintf("%s: symlink target %s contains '..'", [c.path, c.target]),
		"severity": "critical",
	}
}

violations contains v if {
	some c in symlink_changes
	not is_string(c.target)
	v := {
		"rule": "symlink-escape",
		"message": sprintf("%s: symlink without a readable target", [c.path]),
		"severity": "critical",
	}
}

violations contains v if {
	some c in hardlink_changes
	v := {
		"rule": "hardlink",
		"message": sprintf("%s: hard link (to %v) not allowed", [c.path, c.hardlink_of]),
		"severity": "high",
	}
}

hardlink_changes contains c if {
	some c in written_changes
	c.kind == "Hardlink"
}

hardlink_changes contains c if {
	some c in written_changes
	is_string(c.hardlink_of)
}
