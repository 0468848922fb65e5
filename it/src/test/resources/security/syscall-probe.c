/*
 * Tries one privileged system call per argument and prints "<name> <ERRNO NAME>" (or "<name> OK").
 * Built statically at test time and run inside a governed container: the test image has no compiler.
 * Usage: syscall-probe NAME... ; ptrace:PID, chroot-escape:PATH, execveat:PATH, memfd-exec:PATH, connect:IPV4:PORT,
 * process_vm_readv:PID, process_vm_writev:PID, pidfd_getfd:PID and kcmp:PID take a value after the colon.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void report(const char *name, long r) {
    if (r < 0) printf("%s %s\n", name, strerrorname_np(errno));
    else printf("%s OK\n", name);
    fflush(stdout);
}

/* The classic chroot break-out: chroot into a subdirectory while holding the old cwd, climb, chroot ".". */
static void chroot_escape(const char *host_path) {
    mkdir("/tmp/jail", 0700);
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    if (chroot("/tmp/jail") < 0) { report("chroot-escape", -1); return; }
    if (fchdir(fd) < 0) { report("chroot-escape", -1); return; }
    for (int i = 0; i < 256; i++) if (chdir("..") < 0) break;
    if (chroot(".") < 0) { report("chroot-escape", -1); return; }
    struct stat st;
    /* where did we land: the container's root has /workspace, the host has the test's directory */
    printf("chroot-escape workspace=%s host=%s\n", stat("/workspace", &st) == 0 ? "present" : "absent",
           stat(host_path, &st) == 0 ? "present" : strerrorname_np(errno));
    fflush(stdout);
}

