#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define WORKSPACE "/workspace"

static int fail(struct pz_rules_error *err, int line, const char *fmt, ...)
{
    va_list ap;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* Splits line (modified in place) into at most max tokens; returns the count or -1 when more. */
static int tokenize(char *line, char **tok, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            return n;
        if (n == max)
            return -1;
        tok[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '#')
            p++;
        if (*p == '#') {
            *p = '\0';
            return n;
        }
        if (*p)
            *p++ = '\0';
    }
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return -1;
    }
    *out = v;
    return 0;
}

/* Absolute, no "." or ".." components, no empty components except a trailing slash (dropped). */
static int normalize_path(const char *in, char *out, size_t size, const char **why)
{
    size_t len = strlen(in);
    if (in[0] != '/') {
        *why = "path must be absolute";
        return -1;
    }
    if (len >= size) {
        *why = "path too long";
        return -1;
    }
    while (len > 1 && in[len - 1] == '/')
        len--;
    for (size_t i = 0; i < len;) {
        size_t j = i + 1;
        while (j < len && in[j] != '/')
            j++;
        size_t clen = j - i - 1;
        if (clen == 0 && len > 1) {
            *why = "path has an empty component";
            return -1;
        }
        if ((clen == 1 && in[i + 1] == '.') || (clen == 2 && in[i + 1] == '.' && in[i + 2] == '.')) {
            *why = "path has a '.' or '..' component";
            return -1;
        }
        i = j;
    }
    memcpy(out, in, len);
    out[len] = '\0';
    return 0;
}

int pz_path_within(const char *a, const char *b)
{
    size_t lb = strlen(b);
    if (strcmp(b, "/") == 0)
        return 1;
    return strncmp(a, b, lb) == 0 && (a[lb] == '\0' || a[lb] == '/');
}

static int parse_ports(char **tok, int n, struct pz_port_list *list, int line, struct pz_rules_error *err)
{
    if (n < 2)
        return fail(err, line, "%s needs a port, 'none' or 'any'", tok[0]);
    if (n == 2 && strcmp(tok[1], "none") == 0)
        return 0;
    if (n == 2 && strcmp(tok[1], "any") == 0) {
        if (list->count > 0)
            return fail(err, line, "%s any conflicts with ports listed earlier", tok[0]);
        list->any = 1;
        return 0;
    }
    for (int i = 1; i < n; i++) {
        unsigned long port;
        if (parse_uint(tok[i], 65535, &port) != 0)
            return fail(err, line, "bad port '%s' (0-65535)", tok[i]);
        if (list->any)
            return fail(err, line, "%s %s conflicts with 'any' earlier", tok[0], tok[i]);
        if (list->count == PZ_MAX_PORTS)
            return fail(err, line, "too many %s ports (max %d)", tok[0], PZ_MAX_PORTS);
        list->ports[list->count++] = (uint16_t)port;
    }
    return 0;
}

