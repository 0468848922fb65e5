/*
 * puzzle-init: first process of a governed container. Reads the rules the host wrote, sets
 * no_new_privs, applies Landlock, then execs the agent. Static and allocation-free so it runs in
 * any image (scratch, distroless, musl, glibc). With --resolve-in-root it is instead a host-side helper
 * of the daemon: it resolves exec paths inside a rootless container's root (see rootres.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock_abi.h"
#include "pathsearch.h"
#include "rootres.h"
#include "rules.h"

#define EXIT_SETUP 126
#define EXIT_EXEC 127
#define DEFAULT_RULES "/.puzzlepod/rules"

extern char **environ;

static char rules_text[PZ_MAX_RULES_FILE + 1];
static struct pz_rules rules;

static void warn(const char *fmt, ...)
{
    va_list ap;
    fputs("puzzle-init: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

__attribute__((noreturn)) static void die(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("puzzle-init: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

static void usage(void)
{
    die(EXIT_SETUP, "usage: puzzle-init [--rules FILE] -- AGENT [ARGS...]\n"
                    "       puzzle-init --resolve-in-root PID");
}

/*
 * Resolver mode: join the user namespace of process pid (only that one: the mount and PID namespaces
 * stay the host's, so nothing of the container's is ever run), then answer the daemon's requests on
 * stdin/stdout until it closes stdin. setns(CLONE_NEWUSER) needs a single-threaded caller, which this is.
 */
__attribute__((noreturn)) static void resolver(const char *pid_text)
{
    char *end;
    errno = 0;
    long pid = strtol(pid_text, &end, 10);
    if (errno != 0 || *end != '\0' || end == pid_text || pid <= 0 || pid > INT_MAX)
        die(EXIT_SETUP, "--resolve-in-root: '%s' is not a process id", pid_text);
    char ns[64];
    snprintf(ns, sizeof ns, "/proc/%ld/ns/user", pid);
    int target = open(ns, O_RDONLY | O_CLOEXEC);
    if (target < 0)
        die(EXIT_SETUP, "--resolve-in-root: cannot open %s: %s", ns, strerror(errno));
    struct stat theirs, ours;
    if (fstat(target, &theirs) != 0 || stat("/proc/self/ns/user", &ours) != 0)
        die(EXIT_SETUP, "--resolve-in-root: cannot stat the user namespaces: %s", strerror(errno));
    /* joining one's own namespace is EINVAL; a rootful container shares the host's */
    if ((theirs.st_dev != ours.st_dev || theirs.st_ino != ours.st_ino) && setns(target, CLONE_NEWUSER) != 0)
        die(EXIT_SETUP, "--resolve-in-root: cannot join the user namespace of pid %ld: %s", pid, strerror(errno));
    close(target);
    signal(SIGPIPE, SIG_IGN); /* a closed answer pipe ends the loop with EPIPE instead of a signal */
    int e = pz_resolver_serve(STDIN_FILENO, STDOUT_FILENO);
    if (e != 0 && e != EPIPE)
        die(EXIT_SETUP, "--resolve-in-root: %s", strerror(e));
    exit(0);
}

static size_t read_rules(const char *file)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die(EXIT_SETUP, "cannot open rules file %s: %s", file, strerror(errno));
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, rules_text + len, sizeof rules_text - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            die(EXIT_SETUP, "cannot read rules file %s: %s", file, strerror(errno));
        if (n == 0)
            break;
        len += (size_t)n;
        if (len == sizeof rules_text)
            die(EXIT_SETUP, "rules file %s is larger than %d bytes", file, PZ_MAX_RULES_FILE);
    }
    close(fd);
    return len;
}

