/* Unit tests for the rules parser, PATH resolution, Landlock ABI masking and the resolver mode. Argument: a scratch dir. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "landlock_abi.h"
#include "pathsearch.h"
#include "rootres.h"
#include "rules.h"

static int passed, failed;
static const char *current;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond) {                                                                 \
            passed++;                                                               \
        } else {                                                                    \
            failed++;                                                               \
            fprintf(stderr, "FAIL %s (%s:%d): %s\n", current, __FILE__, __LINE__, #cond); \
        }                                                                           \
    } while (0)

static struct pz_rules r;
static struct pz_rules_error e;

static int parse(const char *text)
{
    return pz_rules_parse(text, strlen(text), &r, &e);
}

/* Asserts that text fails at line with a message containing fragment. */
static void expect_error(const char *text, int line, const char *fragment)
{
    int rc = parse(text);
    CHECK(rc == -1);
    CHECK(e.line == line);
    CHECK(strstr(e.message, fragment) != NULL);
    if (rc != -1 || e.line != line || strstr(e.message, fragment) == NULL)
        fprintf(stderr, "     input %-40.40s -> rc=%d line=%d msg='%s' (want line %d, '%s')\n", text, rc, e.line,
                e.message, line, fragment);
}

static const struct pz_path_rule *find_path(const char *path)
{
    for (int i = 0; i < r.path_count; i++)
        if (strcmp(r.paths[i].path, path) == 0)
            return &r.paths[i];
    return NULL;
}

static void test_full_file(void)
{
    current = "every directive";
    const char *text = "# rules written by the host\n"
                       "version 1\n"
                       "\n"
                       "require landlock            # fail closed\n"
                       "require paths\n"
                       "min-abi 4\n"
                       "read /usr\n"
                       "read /etc/ssl/\n"
                       "write /workspace\n"
                       "deny /etc/shadow\n"
                       "tcp-connect 443 80\n"
                       "tcp-connect 8080\n"
                       "tcp-bind none\n"
                       "scope signal abstract-unix\r\n";
    CHECK(parse(text) == 0);
    CHECK(r.version == 1);
    CHECK(r.require_landlock == 1);
    CHECK(r.require_paths == 1);
    CHECK(r.min_abi == 4);
    CHECK(r.path_count == 4); /* workspace named explicitly: no implicit rule */
    CHECK(find_path("/usr") && find_path("/usr")->kind == PZ_PATH_READ && find_path("/usr")->line == 7);
    CHECK(find_path("/etc/ssl") && find_path("/etc/ssl")->kind == PZ_PATH_READ);
    CHECK(find_path("/workspace") && find_path("/workspace")->kind == PZ_PATH_WRITE && find_path("/workspace")->line == 9);
    CHECK(find_path("/etc/shadow") && find_path("/etc/shadow")->kind == PZ_PATH_DENY);
    CHECK(r.connect.count == 3 && r.connect.ports[0] == 443 && r.connect.ports[1] == 80 && r.connect.ports[2] == 8080);
    CHECK(r.connect.any == 0);
    CHECK(r.bind.count == 0 && r.bind.any == 0);
    CHECK(r.scopes == (PZ_SCOPE_REQ_SIGNAL | PZ_SCOPE_REQ_ABSTRACT_UNIX));

    current = "minimal file and defaults";
    CHECK(parse("version 1") == 0);
    CHECK(r.require_landlock == 0 && r.require_paths == 0 && r.min_abi == 0 && r.scopes == 0);
    CHECK(r.path_count == 1 && strcmp(r.paths[0].path, "/workspace") == 0 && r.paths[0].kind == PZ_PATH_WRITE &&
          r.paths[0].line == 0);
    CHECK(r.connect.count == 0 && r.connect.any == 0);

    current = "any ports and single scopes";
    CHECK(parse("version 1\ntcp-connect any\ntcp-bind any\nscope signal\n") == 0);
    CHECK(r.connect.any == 1 && r.bind.any == 1 && r.scopes == PZ_SCOPE_REQ_SIGNAL);
    CHECK(parse("version 1\ntcp-bind 0 65535\nscope abstract-unix\nread /\n") == 0);
    CHECK(r.bind.count == 2 && r.bind.ports[1] == 65535 && r.scopes == PZ_SCOPE_REQ_ABSTRACT_UNIX);
    CHECK(find_path("/") != NULL);

    current = "comments and blank lines before version";
    CHECK(parse("\n# header\n   \n\tversion 1 # the format\n") == 0);

    current = "deny outside every allow is accepted";
    CHECK(parse("version 1\nread /usr\ndeny /etc/shadow\ndeny /usrx\n") == 0);
}

