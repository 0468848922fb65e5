/* Resolving a command name through PATH, as execvp would, without a shell. */
#ifndef PUZZLE_PATHSEARCH_H
#define PUZZLE_PATHSEARCH_H

#include <stddef.h>

#define PZ_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/**
 * Finds name (which has no '/') in the colon-separated search list path (an empty entry means the
 * current directory). Writes the first executable regular file found into out and returns 0; else
 * returns the errno execvp would report: EACCES when a candidate exists but is not executable,
 * ENAMETOOLONG when every candidate is too long, ENOENT otherwise.
 */
int pz_path_resolve(const char *name, const char *path, char *out, size_t size);

#endif