static int landlock_abi(void)
{
    long abi = syscall(PZ_SYS_landlock_create_ruleset, NULL, 0, PZ_LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? -errno : (int)abi;
}

static void add_port_rules(int ruleset, const struct pz_port_list *list, uint64_t right)
{
    for (int i = 0; i < list->count; i++) {
        struct pz_landlock_net_port_attr attr = { .allowed_access = right, .port = list->ports[i] };
        if (syscall(PZ_SYS_landlock_add_rule, ruleset, PZ_LANDLOCK_RULE_NET_PORT, &attr, 0) != 0)
            die(EXIT_SETUP, "landlock: cannot allow TCP port %u: %s", list->ports[i], strerror(errno));
    }
}

static void add_path_rule(int ruleset, const struct pz_path_rule *rule, uint64_t handled_fs, int abi)
{
    int fd = open(rule->path, O_PATH | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (rule->line == 0) /* the implicit workspace rule: images without a workspace are fine */
            return;
        if (rules.require_paths)
            die(EXIT_SETUP, "rules:%d: %s: %s (require paths)", rule->line, rule->path, strerror(e));
        warn("rules:%d: skipping %s: %s", rule->line, rule->path, strerror(e));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0)
        die(EXIT_SETUP, "cannot stat %s: %s", rule->path, strerror(errno));
    uint64_t rights = rule->kind == PZ_PATH_WRITE ? pz_fs_write_rights(abi) : PZ_FS_READ_RIGHTS;
    rights &= handled_fs;
    if (!S_ISDIR(st.st_mode))
        rights &= PZ_FS_FILE_RIGHTS;
    struct pz_landlock_path_beneath_attr attr = { .allowed_access = rights, .parent_fd = fd };
    if (syscall(PZ_SYS_landlock_add_rule, ruleset, PZ_LANDLOCK_RULE_PATH_BENEATH, &attr, 0) != 0)
        die(EXIT_SETUP, "rules:%d: landlock: cannot add %s: %s", rule->line, rule->path, strerror(errno));
    close(fd);
}

static void apply_landlock(void)
{
    int abi = landlock_abi();
    if (abi < 0) {
        const char *why = abi == -ENOSYS ? "ENOSYS: not in this kernel, or blocked by seccomp"
                          : abi == -EOPNOTSUPP ? "EOPNOTSUPP: disabled at boot, see lsm="
                                                : strerror(-abi);
        if (rules.require_landlock)
            die(EXIT_SETUP, "Landlock is unavailable (%s) and the rules say 'require landlock'; refusing to start", why);
        warn("Landlock is unavailable (%s); running the agent without filesystem/network confinement", why);
        return;
    }
    if (rules.min_abi > abi) {
        if (rules.require_landlock)
            die(EXIT_SETUP, "the kernel offers Landlock ABI %d but the rules demand min-abi %d; refusing to start", abi,
                rules.min_abi);
        warn("the kernel offers Landlock ABI %d, below min-abi %d; applying what ABI %d supports", abi, rules.min_abi, abi);
    }

    struct pz_landlock_ruleset_attr attr = { 0 };
    attr.handled_access_fs = pz_fs_rights_for_abi(abi);
    uint64_t net = pz_net_rights_for_abi(abi);
    if (rules.connect.any)
        net &= ~PZ_NET_CONNECT_TCP;
    if (rules.bind.any)
        net &= ~PZ_NET_BIND_TCP;
    attr.handled_access_net = net;
    uint64_t scoped = 0;
    if (rules.scopes & PZ_SCOPE_REQ_SIGNAL)
        scoped |= PZ_SCOPE_SIGNAL;
    if (rules.scopes & PZ_SCOPE_REQ_ABSTRACT_UNIX)
        scoped |= PZ_SCOPE_ABSTRACT_UNIX_SOCKET;
    if (scoped & ~pz_scopes_for_abi(abi))
        warn("Landlock ABI %d cannot scope signals or abstract unix sockets; scope rules ignored", abi);
    attr.scoped = scoped & pz_scopes_for_abi(abi);
    if (net == 0 && (rules.connect.count > 0 || rules.bind.count > 0) && abi < 4)
        warn("Landlock ABI %d cannot restrict TCP ports; tcp rules ignored", abi);

    int ruleset = (int)syscall(PZ_SYS_landlock_create_ruleset, &attr, pz_ruleset_attr_size(abi), 0);
    if (ruleset < 0)
        die(EXIT_SETUP, "landlock: cannot create ruleset: %s", strerror(errno));
    for (int i = 0; i < rules.path_count; i++)
        if (rules.paths[i].kind != PZ_PATH_DENY)
            add_path_rule(ruleset, &rules.paths[i], attr.handled_access_fs, abi);
    if (net & PZ_NET_CONNECT_TCP)
        add_port_rules(ruleset, &rules.connect, PZ_NET_CONNECT_TCP);
    if (net & PZ_NET_BIND_TCP)
        add_port_rules(ruleset, &rules.bind, PZ_NET_BIND_TCP);
    if (syscall(PZ_SYS_landlock_restrict_self, ruleset, 0) != 0)
        die(EXIT_SETUP, "landlock: cannot restrict self: %s", strerror(errno));
    close(ruleset);
}

int main(int argc, char **argv)
{
    const char *rules_file = DEFAULT_RULES;
    if (argc >= 2 && strcmp(argv[1], "--resolve-in-root") == 0) {
        if (argc != 3)
            usage();
        resolver(argv[2]);
    }
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
            rules_file = argv[++i];
        else
            usage();
    }
    if (i >= argc || i < 2 || strcmp(argv[i - 1], "--") != 0)
        usage();
    char **agent = argv + i;

    size_t len = read_rules(rules_file);
    struct pz_rules_error err;
    if (pz_rules_parse(rules_text, len, &rules, &err) != 0) {
        if (err.line > 0)
            die(EXIT_SETUP, "rules:%d: %s", err.line, err.message);
        die(EXIT_SETUP, "rules: %s", err.message);
    }

    /* Before Landlock: the kernel demands it for unprivileged restrict_self, and it must hold anyway. */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        die(EXIT_SETUP, "cannot set no_new_privs: %s", strerror(errno));

    /* Resolve before confinement would hide PATH entries from the search's stat(). */
    static char resolved[PZ_MAX_PATH];
    const char *target = agent[0];
    if (strchr(target, '/') == NULL) {
        const char *path = getenv("PATH");
        int e = pz_path_resolve(target, path ? path : PZ_DEFAULT_PATH, resolved, sizeof resolved);
        if (e != 0)
            die(EXIT_EXEC, "cannot execute %s: %s", target, strerror(e));
        target = resolved;
    }

    apply_landlock();
    fflush(stderr);
    execve(target, agent, environ);
    die(EXIT_EXEC, "cannot execute %s: %s", target, strerror(errno));
}
