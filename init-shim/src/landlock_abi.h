/* Landlock UAPI, defined locally: build hosts' kernel headers may predate ABI 4. */
#ifndef PUZZLE_LANDLOCK_ABI_H
#define PUZZLE_LANDLOCK_ABI_H

#include <stddef.h>
#include <stdint.h>

#define PZ_SYS_landlock_create_ruleset 444
#define PZ_SYS_landlock_add_rule 445
#define PZ_SYS_landlock_restrict_self 446

#define PZ_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define PZ_LANDLOCK_RULE_PATH_BENEATH 1
#define PZ_LANDLOCK_RULE_NET_PORT 2

struct pz_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI >= 4 */
    uint64_t scoped;             /* ABI >= 6 */
};

struct pz_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

struct pz_landlock_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};

/* Filesystem rights. */
#define PZ_FS_EXECUTE (1ULL << 0)
#define PZ_FS_WRITE_FILE (1ULL << 1)
#define PZ_FS_READ_FILE (1ULL << 2)
#define PZ_FS_READ_DIR (1ULL << 3)
#define PZ_FS_REMOVE_DIR (1ULL << 4)
#define PZ_FS_REMOVE_FILE (1ULL << 5)
#define PZ_FS_MAKE_CHAR (1ULL << 6)
#define PZ_FS_MAKE_DIR (1ULL << 7)
#define PZ_FS_MAKE_REG (1ULL << 8)
#define PZ_FS_MAKE_SOCK (1ULL << 9)
#define PZ_FS_MAKE_FIFO (1ULL << 10)
#define PZ_FS_MAKE_BLOCK (1ULL << 11)
#define PZ_FS_MAKE_SYM (1ULL << 12)
#define PZ_FS_REFER (1ULL << 13)     /* ABI 2 */
#define PZ_FS_TRUNCATE (1ULL << 14)  /* ABI 3 */
#define PZ_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */

/* Network rights (ABI 4). */
#define PZ_NET_BIND_TCP (1ULL << 0)
#define PZ_NET_CONNECT_TCP (1ULL << 1)

/* Scopes (ABI 6). */
#define PZ_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define PZ_SCOPE_SIGNAL (1ULL << 1)

/* Rights a rule on a non-directory may carry; the kernel rejects directory rights there. */
#define PZ_FS_FILE_RIGHTS (PZ_FS_EXECUTE | PZ_FS_WRITE_FILE | PZ_FS_READ_FILE | PZ_FS_TRUNCATE | PZ_FS_IOCTL_DEV)

/* What a `read` rule grants: read and execute beneath. */
#define PZ_FS_READ_RIGHTS (PZ_FS_EXECUTE | PZ_FS_READ_FILE | PZ_FS_READ_DIR)

/** Filesystem rights the given ABI knows (0 when Landlock is unavailable). */
uint64_t pz_fs_rights_for_abi(int abi);
/** Network rights the given ABI knows. */
uint64_t pz_net_rights_for_abi(int abi);
/** Scopes the given ABI knows. */
uint64_t pz_scopes_for_abi(int abi);
/** Size of struct landlock_ruleset_attr as the given ABI defines it (0 when unavailable). */
size_t pz_ruleset_attr_size(int abi);
/** Everything a `write` rule grants (the full set known to ABI). */
uint64_t pz_fs_write_rights(int abi);

#endif
