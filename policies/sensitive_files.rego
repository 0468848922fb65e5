# Secrets and credentials must never be committed from an agent branch.
package puzzlepod.commit

import rego.v1

# Path patterns (workspace-relative) of files that hold keys, tokens or credentials.
sensitive_patterns := {
	"ssh directory": `(^|/)\.ssh/`,
	"ssh private key": `(^|/)id_(rsa|dsa|ecdsa|ed25519)(_sk)?$`,
	"key or certificate bundle": `\.(pem|key|p12|pfx|jks|keystore)$`,
	"environment file": `(^|/)\.env(\.[^/]+)?$`,
	"credentials file": `(^|/)(\.git-credentials|credentials(\.json|\.ya?ml|\.xml)?|secrets?\.(json|ya?ml|toml)|tokens?(\.json|\.txt)?|[^/]+\.token)$`,
	"AWS credentials": `(^|/)\.aws/(credentials|config)$`,
	"gcloud configuration": `(^|/)\.config/gcloud/`,
	"kubeconfig": `(^|/)\.kube/config$`,
	"docker credentials": `(^|/)\.docker/config\.json$`,
	"netrc": `(^|/)[._]netrc$`,
	"pypirc": `(^|/)\.pypirc$`,
	"shell history": `(^|/)\.([a-z_]*_)?history$`,
	"fish history": `(^|/)\.local/share/fish/fish_history$`,
}

# One alternation of every pattern: a cheap first test so that ordinary paths cost one match.
sensitive_any := concat("|", [p | some p in sensitive_patterns])

violations contains v if {
	some c in written_changes
	regex.match(sensitive_any, c.path)
	kinds := sort([what | some what, pattern in sensitive_patterns; regex.match(pattern, c.path)])
	v := {
		"rule": "sensitive-file",
		"message": sprintf("%s: %s must not be committed", [c.path, concat(", ", kinds)]),
		"severity": "critical",
	}
}

# A user-level .npmrc usually carries a registry token; the changeset does not show contents.
violations contains v if {
	some c in written_changes
	endswith(c.path, ".npmrc")
	regex.match(`^(root|home/[^/]+)/\.npmrc$`, c.path)
	v := {
		"rule": "sensitive-file",
		"message": sprintf("%s: user .npmrc (registry tokens) must not be committed", [c.path]),
		"severity": "critical",
	}
}

# A project .npmrc is normal (registry settings) but may hold a token: review it.
warnings contains w if {
	some c in written_changes
	endswith(c.path, ".npmrc")
	base_name(c.path) == ".npmrc"
	not regex.match(`^(root|home/[^/]+)/\.npmrc$`, c.path)
	w := {
		"rule": "npmrc-review",
		"message": sprintf("%s: check that it carries no auth token", [c.path]),
		"severity": "low",
	}
}
