package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The splitter: own options only up front, podman's flags read with the 4.3 table to find IMAGE. */
class RunArgumentParserTest {
    static RunArguments parse(String... args) throws UsageException { return RunArgumentParser.parse(List.of(args)); }

    @Test
    void ownOptionsThenImageAndCommand() throws Exception {
        RunArguments a = parse("--profile", "restricted", "--base=/srv/p", "--workspace", "/work", "--auto-commit",
                "--runtime-dir", "/run/x", "img", "sh", "-c", "echo hi");
        assertThat(a.profile()).isEqualTo("restricted");
        assertThat(a.base()).contains("/srv/p");
        assertThat(a.workspace()).isEqualTo("/work");
        assertThat(a.onExit()).isEqualTo(OnExit.AUTO_COMMIT);
        assertThat(a.runtimeDir()).contains("/run/x");
        assertThat(a.podmanOptions()).isEmpty();
        assertThat(a.image()).isEqualTo("img");
        assertThat(a.command()).containsExactly("sh", "-c", "echo hi");
    }

    @Test
    void busIsRefusedWithTheWayToReachAnotherDaemonAndRuntimeDirMustBeAbsolute() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--bus", "unix:path=/x", "img"))
                .isInstanceOf(UsageException.class).hasMessageContaining("hook socket").hasMessageContaining("--runtime-dir DIR");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--runtime-dir", "run", "img"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--runtime-dir must be an absolute path");
    }

    @Test
    void defaults() throws Exception {
        RunArguments a = parse("img");
        assertThat(a.profile()).isEqualTo("standard");
        assertThat(a.base()).isEmpty();
        assertThat(a.workspace()).isEqualTo("/workspace");
        assertThat(a.onExit()).isEqualTo(OnExit.ASK);
        assertThat(a.command()).isEmpty();
        assertThat(a.detached()).isFalse();
    }

    @Test
    void ownOptionsAfterAPodmanOptionGoToPodmanAndAreRefusedAsUnknown() {
        assertThatThrownBy(() -> parse("--rm", "--profile", "x", "img"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--profile is a puzzle-podman option: give it before podman's options");
    }

    @Test
    void equalsFormAndSeparateValue() throws Exception {
        RunArguments a = parse("--name=x", "--env", "A=B", "img", "cmd");
        assertThat(a.flags()).containsExactly(new PodmanFlag("name", "x"), new PodmanFlag("env", "A=B"));
        assertThat(a.podmanOptions()).containsExactly("--name=x", "--env", "A=B");
        assertThat(a.image()).isEqualTo("img");
        assertThat(a.command()).containsExactly("cmd");
    }

    @Test
    void shortValueFlagTakesTheNextArgumentEvenWhenItLooksLikeAnImage() throws Exception {
        RunArguments a = parse("-e", "K=V", "-v", "/data:/data", "-w", "alpine", "busybox", "true");
        assertThat(a.flags()).containsExactly(new PodmanFlag("env", "K=V"), new PodmanFlag("volume", "/data:/data"),
                new PodmanFlag("workdir", "alpine"));
        assertThat(a.image()).isEqualTo("busybox");
        assertThat(a.command()).containsExactly("true");
    }

    @Test
    void clusteredSwitches() throws Exception {
        RunArguments a = parse("-it", "--rm", "img");
        assertThat(a.flags()).containsExactly(new PodmanFlag("interactive", null), new PodmanFlag("tty", null),
                new PodmanFlag("rm", null));
        assertThat(a.image()).isEqualTo("img");
    }

    @Test
    void clusterEndingInAValueFlag() throws Exception {
        RunArguments a = parse("-ite", "K=V", "img");
        assertThat(a.flags()).containsExactly(new PodmanFlag("interactive", null), new PodmanFlag("tty", null),
                new PodmanFlag("env", "K=V"));
        assertThat(a.image()).isEqualTo("img");
        RunArguments b = parse("-iteK=V", "img");
        assertThat(b.flags().getLast()).isEqualTo(new PodmanFlag("env", "K=V"));
        RunArguments c = parse("-e=K=V", "img");
        assertThat(c.flags()).containsExactly(new PodmanFlag("env", "K=V"));
    }

    @Test
    void dashHIsHostnameAsInPodman() throws Exception {
        RunArguments a = parse("-h", "box", "img");
        assertThat(a.flags()).containsExactly(new PodmanFlag("hostname", "box"));
        assertThat(a.image()).isEqualTo("img");
    }

    @Test
    void switchWithExplicitFalseDoesNotTakeTheNextArgument() throws Exception {
        RunArguments a = parse("--rm=false", "--detach=false", "img", "x");
        assertThat(a.detached()).isFalse();
        assertThat(a.image()).isEqualTo("img");
        RunArguments b = parse("--rm", "false");
        assertThat(b.image()).as("pflag switches never take a separate value").isEqualTo("false");
    }

    @Test
    void detached() throws Exception {
        assertThat(parse("-d", "img").detached()).isTrue();
        assertThat(parse("-dit", "img").detached()).isTrue();
        assertThat(parse("--detach", "img").detached()).isTrue();
        assertThat(parse("--detach=true", "img").detached()).isTrue();
    }

    @Test
    void doubleDashAfterOwnOptionsOnlyEndsThem() throws Exception {
        RunArguments a = parse("--auto-rollback", "--", "--rm", "img", "ls");
        assertThat(a.onExit()).isEqualTo(OnExit.AUTO_ROLLBACK);
        assertThat(a.podmanOptions()).containsExactly("--rm");
        assertThat(a.image()).isEqualTo("img");
        assertThat(a.command()).containsExactly("ls");
    }

    @Test
    void doubleDashAmongPodmanOptionsMarksTheImage() throws Exception {
        RunArguments a = parse("--rm", "--", "--weird", "-x");
        assertThat(a.podmanOptions()).containsExactly("--rm", "--");
        assertThat(a.endsWithDoubleDash()).isTrue();
        assertThat(a.image()).isEqualTo("--weird");
        assertThat(a.command()).containsExactly("-x");
    }

    @Test
    void commandArgumentsThatLookLikeFlagsStayWithTheCommand() throws Exception {
        RunArguments a = parse("img", "--profile", "x", "-v", "--rm");
        assertThat(a.command()).containsExactly("--profile", "x", "-v", "--rm");
        assertThat(a.flags()).isEmpty();
    }

    @Test
    void imageWithRegistryTagAndDigest() throws Exception {
        assertThat(parse("--name", "n", "localhost:5000/a/b:1.2@sha256:ab", "x").image())
                .isEqualTo("localhost:5000/a/b:1.2@sha256:ab");
    }

    @Test
    void valueThatLooksLikeAFlag() throws Exception {
        RunArguments a = parse("--entrypoint", "--rm", "img");
        assertThat(a.flags()).containsExactly(new PodmanFlag("entrypoint", "--rm"));
        assertThat(a.image()).isEqualTo("img");
    }

    @Test
    void helpAnywhereBeforeTheImage() throws Exception {
        assertThat(parse("--help").help()).isTrue();
        assertThat(parse("--profile", "x", "--help").help()).isTrue();
        assertThat(parse("-it", "--help").help()).isTrue();
        assertThat(parse("img", "--help").help()).as("after IMAGE it belongs to the command").isFalse();
    }

    @Test
    void mistakes() {
        assertThatThrownBy(() -> parse()).hasMessageContaining("no IMAGE");
        assertThatThrownBy(() -> parse("--rm")).hasMessageContaining("no IMAGE");
        assertThatThrownBy(() -> parse("--profile")).hasMessageContaining("--profile needs a value");
        assertThatThrownBy(() -> parse("--profile=", "img")).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> parse("--name")).hasMessageContaining("--name needs a value");
        assertThatThrownBy(() -> parse("-e")).hasMessageContaining("-e (--env) needs a value");
        assertThatThrownBy(() -> parse("--auto-commit", "--auto-rollback", "img")).hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> parse("--auto-commit=yes", "img")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> parse("--no-such-flag", "img")).hasMessageContaining("unknown podman run option --no-such-flag");
        assertThatThrownBy(() -> parse("-Z", "img")).hasMessageContaining("unknown podman run option -Z");
        assertThatThrownBy(() -> parse("--rm", "--")).hasMessageContaining("no IMAGE after '--'");
        assertThatThrownBy(() -> parse("--workspace", "rel", "img")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> parse("--workspace", "/a:b", "img")).hasMessageContaining("without ':'");
    }
}
