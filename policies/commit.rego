# Commit decision for a branch changeset. A changeset commits only when no rule reports a violation;
# warnings are shown to the operator but never block. The theme files add to `violations` and `warnings`.
# Paths in input.changes are relative to the workspace root (no leading "/").
package puzzlepod.commit

import rego.v1

default allow := false

allow if count(violations) == 0

# Everything a caller needs from one query (rules are evaluated once instead of once per document).
decision := {"allow": allow, "violations": violations, "warnings": warnings}

# A change that leaves something on disk (everything except a deletion).
written(c) if c.kind != "Deleted"

# The collections below are computed once per query; the theme rules iterate them instead of
# re-testing every change (function calls per change dominate evaluation time).
written_changes := [c | some c in input.changes; c.kind != "Deleted"]

symlink_changes contains c if {
	some c in written_changes
	c.type == "symlink"
}

symlink_changes contains c if {
	some c in written_changes
	c.kind == "Symlink"
}

# Files with an x bit: 0111 = 73.
executable_files contains c if {
	some c in written_changes
	c.type == "file"
	bits.and(c.new_mode, 73) != 0
}

# The last path segment.
base_name(p) := n if {
	parts := split(p, "/")
	n := parts[count(parts) - 1]
}

# Paths that are (or sit in) a home directory: the workspace top level, root/, home/<user>/.
home_prefix := `^((root|home/[^/]+)/)?`

symlinks_allowed if input.allow_symlinks == true
