#include "pathsearch.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pz_path_resolve(const char *name, const char *path, char *out, size_t size)
{
    size_t nlen = strlen(name);
    int seen_eacces = 0, all_too_long = 1;
    if (nlen == 0)
        return ENOENT;
    const char *p = path;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t dlen = colon ? (size_t)(colon - p) : strlen(p);
        const char *dir = dlen == 0 ? "." : p;
        size_t use = dlen == 0 ? 1 : dlen;
        if (use + 1 + nlen < size) {
            struct stat st;
            all_too_long = 0;
            memcpy(out, dir, use);
            out[use] = '/';
            memcpy(out + use + 1, name, nlen + 1);
            int rc = stat(out, &st);
            if (rc == 0 && S_ISREG(st.st_mode)) {
                if (access(out, X_OK) == 0)
                    return 0;
                seen_eacces = 1;
            } else if (rc != 0 && errno == EACCES) {
                seen_eacces = 1;
            }
        }
        if (!colon)
            break;
        p = colon + 1;
    }
    out[0] = '\0';
    if (seen_eacces)
        return EACCES;
    return all_too_long ? ENAMETOOLONG : ENOENT;
}
