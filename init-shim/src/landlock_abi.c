#include "landlock_abi.h"

uint64_t pz_fs_rights_for_abi(int abi)
{
    uint64_t rights = 0;
    if (abi >= 1)
        rights |= (1ULL << 13) - 1; /* bits 0..12 */
    if (abi >= 2)
        rights |= PZ_FS_REFER;
    if (abi >= 3)
        rights |= PZ_FS_TRUNCATE;
    if (abi >= 5)
        rights |= PZ_FS_IOCTL_DEV;
    return rights;
}

uint64_t pz_net_rights_for_abi(int abi)
{
    return abi >= 4 ? (PZ_NET_BIND_TCP | PZ_NET_CONNECT_TCP) : 0;
}

uint64_t pz_scopes_for_abi(int abi)
{
    return abi >= 6 ? (PZ_SCOPE_ABSTRACT_UNIX_SOCKET | PZ_SCOPE_SIGNAL) : 0;
}

size_t pz_ruleset_attr_size(int abi)
{
    if (abi < 1)
        return 0;
    if (abi < 4)
        return offsetof(struct pz_landlock_ruleset_attr, handled_access_net);
    if (abi < 6)
        return offsetof(struct pz_landlock_ruleset_attr, scoped);
    return sizeof(struct pz_landlock_ruleset_attr);
}

uint64_t pz_fs_write_rights(int abi)
{
    return pz_fs_rights_for_abi(abi);
}
