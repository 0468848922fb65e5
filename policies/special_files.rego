# Device nodes, fifos and sockets have no place in a workspace.
package puzzlepod.commit

import rego.v1

special_kinds := {"BlockDevice": "block device", "CharDevice": "character device", "Fifo": "fifo"}

special_types := {"block_device": "block device", "char_device": "character device", "fifo": "fifo", "socket": "socket"}

violations contains v if {
	some c in written_changes
	what := special_kinds[c.kind]
	v := special_violation(c, what)
}

violations contains v if {
	some c in written_changes
	what := special_types[c.type]
	v := special_violation(c, what)
}

special_violation(c, what) := {
	"rule": "special-file",
	"message": sprintf("%s: %s not allowed", [c.path, what]),
	"severity": "critical",
}
