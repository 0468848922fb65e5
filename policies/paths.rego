# Path hygiene: every path must be a plain workspace-relative path.
package puzzlepod.commit

import rego.v1

violations contains v if {
	some c in input.changes
	contains(c.path, "..")
	regex.match(`(^|/)\.\.(/|$)`, c.path)
	v := {"rule": "path-traversal", "message": sprintf("%s: path contains '..'", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	bad_character(c.path)
	v := {"rule": "path-nul", "message": sprintf("%q: path contains a NUL byte", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	startswith(c.path, "/")
	v := {"rule": "path-absolute", "message": sprintf("%s: path is absolute, expected workspace-relative", [c.path]), "severity": "critical"}
}

violations contains v if {
	some c in input.changes
	c.path == ""
	v := {"rule": "path-empty", "message": "a change has an empty path", "severity": "critical"}
}

# A raw NUL, or its escaped display form (the diff shows undecodable bytes as \xNN).
bad_character(p) if contains(p, "\u0000")

bad_character(p) if contains(p, `\x00`)
