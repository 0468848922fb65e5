package org.lobstertrap.puzzlepod.podman;

/** The help texts, in podman's layout (Description, Usage, Examples, Options). */
final class Help {
    private Help() {}

    static final String EXIT_CODES = """

            Exit codes:
              N    committed: the container's own exit code (podman's 125-127 included)
              2    usage error or a refused option; nothing was started, no branch was created
              70   the policy rejected the changes; the branch was rolled back
              71   the branch was rolled back (--auto-rollback, a failed container under --auto-commit, or by you)
              72   conflict: another branch changed the same paths first; the branch is kept for inspection
              73   waiting for review (or no answer at the prompt): decide with 'puzzle-podman agent approve|reject ID'
              74   puzzled is not reachable; when it happens before the run, the container was not started
              75   puzzled answered with an error, or its gate could not decide
              127  podman could not be executed
            """;

    static final String MAIN = """
            Run governed AI-agent containers: podman run on a branch of the workspace, committed or rolled back

            Description:
              puzzle-podman runs a container on an OverlayFS branch of a host directory (the base). Every write the
              container makes lands in the branch; when it stops, puzzled evaluates the changes with its policies and
              commits them into the base or rolls them back.

            Usage:
              puzzle-podman [command]

            Available Commands:
              run         Run a command in a new container, governed
              agent       List, inspect, diff, approve or reject governed branches

            Options:
                  --help      Help for puzzle-podman
                  --version   Print the version
            """;

    static final String RUN = """
            Run a command in a new container, governed

            Description:
              Creates a branch of BASE through puzzled, runs 'podman run' with the branch mounted at the workspace path,
              and when the container stops asks puzzled for the decision and prints it. The options below must come
              first; everything after them (podman's own options, IMAGE, the command) goes to 'podman run' untouched,
              plus the branch mount, the governance annotations, and the profile's --memory, --pids-limit and
              --cpu-shares (each only when not given) and --network none for a Blocked profile (unless --network is
              given). A '--' right after these options only ends them.

              Containment: with root's podman the wrapper asks podman for it directly (puzzled's per-branch
              --security-opt seccomp=FILE, --init --init-path=puzzle-init, the Landlock rules at /.puzzlepod/rules),
              so no precreate hook runs. It falls back to the precreate hook (the profile annotation) for rootless
              podman, when puzzled names no seccomp profile for the branch, when puzzle-init is not at PUZZLEPOD_SHIM
              (default /usr/lib/puzzlepod/puzzle-init), and when the user gives --security-opt seccomp=...,
              --seccomp-policy, --init, --init-path, --rootfs, --volumes-from, or a mount naming /.puzzlepod or
              /run/podman-init.

              Without --auto-commit or --auto-rollback, on a terminal: shows the changes and asks whether to commit;
              without a terminal: the policy gate decides. With -d: prints the branch id and returns.

              Refused (exit 2, nothing started): --privileged, --pid=host, --security-opt seccomp=unconfined,
              a -v/--volume/--mount of BASE, of a directory inside it or of one containing it (read-only too), a
              mount at or inside the workspace path, a --annotation with the org.lobstertrap.puzzlepod. prefix.

            Usage:
              puzzle-podman run [options] [podman run options] IMAGE [COMMAND [ARG...]]

            Examples:
              puzzle-podman run --auto-commit --base ~/project localhost/agent:latest make test
              puzzle-podman run --profile restricted -it --rm localhost/agent:latest sh
              puzzle-podman run --auto-rollback -e MODEL=small --name try1 localhost/agent:latest ./explore.sh
              puzzle-podman run -d --profile ci-runner --base /srv/repo localhost/agent:latest ./ci.sh

            Options:
                  --auto-commit        let the policy gate decide; a non-zero exit rolls back
                  --auto-rollback      discard whatever the container wrote
                  --base DIR           host directory the branch is made of (default: the current directory)
                  --help               Help for run
                  --profile string     agent profile (default "standard")
                  --runtime-dir DIR    puzzled's runtime directory; run talks to its hook socket DIR/hook.sock
                                       (default: $PUZZLEPOD_RUNTIME_DIR, else /run/puzzled for root, else
                                       /run/user/UID/puzzled)
                  --workspace string   container path of the branch mount (default "/workspace")
            """ + EXIT_CODES;

    static final String AGENT = """
            List, inspect, diff, approve or reject governed branches

            Usage:
              puzzle-podman agent [command] [options]

            Available Commands:
              list [--state STATE] [--base DIR]   the branches, newest first
              inspect ID                          one branch and its last decision
              diff ID                             the branch's changes
              approve ID [--comment TEXT]         commit a branch that waits for review
              reject ID [--reason TEXT]           roll back a branch that waits for review

            Examples:
              puzzle-podman agent list --state review-pending
              puzzle-podman agent diff my-agent-1
              puzzle-podman agent approve my-agent-1 --comment "looked at it"

            Options:
                  --bus string   system, session, or a D-Bus address (default: system bus for root, else session)
                  --help         Help for agent
                  --json         print puzzled's JSON answer instead of text

            Exit codes:
              0    done (approve: committed)
              2    usage error
              70   approve: the policy rejected the changes on the re-check
              72   approve: conflict with another branch
              74   puzzled is not reachable
              75   puzzled answered with an error (no such branch, wrong state, access denied, …)
            """;
}
