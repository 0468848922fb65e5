/*
 * The resolver mode. A rootless container's root is a FUSE mount (fuse-overlayfs) that only processes
 * in its user namespace may use, so the host daemon cannot look inside it; this loop runs in that user
 * namespace (joined by main) but in the host's mount and PID namespaces: it never runs or maps anything
 * from the container's files, only looks names up.
 */
#include "rootres.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define PZ_RESOLVE_IN_ROOT 0x10

struct pz_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};

int pz_resolve_at(int rootfd, const char *path, char *out, size_t size)
{
    struct pz_open_how how = { .flags = O_PATH | O_CLOEXEC, .mode = 0, .resolve = PZ_RESOLVE_IN_ROOT };
    int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
    if (fd < 0)
        return errno;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, size);
    int e = n < 0 ? errno : 0;
    close(fd);
    if (e != 0)
        return e;
    if ((size_t)n >= size)
        return ENAMETOOLONG;
    out[n] = '\0';
    return out[0] == '/' ? 0 : ENOENT; /* not a name in any tree (never expected for a path lookup) */
}

int pz_resolve_in_root_of(int pid, const char *path, char *out, size_t size)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/%d/root", pid);
    int root = open(proc, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return errno;
    int e = pz_resolve_at(root, path, out, size);
    close(root);
    return e;
}

static size_t error_answer(int e, char *out, size_t size)
{
    int n = snprintf(out, size, "!%d", e);
    return (size_t)n + 1;
}

size_t pz_resolver_answer(const char *request, size_t len, char *out, size_t size)
{
    long pid = 0;
    size_t i = 0;
    while (i < len && i < 10 && request[i] >= '0' && request[i] <= '9')
        pid = pid * 10 + (request[i++] - '0');
    if (i == 0 || i >= len || request[i] != ' ' || pid <= 0 || pid > INT_MAX || request[i + 1] != '/')
        return error_answer(EINVAL, out, size);
    if (memchr(request, '\0', len) != NULL) /* a caller bug: the record must end at len */
        return error_answer(EINVAL, out, size);
    int e = pz_resolve_in_root_of((int)pid, request + i + 1, out, size);
    if (e != 0)
        return error_answer(e, out, size);
    return strlen(out) + 1;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int pz_resolver_serve(int in, int out)
{
    static char buf[PZ_RESOLVE_MAX_REQUEST + 1];
    static char answer[PZ_RESOLVE_MAX_ANSWER];
    size_t have = 0;
    int overlong = 0; /* the current request outgrew the buffer: drop it up to its NUL */
    for (;;) {
        ssize_t n = read(in, buf + have, sizeof buf - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return 0; /* the daemon closed its end (or died): an unfinished request needs no answer */
        have += (size_t)n;
        size_t start = 0;
        char *nul;
        while ((nul = memchr(buf + start, '\0', have - start)) != NULL) {
            size_t len = (size_t)(nul - (buf + start));
            size_t alen = overlong ? error_answer(ENAMETOOLONG, answer, sizeof answer)
                                   : pz_resolver_answer(buf + start, len, answer, sizeof answer);
            overlong = 0;
            int e = write_all(out, answer, alen);
            if (e != 0)
                return e;
            start += len + 1;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (have == sizeof buf) {
            overlong = 1;
            have = 0;
        }
    }
}
