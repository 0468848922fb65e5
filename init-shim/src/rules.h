/* The rules file the host writes for puzzle-init; format documented in README.md. */
#ifndef PUZZLE_RULES_H
#define PUZZLE_RULES_H

#include <stddef.h>
#include <stdint.h>

#define PZ_MAX_PATH 4096       /* longest path in a rule, including the terminating NUL */
#define PZ_MAX_PATH_RULES 64   /* read + write + deny rules together */
#define PZ_MAX_PORTS 64        /* per direction (connect, bind) */
#define PZ_MAX_LINE 4200       /* longest line, without its newline */
#define PZ_MAX_RULES_FILE 65536 /* largest rules file */
#define PZ_MAX_ERROR 160

enum pz_path_kind { PZ_PATH_READ, PZ_PATH_WRITE, PZ_PATH_DENY };

struct pz_path_rule {
    enum pz_path_kind kind;
    int line;
    char path[PZ_MAX_PATH];
};

struct pz_port_list {
    int any;          /* "any": the right is not handled, every port allowed */
    int count;
    uint16_t ports[PZ_MAX_PORTS];
};

#define PZ_SCOPE_REQ_SIGNAL 1u
#define PZ_SCOPE_REQ_ABSTRACT_UNIX 2u

struct pz_rules {
    int version;
    int require_landlock;
    int require_paths;
    int min_abi;
    unsigned scopes; /* PZ_SCOPE_REQ_* */
    int path_count;
    struct pz_path_rule paths[PZ_MAX_PATH_RULES];
    struct pz_port_list connect;
    struct pz_port_list bind;
};

struct pz_rules_error {
    int line; /* 0 when the error is not tied to a line */
    char message[PZ_MAX_ERROR];
};

/**
 * Parses a rules file held in memory. Returns 0 on success, -1 with err filled on the first error.
 * Adds the implicit `write /workspace` unless the file grants or denies it itself.
 */
int pz_rules_parse(const char *text, size_t len, struct pz_rules *out, struct pz_rules_error *err);

/** Non-zero when a equals b or lies beneath it, component-wise ("/a/b" is under "/a", "/ab" is not). */
int pz_path_within(const char *a, const char *b);

#endif
