package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecRulesTest {
    private static ExecRequest exec(String path, String resolved, String... argv) {
        return new ExecRequest(path, resolved, List.of(argv), false, false);
    }

    /** An exec through a symlink {@code path} lying in {@code linkDir}, resolving to {@code resolved}. */
    private static ExecRequest linkExec(String path, String linkDir, String resolved, String... argv) {
        return new ExecRequest(path, resolved, List.of(argv), false, false, linkDir);
    }

    private static ExecRequest selfExec(String exe, String... argv) {
        return new ExecRequest("/proc/self/exe", exe, List.of(argv), true, false);
    }

    @Test
    void emptyAllowlistAllowsWhatIsNotDenied() {
        ExecRules rules = new ExecRules(List.of(), List.of("wget"));
        assertThat(rules.decide(exec("/bin/cat", "/bin/busybox", "cat", "/etc/hostname")).allowed()).isTrue();
        Verdict v = rules.decide(exec("/bin/wget", "/bin/busybox", "wget", "http://x"));
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).contains("wget");
    }

    @Test
    void fullPathEntriesMatchOnlyThatPath() {
        ExecRules rules = new ExecRules(List.of(), List.of("/usr/bin/curl"));
        assertThat(rules.decide(exec("/usr/bin/curl", "/usr/bin/curl", "curl")).allowed()).isFalse();
        assertThat(rules.decide(exec("/opt/curl", "/opt/curl", "curl")).allowed())
                .as("a full-path entry is not a basename entry").isTrue();
    }

    @Test
    void basenameEntriesMatchAnyDirectoryAndTheResolvedTarget() {
        ExecRules rules = new ExecRules(List.of(), List.of("python3"));
        assertThat(rules.decide(exec("/opt/x/python3", null, "py")).allowed()).isFalse();
        assertThat(rules.decide(exec("/usr/bin/py", "/usr/bin/python3", "py")).allowed())
                .as("symlink resolved inside the container").isFalse();
    }

    @Test
    void denyWinsOverAllow() {
        ExecRules rules = new ExecRules(List.of("busybox", "/bin/wget"), List.of("wget"));
        assertThat(rules.decide(exec("/bin/wget", "/bin/busybox", "wget")).allowed()).isFalse();
        assertThat(rules.decide(exec("/bin/busybox", "/bin/busybox", "busybox", "ls")).allowed()).as("busybox itself is allowlisted").isTrue();
        assertThat(rules.decide(exec("/bin/busybox", "/bin/busybox", "dd")).allowed())
                .as("but not as a program argv[0] names that is not listed").isFalse();
    }

    @Test
    void allowlistRequiresThePathNotJustArgv0() {
        ExecRules rules = new ExecRules(List.of("cat"), List.of());
        assertThat(rules.decide(linkExec("/bin/cat", "/bin", "/bin/busybox", "cat")).allowed()).isTrue();
        assertThat(rules.decide(exec("/tmp/evil", "/tmp/evil", "cat")).allowed())
                .as("argv[0] is chosen by the caller").isFalse();
        assertThat(rules.decide(selfExec("/bin/busybox", "cat")).allowed())
                .as("a /proc/self/exe re-exec runs the applet named by argv[0]").isTrue();
        assertThat(rules.decide(selfExec("/bin/busybox", "wget")).allowed()).isFalse();
    }

    @Test
    void argv0SelectsTheAppletOfAMultiCallBinaryForTheDenylist() {
        ExecRules rules = new ExecRules(List.of(), List.of("wget"));
        assertThat(rules.decide(selfExec("/bin/busybox", "wget", "-O-", "http://x")).allowed()).isFalse();
        assertThat(rules.decide(exec("/bin/busybox", "/bin/busybox", "/usr/bin/wget")).allowed())
                .as("argv[0] given as a path").isFalse();
        assertThat(rules.decide(exec("/bin/busybox", "/bin/busybox")).allowed()).as("empty argv").isTrue();
    }

    @Test
    void badEntriesAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> new ExecRules(List.of(" "), List.of())).hasMessageContaining("exec_allowlist");
        assertThatThrownBy(() -> new ExecRules(List.of(), List.of("/bin/"))).hasMessageContaining("directory");
    }

    @Test
    void basenameHandlesEdgeCases() {
        assertThat(ExecRequest.basename("/usr/bin/x")).isEqualTo("x");
        assertThat(ExecRequest.basename("x")).isEqualTo("x");
        assertThat(ExecRequest.basename("/a/b/")).isEqualTo("b");
        assertThat(ExecRequest.basename("/")).isEqualTo("/");
    }

    // identity: what a basename entry of the allowlist may allow
    private static final List<String> WRITABLE = List.of("/workspace", "/tmp");
    private static final ExecRules RESTRICTED = new ExecRules(List.of("sh", "cat", "ls"), List.of("wget", "nsenter"), WRITABLE);

    @Test
    void aCopyInAWritableLocationNeverMatchesABasenameEntry() {
        Verdict v = RESTRICTED.decide(exec("/tmp/bin/cat", "/tmp/bin/cat", "/tmp/bin/cat", "mount"));
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).contains("not in exec_allowlist").contains("writable location /tmp").contains("full path");
        assertThat(RESTRICTED.decide(exec("/workspace/cat", "/workspace/cat", "cat")).allowed()).isFalse();
        assertThat(RESTRICTED.decide(exec("/workspace/git", "/workspace/git", "git")).allowed())
                .as("cp /bin/sh /workspace/git").isFalse();
        assertThat(RESTRICTED.decide(exec("/workspace", "/workspace", "cat")).allowed()).as("the location itself").isFalse();
    }

    @Test
    void theImagesBinaryMatchesByItsNameOrItsImageSymlinksName() {
        assertThat(RESTRICTED.decide(exec("/usr/bin/cat", "/usr/bin/cat", "cat", "/etc/hostname")).allowed()).isTrue();
        assertThat(RESTRICTED.decide(linkExec("/bin/cat", "/bin", "/bin/busybox", "cat", "x")).allowed()).isTrue();
        assertThat(RESTRICTED.decide(linkExec("/bin/dd", "/bin", "/bin/busybox", "dd")).allowed()).isFalse();
        assertThat(RESTRICTED.decide(exec("/tmpfoo/cat", "/tmpfoo/cat", "cat")).allowed()).as("/tmpfoo is not under /tmp").isTrue();
    }

    @Test
    void aSymlinkInAWritableLocationCountsAsTheFileItReaches() {
        Verdict v = RESTRICTED.decide(linkExec("/tmp/cat", "/tmp", "/usr/bin/nc.real", "cat"));
        assertThat(v.allowed()).as("an agent's /tmp/cat -> nc.real runs nc.real").isFalse();
        assertThat(v.reason()).contains("runs as nc.real");
        assertThat(RESTRICTED.decide(linkExec("/tmp/cat", "/tmp", "/tmp/bin/probe", "cat")).allowed()).isFalse();
        assertThat(RESTRICTED.decide(linkExec("/tmp/x", "/tmp", "/usr/bin/cat", "cat")).allowed())
                .as("the link's target is the image's cat").isTrue();
        assertThat(RESTRICTED.decide(linkExec("/bin/cat", null, "/bin/busybox", "cat")).allowed())
                .as("the link's directory could not be resolved: only the file's own name counts").isFalse();
    }

    @Test
    void argv0MustNameAnAllowedProgramForAMultiCallBinary() {
        Verdict v = RESTRICTED.decide(linkExec("/bin/cat", "/bin", "/bin/busybox", "dd", "if=/dev/zero"));
        assertThat(v.allowed()).as("busybox runs the applet argv[0] names").isFalse();
        assertThat(v.reason()).contains("argv[0] dd");
        assertThat(RESTRICTED.decide(linkExec("/bin/cat", "/bin", "/bin/busybox", "ls")).allowed()).as("another allowlisted name").isTrue();
        assertThat(RESTRICTED.decide(linkExec("/bin/sh", "/bin", "/bin/busybox", "-sh")).allowed()).as("a login shell").isTrue();
        assertThat(RESTRICTED.decide(linkExec("/bin/cat", "/bin", "/bin/busybox")).allowed()).as("empty argv").isTrue();
    }

    @Test
    void aSelfReexecIsJudgedByArgv0AndTheRunningBinarysLocation() {
        assertThat(RESTRICTED.decide(selfExec("/bin/busybox", "cat")).allowed()).isTrue();
        assertThat(RESTRICTED.decide(selfExec("/bin/busybox", "sleep", "0")).allowed()).isFalse();
        assertThat(RESTRICTED.decide(selfExec("/tmp/bin/cat", "cat")).allowed())
                .as("a copy re-executing itself is still a copy").isFalse();
    }

    @Test
    void anFdWithoutAPathOrAnUnresolvableFileNeedsAFullPathEntry() {
        assertThat(RESTRICTED.decide(exec("/memfd:cat (deleted)", null, "cat")).allowed()).isFalse();
        assertThat(RESTRICTED.decide(exec("/bin/cat", null, "cat")).allowed()).isFalse();
    }

    @Test
    void aFullPathEntryAllowsExactlyThatFileEvenInAWritableLocation() {
        ExecRules rules = new ExecRules(List.of("cat", "/workspace/tools/probe"), List.of(), WRITABLE);
        assertThat(rules.decide(exec("/workspace/tools/probe", "/workspace/tools/probe", "probe")).allowed()).isTrue();
        assertThat(rules.decide(linkExec("/tmp/p", "/tmp", "/workspace/tools/probe", "p")).allowed())
                .as("a link to the listed file reaches the listed file").isTrue();
        assertThat(rules.decide(exec("/workspace/tools2/probe", "/workspace/tools2/probe", "probe")).allowed()).isFalse();
        assertThat(rules.decide(exec("/workspace/tools/cat", "/workspace/tools/cat", "cat")).allowed()).isFalse();
    }

    @Test
    void theDenylistStillSeesEveryName() {
        assertThat(RESTRICTED.decide(linkExec("/tmp/nsenter", "/tmp", "/bin/busybox", "/tmp/nsenter")).reason())
                .contains("exec_denylist entry 'nsenter'");
        assertThat(RESTRICTED.decide(selfExec("/bin/busybox", "wget")).reason()).contains("exec_denylist entry 'wget'");
    }

    @Test
    void writableLocationsMustBeAbsolute() {
        assertThatThrownBy(() -> new ExecRules(List.of(), List.of(), List.of("tmp"))).hasMessageContaining("absolute");
    }
}
