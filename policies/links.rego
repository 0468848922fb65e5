# Links can point a later reader (or the commit itself) outside the workspace.
package puzzlepod.commit

import rego.v1

is_symlink(c) if c.kind == "Symlink"

is_symlink(c) if c.type == "symlink"

violations contains v if {
	some c in input.changes
	written(c)
	is_symlink(c)
	not symlinks_allowed
	v := {
		"rule": "symlink",
		"message": sprintf("%s: symlink to %s (symlinks are not allowed for this agent)", [c.path, c.target]),
		"severity": "high",
	}
}

# Even where symlinks are allowed they must stay inside the workspace.
violations contains v if {
	some c in input.changes
	written(c)
	is_symlink(c)
	startswith(c.target, "/")
	v := {
		"rule": "symlink-escape",
		"message": sprintf("%s: symlink to absolute path %s", [c.path, c.target]),
		"severity": "critical",
	}
}

violations contains v if {
	some c in input.changes
	written(c)
	is_symlink(c)
	regex.match(`(^|/)\.\.(/|$)`, c.target)
	v := {
		"rule": "symlink-escape",
		"message": sprintf("%s: symlink target %s contains '..'", [c.path, c.target]),
		"severity": "critical",
	}
}

violations contains v if {
	some c in input.changes
	written(c)
	is_symlink(c)
	not is_string(c.target)
	v := {
		"rule": "symlink-escape",
		"message": sprintf("%s: symlink without a readable target", [c.path]),
		"severity": "critical",
	}
}

violations contains v if {
	some c in input.changes
	written(c)
	is_hardlink(c)
	v := {
		"rule": "hardlink",
		"message": sprintf("%s: hard link (to %v) not allowed", [c.path, c.hardlink_of]),
		"severity": "high",
	}
}

is_hardlink(c) if c.kind == "Hardlink"

is_hardlink(c) if is_string(c.hardlink_of)
