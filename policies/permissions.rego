# Permission bits: setuid/setgid programs are privilege-escalation tools; world-writable files invite tampering.
package puzzlepod.commit

import rego.v1

# 04000 setuid | 02000 setgid
violations contains v if {
	some c in written_changes
	bits.and(c.new_mode, 3072) != 0
	not c.directory
	v := {
		"rule": "setuid-setgid",
		"message": sprintf("%s: setuid/setgid bit set (mode %s)", [c.path, format_int(c.new_mode, 8)]),
		"severity": "critical",
	}
}

# setuid on a directory means nothing on Linux, setgid only group inheritance: worth a look, not a block.
warnings contains w if {
	some c in written_changes
	bits.and(c.new_mode, 3072) != 0
	c.directory
	w := {
		"rule": "setgid-directory",
		"message": sprintf("%s: directory with setuid/setgid bit (mode %s)", [c.path, format_int(c.new_mode, 8)]),
		"severity": "low",
	}
}

# 0002 other-write, on anything but a sticky directory or a symlink (whose mode is always 0777)
warnings contains w if {
	some c in written_changes
	bits.and(c.new_mode, 2) != 0
	not sticky_directory(c)
	not c in symlink_changes
	w := {
		"rule": "world-writable",
		"message": sprintf("%s: world-writable (mode %s)", [c.path, format_int(c.new_mode, 8)]),
		"severity": "medium",
	}
}

sticky_directory(c) if {
	c.directory
	bits.and(c.new_mode, 512) != 0
}