static void test_errors(void)
{
    current = "parse errors carry their line";
    expect_error("", 1, "missing 'version 1'");
    expect_error("# only a comment\n", 1, "missing 'version 1'");
    expect_error("read /usr\n", 1, "first directive must be 'version 1'");
    expect_error("\nversion 2\n", 2, "unsupported rules version 2");
    expect_error("version x\n", 1, "version needs one number");
    expect_error("version 1\nversion 1\n", 2, "version given twice");
    expect_error("version 1\n\nfrobnicate /x\n", 3, "unknown directive 'frobnicate'");
    expect_error("version 1\nrequire\n", 2, "require needs one word");
    expect_error("version 1\nrequire magic\n", 2, "unknown requirement 'magic'");
    expect_error("version 1\nmin-abi\n", 2, "min-abi needs a number");
    expect_error("version 1\nmin-abi 0\n", 2, "min-abi needs a number");
    expect_error("version 1\nmin-abi -3\n", 2, "min-abi needs a number");
    expect_error("version 1\nmin-abi 4x\n", 2, "min-abi needs a number");
    expect_error("version 1\nmin-abi 99999999999999999999\n", 2, "min-abi needs a number");
    expect_error("version 1\nread\n", 2, "read needs exactly one path");
    expect_error("version 1\nwrite /a /b\n", 2, "write needs exactly one path");
    expect_error("version 1\nread usr\n", 2, "path must be absolute");
    expect_error("version 1\nread /usr/../etc\n", 2, "'.' or '..' component");
    expect_error("version 1\nread /usr/./lib\n", 2, "'.' or '..' component");
    expect_error("version 1\nread /usr//lib\n", 2, "empty component");
    expect_error("version 1\ntcp-connect\n", 2, "tcp-connect needs a port");
    expect_error("version 1\ntcp-connect 65536\n", 2, "bad port '65536'");
    expect_error("version 1\ntcp-bind http\n", 2, "bad port 'http'");
    expect_error("version 1\ntcp-connect 443\ntcp-connect any\n", 3, "conflicts with ports listed earlier");
    expect_error("version 1\ntcp-connect any\ntcp-connect 443\n", 3, "conflicts with 'any'");
    expect_error("version 1\nscope\n", 2, "scope needs");
    expect_error("version 1\nscope signal ptrace\n", 2, "unknown scope 'ptrace'");
    expect_error("version 1\nread /usr\ndeny /usr/bin\n", 3, "overlaps read /usr (line 2)");
    expect_error("version 1\ndeny /etc\nwrite /etc/app\n", 2, "overlaps write /etc/app (line 3)");
    expect_error("version 1\ndeny /workspace/secret\n", 2, "overlaps the implicit write /workspace");
    expect_error("version 1\nwrite /workspace\ndeny /workspace/.git\n", 3, "overlaps write /workspace (line 2)");

    current = "NUL byte in a line";
    {
        const char text[] = "version 1\nread /x\0y\n";
        CHECK(pz_rules_parse(text, sizeof text - 1, &r, &e) == -1);
        CHECK(e.line == 2 && strstr(e.message, "NUL") != NULL);
    }

    current = "overlong line";
    {
        static char text[PZ_MAX_LINE + 64];
        strcpy(text, "version 1\n# ");
        size_t n = strlen(text);
        memset(text + n, 'x', PZ_MAX_LINE);
        text[n + PZ_MAX_LINE] = '\0';
        expect_error(text, 2, "line longer than");
    }

    current = "overlong path";
    {
        static char text[PZ_MAX_PATH + 64];
        strcpy(text, "version 1\nread /");
        size_t n = strlen(text);
        memset(text + n, 'a', PZ_MAX_PATH);
        text[n + PZ_MAX_PATH] = '\0';
        expect_error(text, 2, "path too long");
    }

    current = "too many path rules";
    {
        static char text[PZ_MAX_PATH_RULES * 32 + 64];
        strcpy(text, "version 1\n");
        for (int i = 0; i <= PZ_MAX_PATH_RULES; i++)
            sprintf(text + strlen(text), "read /p%d\n", i);
        expect_error(text, PZ_MAX_PATH_RULES + 2, "too many path rules");
    }

    current = "too many ports";
    {
        static char text[PZ_MAX_PORTS * 32 + 64];
        strcpy(text, "version 1\n");
        for (int i = 0; i <= PZ_MAX_PORTS; i++)
            sprintf(text + strlen(text), "tcp-connect %d\n", 1000 + i);
        expect_error(text, PZ_MAX_PORTS + 2, "too many tcp-connect ports");
    }

    current = "file too large";
    {
        static char text[PZ_MAX_RULES_FILE + 2];
        memset(text, '\n', sizeof text);
        CHECK(pz_rules_parse(text, sizeof text, &r, &e) == -1);
        CHECK(e.line == 0 && strstr(e.message, "larger than") != NULL);
    }
}

