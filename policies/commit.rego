# Commit decision for a branch changeset. A changeset commits only when no rule reports a violation;
# warnings are shown to the operator but never block. The theme files add to `violations` and `warnings`.
# Paths in input.changes are relative to the workspace root (no leading "/").
package puzzlepod.commit

import rego.v1

default allow := false

allow if count(violations) == 0

# A change that leaves something on disk (everything except a deletion).
written(c) if c.kind != "Deleted"

# The last path segment.
base_name(p) := n if {
	parts := split(p, "/")
	n := parts[count(parts) - 1]
}

# Paths that are (or sit in) a home directory: the workspace top level, root/, home/<user>/.
home_prefix := `^((root|home/[^/]+)/)?`

# A change to a regular file or a directory counts as executable when any x bit is set.
executable_file(c) if {
	written(c)
	c.type == "file"
	bits.and(c.new_mode, 73) != 0
}

symlinks_allowed if input.allow_symlinks == true
