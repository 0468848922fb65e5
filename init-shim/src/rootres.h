/*
 * Resolving paths inside another process's root, for the host daemon's exec decisions
 * (puzzle-init --resolve-in-root PID). See init-shim/README.md, "Resolver mode".
 */
#ifndef PUZZLE_ROOTRES_H
#define PUZZLE_ROOTRES_H

#include <stddef.h>

/** Longest request record ("PID PATH", without its NUL); a longer one is answered ENAMETOOLONG. */
#define PZ_RESOLVE_MAX_REQUEST 8192
/** Longest answer, NUL included (a path as readlink reports it, or "!ERRNO"). */
#define PZ_RESOLVE_MAX_ANSWER 4097

/**
 * Opens path beneath the directory rootfd with RESOLVE_IN_ROOT (absolute symlinks and ".." stay inside
 * it) and writes the file's path, as this process's mount namespace names it (/proc/self/fd), into out.
 * Returns 0, or the errno of the failing step (ENAMETOOLONG when out is too small).
 */
int pz_resolve_at(int rootfd, const char *path, char *out, size_t size);

/** Like pz_resolve_at in the root of process pid (/proc/PID/root, opened afresh: a chroot counts). */
int pz_resolve_in_root_of(int pid, const char *path, char *out, size_t size);

/**
 * Answers one request: request[0..len) is "PID PATH" (decimal pid, one blank, an absolute path) and
 * request[len] is its NUL. Writes the answer with its NUL into out (size >= PZ_RESOLVE_MAX_ANSWER): the
 * resolved path (always starting with '/'), or '!' and a decimal errno. Returns the answer's length
 * including the NUL.
 */
size_t pz_resolver_answer(const char *request, size_t len, char *out, size_t size);

/**
 * Reads NUL-terminated requests from in and writes one NUL-terminated answer for each to out, in order,
 * until end of input (returns 0) or a read/write error (returns its errno).
 */
int pz_resolver_serve(int in, int out);

#endif