/* Random mixes of valid and broken fragments: the parser must always answer, with a line inside the input. */
static void test_random_inputs(void)
{
    static const char *frag[] = { "version 1\n", "read /usr\n", "write /w\n", "deny /x\n", "tcp-connect 1 2\n",
                                  "tcp-bind any\n", "scope signal\n", "min-abi 3\n", "# c\n", "\n", "read\n",
                                  "bogus\n", "tcp-connect 99999\n", "read /a/../b\n", "\r\n", "   \t", "/", "#",
                                  "require paths\n", "version 1", "\xff\xfe", "deny /usr/lib\n" };
    static char text[4096];
    unsigned seed = 12345;
    int ok = 1;
    current = "random inputs never crash and report a line inside the input";
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        int lines = 1;
        seed = seed * 1103515245u + 12345u;
        int parts = (int)(seed >> 16) % 24;
        for (int i = 0; i < parts; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *f = frag[(seed >> 16) % (sizeof frag / sizeof frag[0])];
            size_t fl = strlen(f);
            memcpy(text + len, f, fl);
            len += fl;
        }
        for (size_t i = 0; i < len; i++)
            lines += text[i] == '\n';
        int rc = pz_rules_parse(text, len, &r, &e);
        if (rc == 0 ? (r.version != 1 || r.path_count < 1) : (e.line < 0 || e.line > lines || e.message[0] == '\0'))
            ok = 0;
    }
    CHECK(ok);
}

static void test_path_within(void)
{
    current = "path containment is component-wise";
    CHECK(pz_path_within("/usr/lib", "/usr"));
    CHECK(pz_path_within("/usr", "/usr"));
    CHECK(!pz_path_within("/usrx", "/usr"));
    CHECK(!pz_path_within("/usr", "/usr/lib"));
    CHECK(pz_path_within("/anything", "/"));
}

static void touch(const char *path, mode_t mode)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    if (fd >= 0)
        close(fd);
    chmod(path, mode);
}

