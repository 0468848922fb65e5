# Files that make code run later (scheduler entries, services, login scripts, preloads, git hooks).
package puzzlepod.commit

import rego.v1

scheduler_patterns := {
	"cron entry": `^etc/(cron\.(d|daily|hourly|weekly|monthly)/|crontab$|anacrontab$|cron\.(allow|deny)$)`,
	"user crontab": `^var/spool/cron/`,
	"systemd unit": `^(etc|usr/lib|lib)/systemd/`,
	"user systemd unit": concat("", [home_prefix, `\.config/systemd/`]),
}

startup_patterns := {
	"desktop autostart entry": concat("", [home_prefix, `\.config/autostart/`]),
	"system autostart entry": `^etc/xdg/autostart/`,
	"login script": `^etc/profile\.d/`,
	"system shell startup file": `^etc/(profile|bash\.bashrc|environment|rc\.local|zsh/zshrc)$`,
	"init script": `^etc/init\.d/`,
	"library preload": `^etc/ld\.so\.preload$`,
	"shell startup file": concat("", [home_prefix, `\.(bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin)$`]),
	"git hook": `(^|/)\.git/hooks/`,
	"git configuration (can name hooks and helpers)": `(^|/)\.git/config$`,
}

persistence_patterns[what] := pattern if some what, pattern in scheduler_patterns

persistence_patterns[what] := pattern if some what, pattern in startup_patterns

# One alternation of every pattern: a cheap first test so that ordinary paths cost one match.
persistence_any := concat("|", [p | some p in persistence_patterns])

scheduler_any := concat("|", [p | some p in scheduler_patterns])

scheduler_changes contains c if {
	some c in written_changes
	regex.match(scheduler_any, c.path)
}

violations contains v if {
	some c in written_changes
	regex.match(persistence_any, c.path)
	kinds := sort([what | some what, pattern in persistence_patterns; regex.match(pattern, c.path)])
	v := {
		"rule": "persistence",
		"message": sprintf("%s: %s written", [c.path, concat(", ", kinds)]),
		"severity": "critical",
	}
}

# Cross-file: a new executable in the same changeset as a scheduler entry is the classic
# "drop a payload, schedule it" pattern, wherever the payload lives.
violations contains v if {
	some entry in scheduler_changes
	some c in executable_files
	c.kind == "Added"
	not c in scheduler_changes
	v := {
		"rule": "scheduled-executable",
		"message": sprintf("%s: executable added together with scheduler entry %s", [c.path, entry.path]),
		"severity": "critical",
	}
}
