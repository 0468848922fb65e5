package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecRulesTest {
    private static ExecRequest exec(String path, String resolved, String... argv) {
        return new ExecRequest(path, resolved, List.of(argv), false, false);
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
        assertThat(rules.decide(exec("/bin/cat", "/bin/busybox", "cat")).allowed()).isTrue();
    }

    @Test
    void allowlistRequiresThePathNotJustArgv0() {
        ExecRules rules = new ExecRules(List.of("cat"), List.of());
        assertThat(rules.decide(exec("/bin/cat", "/bin/busybox", "cat")).allowed()).isTrue();
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
}