static void test_path_resolve(const char *scratch)
{
    char a[512], b[512], c[512], tmp[1024], path[2048], out[1024];
    snprintf(a, sizeof a, "%s/pz-path-a", scratch);
    snprintf(b, sizeof b, "%s/pz-path-b", scratch);
    snprintf(c, sizeof c, "%s/pz-path-c", scratch);
    mkdir(a, 0755);
    mkdir(b, 0755);
    mkdir(c, 0755);
    snprintf(tmp, sizeof tmp, "%s/tool", a);
    touch(tmp, 0644); /* not executable: skipped */
    snprintf(tmp, sizeof tmp, "%s/tool", b);
    touch(tmp, 0755);
    snprintf(tmp, sizeof tmp, "%s/tool", c);
    touch(tmp, 0755);
    snprintf(tmp, sizeof tmp, "%s/dironly", b);
    mkdir(tmp, 0755); /* a directory named like the command: skipped */
    snprintf(tmp, sizeof tmp, "%s/plain", a);
    touch(tmp, 0644);

    current = "PATH: first executable wins, non-executables skipped";
    snprintf(path, sizeof path, "/nonexistent:%s:%s:%s", a, b, c);
    CHECK(pz_path_resolve("tool", path, out, sizeof out) == 0);
    snprintf(tmp, sizeof tmp, "%s/tool", b);
    CHECK(strcmp(out, tmp) == 0);

    current = "PATH: missing command is ENOENT";
    CHECK(pz_path_resolve("nosuch", path, out, sizeof out) == ENOENT);
    CHECK(pz_path_resolve("dironly", path, out, sizeof out) == ENOENT);
    CHECK(pz_path_resolve("", path, out, sizeof out) == ENOENT);

    /* even root fails access(X_OK) when no execute bit is set */
    current = "PATH: only non-executable candidates is EACCES";
    CHECK(pz_path_resolve("plain", path, out, sizeof out) == EACCES);

    current = "PATH: empty entry means the current directory";
    {
        char cwd[1024];
        if (getcwd(cwd, sizeof cwd) != NULL && chdir(c) == 0) {
            CHECK(pz_path_resolve("tool", "/nonexistent::/also-not", out, sizeof out) == 0);
            CHECK(strcmp(out, "./tool") == 0);
            CHECK(pz_path_resolve("tool", "/nonexistent:", out, sizeof out) == 0);
            CHECK(chdir(cwd) == 0);
        } else {
            CHECK(!"cannot chdir into scratch dir");
        }
    }

    current = "PATH: candidates longer than the buffer are skipped";
    {
        char small[8];
        CHECK(pz_path_resolve("tool", path, small, sizeof small) == ENAMETOOLONG);
    }
}

static void test_abi_masks(void)
{
    current = "ABI masking of rights";
    CHECK(pz_fs_rights_for_abi(-38) == 0);
    CHECK(pz_fs_rights_for_abi(0) == 0);
    CHECK(pz_fs_rights_for_abi(1) == 0x1FFF);
    CHECK(pz_fs_rights_for_abi(2) == 0x3FFF);
    CHECK(pz_fs_rights_for_abi(3) == 0x7FFF);
    CHECK(pz_fs_rights_for_abi(4) == 0x7FFF);
    CHECK(pz_fs_rights_for_abi(5) == 0xFFFF);
    CHECK(pz_fs_rights_for_abi(7) == 0xFFFF);
    CHECK(pz_net_rights_for_abi(3) == 0);
    CHECK(pz_net_rights_for_abi(4) == 3);
    CHECK(pz_scopes_for_abi(5) == 0);
    CHECK(pz_scopes_for_abi(6) == 3);
    CHECK(pz_ruleset_attr_size(0) == 0);
    CHECK(pz_ruleset_attr_size(1) == 8);
    CHECK(pz_ruleset_attr_size(3) == 8);
    CHECK(pz_ruleset_attr_size(4) == 16);
    CHECK(pz_ruleset_attr_size(5) == 16);
    CHECK(pz_ruleset_attr_size(6) == 24);
    CHECK(pz_ruleset_attr_size(7) == 24);
    CHECK(sizeof(struct pz_landlock_path_beneath_attr) == 12);
    CHECK(sizeof(struct pz_landlock_net_port_attr) == 16);
    CHECK((PZ_FS_READ_RIGHTS & ~PZ_FS_FILE_RIGHTS) == PZ_FS_READ_DIR);
    CHECK(pz_fs_write_rights(3) == 0x7FFF);
}