static void probe(const char *arg) {
    const char *value = strchr(arg, ':');
    char name[64];
    size_t n = value ? (size_t)(value - arg) : strlen(arg);
    if (n >= sizeof name) n = sizeof name - 1;
    memcpy(name, arg, n);
    name[n] = 0;
    if (value) value++;

    if (!strcmp(name, "mount")) report(name, mount("none", "/tmp", "tmpfs", 0, NULL));
    else if (!strcmp(name, "umount")) report(name, umount2("/workspace", MNT_DETACH));
    else if (!strcmp(name, "pivot_root")) report(name, syscall(SYS_pivot_root, "/tmp", "/tmp"));
    else if (!strcmp(name, "unshare-mnt")) report(name, unshare(CLONE_NEWNS));
    else if (!strcmp(name, "unshare-user")) report(name, unshare(CLONE_NEWUSER));
    else if (!strcmp(name, "unshare-net")) report(name, unshare(CLONE_NEWNET));
    else if (!strcmp(name, "clone-userns") || !strcmp(name, "clone-fork")) {
        /* the raw system call, as a fork: the child exits at once */
        long flags = SIGCHLD | (!strcmp(name, "clone-userns") ? CLONE_NEWUSER : 0);
        long r = syscall(SYS_clone, flags, 0, 0, 0, 0);
        if (r == 0) _exit(0);
        if (r > 0) waitpid((pid_t) r, NULL, 0);
        report(name, r);
    } else if (!strcmp(name, "clone3")) {
        unsigned long long args[11];
        memset(args, 0, sizeof args);
        args[0] = CLONE_NEWUSER; /* flags */
        args[4] = SIGCHLD;       /* exit_signal */
        long r = syscall(SYS_clone3, args, sizeof args);
        if (r == 0) _exit(0);
        if (r > 0) waitpid((pid_t) r, NULL, 0);
        report(name, r);
    } else if (!strcmp(name, "process_vm_readv") || !strcmp(name, "process_vm_writev")) {
        /* the container init's memory: its argv page is as good as any */
        char buf[8] = {0};
        struct iovec local = {buf, sizeof buf}, remote = {(void *) 0x400000, sizeof buf};
        pid_t pid = (pid_t) atol(value);
        long r = !strcmp(name, "process_vm_readv") ? syscall(SYS_process_vm_readv, pid, &local, 1, &remote, 1, 0)
                                                   : syscall(SYS_process_vm_writev, pid, &local, 1, &remote, 1, 0);
        report(name, r);
    } else if (!strcmp(name, "pidfd_getfd")) {
        long pidfd = syscall(SYS_pidfd_open, (pid_t) atol(value), 0);
        if (pidfd < 0) { report("pidfd_open", pidfd); return; }
        report(name, syscall(SYS_pidfd_getfd, pidfd, 0, 0));
    } else if (!strcmp(name, "kcmp")) report(name, syscall(SYS_kcmp, getpid(), (pid_t) atol(value), 0 /* KCMP_FILE */, 0, 0));
    else if (!strcmp(name, "request_key")) report(name, syscall(SYS_request_key, "user", "k", NULL, 0));
    else if (!strcmp(name, "userfaultfd")) report(name, syscall(SYS_userfaultfd, 0));
    else if (!strcmp(name, "memfd-exec")) {
        /* a copy of an executable in anonymous memory, run by fd: no path for a name rule to see */
        int src = open(value, O_RDONLY | O_CLOEXEC);
        int fd = (int) syscall(SYS_memfd_create, "cat", 0);
        if (src < 0 || fd < 0) { report(name, -1); return; }
        char buf[65536];
        for (ssize_t n; (n = read(src, buf, sizeof buf)) > 0; ) if (write(fd, buf, n) != n) { report(name, -1); return; }
        char *argv[] = {"cat", "/dev/null", NULL}, *envp[] = {NULL};
        report(name, syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH));
    }
    else if (!strcmp(name, "execveat")) {
        /* exec by file descriptor: the path the supervisor sees is only the fd, not a name */
        int fd = open(value, O_PATH | O_CLOEXEC);
        if (fd < 0) { report(name, fd); return; }
        char *argv[] = {"true", NULL}, *envp[] = {NULL};
        report(name, syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH));
    } else if (!strcmp(name, "connect")) {
        char host[64];
        const char *port = strrchr(value, ':');
        size_t hn = port ? (size_t)(port - value) : 0;
        if (!port || hn >= sizeof host) { printf("%s BADARG\n", name); fflush(stdout); return; }
        memcpy(host, value, hn);
        host[hn] = 0;
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short) atoi(port + 1))};
        inet_pton(AF_INET, host, &sa.sin_addr);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        report(name, fd < 0 ? fd : connect(fd, (struct sockaddr *) &sa, sizeof sa));
    }
    else if (!strcmp(name, "setns")) {
        int fd = open("/proc/self/ns/mnt", O_RDONLY);
        report(name, fd < 0 ? fd : setns(fd, CLONE_NEWNS));
    } else if (!strcmp(name, "ptrace")) {
        /* SEIZE, not ATTACH: a successful attach must not leave the target stopped once the probe exits */
        pid_t pid = (pid_t) atol(value);
        long r = ptrace(PTRACE_SEIZE, pid, 0, 0);
        report(name, r);
        if (r == 0) ptrace(PTRACE_DETACH, pid, 0, 0);
    }
    else if (!strcmp(name, "bpf")) {
        union bpf_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.map_type = BPF_MAP_TYPE_ARRAY;
        attr.key_size = 4;
        attr.value_size = 4;
        attr.max_entries = 1;
        report(name, syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
    } else if (!strcmp(name, "io_uring")) {
        char params[120];
        memset(params, 0, sizeof params);
        report(name, syscall(SYS_io_uring_setup, 4, params));
    } else if (!strcmp(name, "keyctl")) report(name, syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
    else if (!strcmp(name, "add_key")) report(name, syscall(SYS_add_key, "user", "k", "v", 1, -2));
    else if (!strcmp(name, "perf_event_open")) {
        struct perf_event_attr pe;
        memset(&pe, 0, sizeof pe);
        pe.type = PERF_TYPE_SOFTWARE;
        pe.size = sizeof pe;
        pe.config = PERF_COUNT_SW_CPU_CLOCK;
        report(name, syscall(SYS_perf_event_open, &pe, -1, 0, -1, 0));
    } else if (!strcmp(name, "kexec_load")) report(name, syscall(SYS_kexec_load, 0, 0, NULL, 0));
    else if (!strcmp(name, "kexec_file_load")) report(name, syscall(SYS_kexec_file_load, -1, -1, 0, "", 0));
    else if (!strcmp(name, "init_module")) report(name, syscall(SYS_init_module, "", 0, ""));
    else if (!strcmp(name, "finit_module")) {
        int fd = open("/proc/self/exe", O_RDONLY);
        report(name, syscall(SYS_finit_module, fd, "", 0));
    } else if (!strcmp(name, "reboot")) report(name, syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF, NULL));
    else if (!strcmp(name, "settimeofday")) {
        struct timeval tv = {0, 0};
        report(name, settimeofday(&tv, NULL));
    } else if (!strcmp(name, "clock_settime")) {
        struct timespec ts = {0, 0};
        report(name, clock_settime(CLOCK_REALTIME, &ts));
    } else if (!strcmp(name, "raw-socket")) report(name, socket(AF_INET, SOCK_RAW, 1 /* ICMP */));
    else if (!strcmp(name, "packet-socket")) report(name, socket(AF_PACKET, SOCK_RAW, 0));
    else if (!strcmp(name, "open_by_handle_at")) {
        struct { unsigned int bytes; int type; unsigned char h[8]; } fh = {8, 1, {2, 0, 0, 0, 0, 0, 0, 0}};
        report(name, syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY));
    } else if (!strcmp(name, "swapon")) report(name, syscall(SYS_swapon, "/workspace", 0));
    else if (!strcmp(name, "sethostname")) report(name, sethostname("escaped", 7));
    else if (!strcmp(name, "chroot-escape")) chroot_escape(value);
    else if (!strcmp(name, "userns-remount")) {
        /* a new user namespace is allowed, but its capabilities do not cover the mounts it inherited */
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) { report(name, -1); return; }
        report(name, mount(NULL, "/proc/sys", NULL, MS_REMOUNT | MS_BIND, NULL));
    } else if (!strcmp(name, "keyring")) {
        char desc[256];
        long r = syscall(SYS_keyctl, 6 /* KEYCTL_DESCRIBE */, -3 /* the session keyring */, desc, sizeof desc - 1);
        if (r < 0) report(name, r);
        else { desc[sizeof desc - 1] = 0; printf("%s %s\n", name, desc); fflush(stdout); }
    }
    else printf("%s UNKNOWN\n", name);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) probe(argv[i]);
    return 0;
}
