package org.lobstertrap.puzzlepod.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecRuleTest {
    @Test
    void bareNameMatchesTheBasenameInAnyDirectory() {
        ExecRule git = new ExecRule("git");
        assertThat(git.isPath()).isFalse();
        assertThat(git.matches("/usr/bin/git")).isTrue();
        assertThat(git.matches("/opt/tools/bin/git")).isTrue();
        assertThat(git.matches("git")).isTrue();
        assertThat(git.matches("/usr/bin/git-upload-pack")).isFalse();
        assertThat(git.matches("/usr/bin/legit")).isFalse();
        assertThat(git.matches("/git/bin/sh")).isFalse();
        assertThat(git.matches("")).isFalse();
        assertThat(git.matches(null)).isFalse();
    }

    @Test
    void absolutePathMatchesOnlyThatPath() {
        ExecRule sh = new ExecRule("/bin/sh");
        assertThat(sh.isPath()).isTrue();
        assertThat(sh.matches("/bin/sh")).isTrue();
        assertThat(sh.matches("/usr/bin/sh")).isFalse();
        assertThat(sh.matches("sh")).isFalse();
        assertThat(sh.matches("/bin/sh2")).isFalse();
    }

    @Test
    void relativePathsAreRefused() {
        assertThatThrownBy(() -> new ExecRule("bin/sh")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("exec rule 'bin/sh' must be an absolute path or a bare program name");
        assertThatThrownBy(() -> new ExecRule("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void denylistWinsOverAllowlist() {
        Profile p = new Profile("x", "", java.util.Optional.empty(), java.util.List.of("x"), FailMode.CLOSED,
                new FilesystemRules(java.util.List.of(), java.util.List.of(), java.util.List.of()),
                java.util.List.of(new ExecRule("sh"), new ExecRule("curl")), java.util.List.of(new ExecRule("/usr/bin/curl")),
                ProfileDefaults.INSTANCE.limits(), ProfileDefaults.INSTANCE.network(),
                ProfileDefaults.INSTANCE.behavioral(), ProfileDefaults.INSTANCE.enforcement());
        assertThat(p.mayExecute("/bin/sh")).isTrue();
        assertThat(p.mayExecute("/usr/bin/curl")).isFalse();
        assertThat(p.mayExecute("/usr/local/bin/curl")).isTrue();
        assertThat(p.mayExecute("/bin/ls")).isFalse();
    }
}