/* The scratch paths are short; a truncated one would only fail a comparison below. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* Builds a small tree under scratch/pz-root: the "container root" of the resolver tests. */
static void make_root(const char *root)
{
    char p[4096];
    mkdir(root, 0755);
    snprintf(p, sizeof p, "%s/bin", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/usr", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/usr/bin", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/bin/busybox", root);
    touch(p, 0755);
#define LINK(target, name)                                 \
    do {                                                   \
        snprintf(p, sizeof p, "%s/%s", root, name);        \
        unlink(p);                                         \
        CHECK(symlink(target, p) == 0);                    \
    } while (0)
    LINK("/bin/busybox", "bin/sh");                 /* absolute: must stay in the root */
    LINK("busybox", "bin/cat");                     /* relative, same directory */
    LINK("../../bin/busybox", "usr/bin/env");       /* relative through .. */
    LINK("../../../../../../bin/busybox", "usr/bin/up"); /* more .. than depth: clamps at the root */
    LINK("/etc/passwd", "bin/outside");             /* the host's file, which the root does not have */
    LINK("/bin/loop2", "bin/loop1");
    LINK("/bin/loop1", "bin/loop2");
#undef LINK
}

static void expect_resolved(int rootfd, const char *root, const char *path, const char *want_in_root)
{
    char out[PZ_RESOLVE_MAX_ANSWER], want[4096];
    snprintf(want, sizeof want, "%s%s", root, want_in_root);
    int e = pz_resolve_at(rootfd, path, out, sizeof out);
    CHECK(e == 0);
    CHECK(e != 0 || strcmp(out, want) == 0);
    if (e != 0 || strcmp(out, want) != 0)
        fprintf(stderr, "     %s -> errno %d '%s' (want '%s')\n", path, e, e == 0 ? out : "", want);
}

static void test_resolve_in_root(const char *scratch)
{
    char root[1024], out[PZ_RESOLVE_MAX_ANSWER], p[4096];
    if (realpath(scratch, p) == NULL) {
        CHECK(!"cannot resolve the scratch dir");
        return;
    }
    snprintf(root, sizeof root, "%s/pz-root", p);
    make_root(root);
    int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    CHECK(rootfd >= 0);

    current = "resolver: symlinks resolve inside the root";
    expect_resolved(rootfd, root, "/bin/sh", "/bin/busybox");
    expect_resolved(rootfd, root, "/bin/cat", "/bin/busybox");
    expect_resolved(rootfd, root, "/usr/bin/env", "/bin/busybox");
    expect_resolved(rootfd, root, "/bin", "/bin");
    expect_resolved(rootfd, root, "/", "");

    current = "resolver: .. never leaves the root";
    expect_resolved(rootfd, root, "/usr/bin/up", "/bin/busybox");
    expect_resolved(rootfd, root, "/../../../../bin/busybox", "/bin/busybox");
    expect_resolved(rootfd, root, "/usr/../../bin/./sh", "/bin/busybox");

    current = "resolver: missing files and loops are errors";
    CHECK(pz_resolve_at(rootfd, "/bin/nosuch", out, sizeof out) == ENOENT);
    CHECK(pz_resolve_at(rootfd, "/bin/outside", out, sizeof out) == ENOENT); /* /etc/passwd of the host is not seen */
    CHECK(pz_resolve_at(rootfd, "/bin/busybox/x", out, sizeof out) == ENOTDIR);
    CHECK(pz_resolve_at(rootfd, "/bin/loop1", out, sizeof out) == ELOOP);

    current = "resolver: a 255-byte name resolves, a 256-byte one is ENAMETOOLONG";
    {
        char name[300], path[320];
        memset(name, 'n', 255);
        name[255] = '\0';
        snprintf(p, sizeof p, "%s/bin/%s", root, name);
        touch(p, 0755);
        snprintf(path, sizeof path, "/bin/%s", name);
        snprintf(p, sizeof p, "/bin/%s", name);
        expect_resolved(rootfd, root, path, p);
        memset(name, 'n', 256);
        name[256] = '\0';
        snprintf(path, sizeof path, "/bin/%s", name);
        CHECK(pz_resolve_at(rootfd, path, out, sizeof out) == ENAMETOOLONG);
    }

    current = "resolver: names with newlines and blanks";
    snprintf(p, sizeof p, "%s/bin/two\nlines and blanks", root);
    touch(p, 0755);
    expect_resolved(rootfd, root, "/bin/two\nlines and blanks", "/bin/two\nlines and blanks");

    current = "resolver: an answer that does not fit is ENAMETOOLONG";
    CHECK(pz_resolve_at(rootfd, "/bin/sh", out, 4) == ENAMETOOLONG);
    close(rootfd);

    current = "resolver: the root of a process (this one's is /, where bin/sh's absolute link leaves pz-root)";
    snprintf(p, sizeof p, "%s/bin/cat", root);
    CHECK(pz_resolve_in_root_of(getpid(), p, out, sizeof out) == 0);
    snprintf(p, sizeof p, "%s/bin/busybox", root);
    CHECK(strcmp(out, p) == 0);
    CHECK(pz_resolve_in_root_of(0x7ffffff0, "/", out, sizeof out) == ENOENT); /* no such process */
}

/* Sends requests (each a string; its NUL ends the record) through pz_resolver_serve, returns the answers. */
static int serve(const char *const *requests, int count, char *answers, size_t size)
{
    int req[2], ans[2];
    if (pipe(req) != 0 || pipe(ans) != 0)
        return -1;
    for (int i = 0; i < count; i++)
        if (write(req[1], requests[i], strlen(requests[i]) + 1) < 0)
            return -1;
    close(req[1]);
    int e = pz_resolver_serve(req[0], ans[1]);
    close(req[0]);
    close(ans[1]);
    size_t have = 0;
    ssize_t n;
    while (have < size && (n = read(ans[0], answers + have, size - have)) > 0)
        have += (size_t)n;
    close(ans[0]);
    return e == 0 ? (int)have : -1;
}

static void test_resolver_protocol(const char *scratch)
{
    char root[1024], p[4096], want[4096];
    static char answers[64 * 1024], longreq[PZ_RESOLVE_MAX_REQUEST + 200];
    if (realpath(scratch, p) == NULL)
        return;
    snprintf(root, sizeof root, "%s/pz-root", p);
    char ok[2048], missing[2048];
    snprintf(ok, sizeof ok, "%d %s/usr/bin/env", (int)getpid(), root);
    snprintf(missing, sizeof missing, "%d %s/bin/nosuch", (int)getpid(), root);
    int n = snprintf(longreq, sizeof longreq, "%d /", (int)getpid());
    memset(longreq + n, 'x', sizeof longreq - (size_t)n - 1);
    longreq[sizeof longreq - 1] = '\0';

    current = "resolver protocol: one answer per request, in order; bad requests are EINVAL";
    const char *requests[] = { ok, missing, "abc /bin", "123", "1 relative", "", " /x", "99999999999 /", longreq, ok };
    int got = serve(requests, 10, answers, sizeof answers);
    CHECK(got > 0);
    const char *a = answers;
    snprintf(want, sizeof want, "%s/bin/busybox", root);
    const char *expected[] = { want, "!2", "!22", "!22", "!22", "!22", "!22", "!22", "!36", want };
    for (int i = 0; i < 10 && got > 0; i++) {
        CHECK(a < answers + got);
        if (a >= answers + got)
            break;
        CHECK(strcmp(a, expected[i]) == 0);
        if (strcmp(a, expected[i]) != 0)
            fprintf(stderr, "     answer %d: '%s' (want '%s')\n", i, a, expected[i]);
        a += strlen(a) + 1;
    }
    CHECK(a == answers + got); /* nothing more */

    current = "resolver protocol: an unfinished request at end of input gets no answer";
    {
        int req[2], ans[2];
        CHECK(pipe(req) == 0 && pipe(ans) == 0);
        CHECK(write(req[1], "1 /bin", 6) == 6);
        close(req[1]);
        CHECK(pz_resolver_serve(req[0], ans[1]) == 0);
        close(ans[1]);
        char c;
        CHECK(read(ans[0], &c, 1) == 0);
        close(req[0]);
        close(ans[0]);
    }
}

int main(int argc, char **argv)
{
    const char *scratch = argc > 1 ? argv[1] : ".";
    test_full_file();
    test_errors();
    test_random_inputs();
    test_path_within();
    test_path_resolve(scratch);
    test_abi_masks();
    test_resolve_in_root(scratch);
    test_resolver_protocol(scratch);
    printf("puzzle-init unit tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