static int parse_line(char *text, int line, struct pz_rules *r, struct pz_rules_error *err)
{
    char *tok[PZ_MAX_PORTS + 2];
    int n = tokenize(text, tok, (int)(sizeof tok / sizeof tok[0]));
    if (n < 0)
        return fail(err, line, "too many words");
    if (n == 0)
        return 0;
    const char *d = tok[0];

    if (r->version == 0) {
        unsigned long v;
        if (strcmp(d, "version") != 0)
            return fail(err, line, "the first directive must be 'version 1', found '%s'", d);
        if (n != 2 || parse_uint(tok[1], 1000, &v) != 0)
            return fail(err, line, "version needs one number");
        if (v != 1)
            return fail(err, line, "unsupported rules version %lu (this puzzle-init reads version 1)", v);
        r->version = 1;
        return 0;
    }
    if (strcmp(d, "version") == 0)
        return fail(err, line, "version given twice");

    if (strcmp(d, "require") == 0) {
        if (n != 2)
            return fail(err, line, "require needs one word: landlock or paths");
        if (strcmp(tok[1], "landlock") == 0)
            r->require_landlock = 1;
        else if (strcmp(tok[1], "paths") == 0)
            r->require_paths = 1;
        else
            return fail(err, line, "unknown requirement '%s' (landlock, paths)", tok[1]);
        return 0;
    }
    if (strcmp(d, "min-abi") == 0) {
        unsigned long v;
        if (n != 2 || parse_uint(tok[1], 1000, &v) != 0 || v < 1)
            return fail(err, line, "min-abi needs a number from 1 to 1000");
        r->min_abi = (int)v;
        return 0;
    }
    if (strcmp(d, "read") == 0 || strcmp(d, "write") == 0 || strcmp(d, "deny") == 0) {
        const char *why;
        if (n != 2)
            return fail(err, line, "%s needs exactly one path (no spaces)", d);
        if (r->path_count == PZ_MAX_PATH_RULES)
            return fail(err, line, "too many path rules (max %d)", PZ_MAX_PATH_RULES);
        struct pz_path_rule *p = &r->paths[r->path_count];
        if (normalize_path(tok[1], p->path, sizeof p->path, &why) != 0)
            return fail(err, line, "%s: %s", why, tok[1]);
        p->kind = d[0] == 'r' ? PZ_PATH_READ : d[0] == 'w' ? PZ_PATH_WRITE : PZ_PATH_DENY;
        p->line = line;
        r->path_count++;
        return 0;
    }
    if (strcmp(d, "tcp-connect") == 0)
        return parse_ports(tok, n, &r->connect, line, err);
    if (strcmp(d, "tcp-bind") == 0)
        return parse_ports(tok, n, &r->bind, line, err);
    if (strcmp(d, "scope") == 0) {
        if (n < 2)
            return fail(err, line, "scope needs signal and/or abstract-unix");
        for (int i = 1; i < n; i++) {
            if (strcmp(tok[i], "signal") == 0)
                r->scopes |= PZ_SCOPE_REQ_SIGNAL;
            else if (strcmp(tok[i], "abstract-unix") == 0)
                r->scopes |= PZ_SCOPE_REQ_ABSTRACT_UNIX;
            else
                return fail(err, line, "unknown scope '%s' (signal, abstract-unix)", tok[i]);
        }
        return 0;
    }
    return fail(err, line, "unknown directive '%s'", d);
}

/* A deny that overlaps an allow cannot be expressed by Landlock (no negative rules): refuse. */
static int check_denies(const struct pz_rules *r, struct pz_rules_error *err)
{
    for (int i = 0; i < r->path_count; i++) {
        const struct pz_path_rule *d = &r->paths[i];
        if (d->kind != PZ_PATH_DENY)
            continue;
        for (int j = 0; j < r->path_count; j++) {
            const struct pz_path_rule *a = &r->paths[j];
            if (a->kind == PZ_PATH_DENY)
                continue;
            if (!pz_path_within(d->path, a->path) && !pz_path_within(a->path, d->path))
                continue;
            const char *kind = a->kind == PZ_PATH_READ ? "read" : "write";
            if (a->line == 0)
                return fail(err, d->line, "deny %s overlaps the implicit write %s; Landlock cannot carve a deny out of an allow",
                            d->path, a->path);
            return fail(err, d->line, "deny %s overlaps %s %s (line %d); Landlock cannot carve a deny out of an allow",
                        d->path, kind, a->path, a->line);
        }
    }
    return 0;
}

int pz_rules_parse(const char *text, size_t len, struct pz_rules *out, struct pz_rules_error *err)
{
    static char buf[PZ_MAX_LINE + 1];
    memset(out, 0, sizeof *out);
    err->line = 0;
    err->message[0] = '\0';
    if (len > PZ_MAX_RULES_FILE)
        return fail(err, 0, "rules file larger than %d bytes", PZ_MAX_RULES_FILE);

    int line = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        line++;
        while (end < len && text[end] != '\n')
            end++;
        size_t llen = end - pos;
        if (llen > 0 && text[pos + llen - 1] == '\r')
            llen--;
        if (llen > PZ_MAX_LINE)
            return fail(err, line, "line longer than %d characters", PZ_MAX_LINE);
        if (memchr(text + pos, '\0', llen) != NULL)
            return fail(err, line, "NUL byte in line");
        memcpy(buf, text + pos, llen);
        buf[llen] = '\0';
        if (parse_line(buf, line, out, err) != 0)
            return -1;
        pos = end + 1;
    }
    if (out->version == 0)
        return fail(err, line > 0 ? line : 1, "missing 'version 1'");

    int workspace_named = 0;
    for (int i = 0; i < out->path_count; i++)
        if (strcmp(out->paths[i].path, WORKSPACE) == 0)
            workspace_named = 1;
    if (!workspace_named) {
        if (out->path_count == PZ_MAX_PATH_RULES)
            return fail(err, 0, "too many path rules (max %d, one kept for %s)", PZ_MAX_PATH_RULES, WORKSPACE);
        struct pz_path_rule *p = &out->paths[out->path_count++];
        p->kind = PZ_PATH_WRITE;
        p->line = 0;
        strcpy(p->path, WORKSPACE);
    }
    return check_denies(out, err);
}
