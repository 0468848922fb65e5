package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.core.profile.ProfileRepository;

/** Each shipped profile's network mode and exec lists become the supervisor's policy. */
class ProfileSyscallPoliciesTest {
    static final InetSocketAddress PROXY = new InetSocketAddress("10.88.0.1", 18080);
    static final GovernedContainer C = new GovernedContainer("c", 1, "b");

    static ExecRequest exec(String path) {
        return new ExecRequest(path, path, List.of(path.substring(path.lastIndexOf('/') + 1)), false, false);
    }

    @Test
    void modesAndListsFollowTheProfile() throws Exception {
        ProfileRepository repo = ProfileRepository.load(Path.of("..", "profiles"));
        assertThat(ProfileSyscallPolicies.of(repo.get("standard"), PROXY).network()).isEqualTo(NetworkMode.GATED);
        assertThat(ProfileSyscallPolicies.of(repo.get("standard"), PROXY).proxy()).isEqualTo(PROXY);
        assertThat(ProfileSyscallPolicies.of(repo.get("restricted"), null).network()).isEqualTo(NetworkMode.BLOCKED);
        assertThat(ProfileSyscallPolicies.of(repo.get("web-scraper"), null).network()).isEqualTo(NetworkMode.MONITORED);
        StandardSyscallPolicy privileged = ProfileSyscallPolicies.of(repo.get("privileged"), PROXY);
        assertThat(privileged.network()).isEqualTo(NetworkMode.UNRESTRICTED);
        assertThat(privileged.proxy()).as("only Gated keeps the proxy").isNull();

        StandardSyscallPolicy restricted = ProfileSyscallPolicies.of(repo.get("restricted"), null);
        assertThat(restricted.decideExec(C, exec("/bin/sh")).allowed()).isTrue();
        assertThat(restricted.decideExec(C, exec("/usr/bin/curl")).allowed()).as("denylisted").isFalse();
        assertThat(restricted.decideExec(C, exec("/usr/bin/python3")).allowed()).as("not in the allowlist").isFalse();
        assertThat(ProfileSyscallPolicies.of(repo.get("standard"), PROXY).decideExec(C, exec("/workspace/nsenter")).allowed()).isFalse();
    }

    @Test
    void theWorkspaceAndTheWriteAllowlistAreWritableLocationsAlsoAsTheyResolveInTheContainer() throws Exception {
        ProfileRepository repo = ProfileRepository.load(Path.of("..", "profiles"));
        StandardSyscallPolicy restricted = ProfileSyscallPolicies.of(repo.get("restricted"), null, "/work");
        assertThat(restricted.decideExec(C, exec("/work/cat")).allowed()).as("the workspace").isFalse();
        assertThat(restricted.decideExec(C, exec("/tmp/cat")).allowed()).as("write_allowlist").isFalse();
        assertThat(restricted.decideExec(C, exec("/usr/bin/cat")).allowed()).isTrue();

        // a workspace path that is a symlink: Landlock grants its target, so its target is writable too
        // in /var/tmp: restricted's write_allowlist names /tmp, and a checkout (its target dir) may well be below /tmp
        Path tmp = java.nio.file.Files.createTempDirectory(Path.of("/var/tmp"), "puzzlepod-writable");
        try {
            Path real = java.nio.file.Files.createDirectories(tmp.resolve("real"));
            Path link = java.nio.file.Files.createSymbolicLink(tmp.resolve("link"), real);
            String copy = real.resolve("cat").toString();
            int self = (int) ProcessHandle.current().pid();
            assertThat(ProfileSyscallPolicies.of(repo.get("restricted"), null, link.toString(), 0).decideExec(C, exec(copy)).allowed())
                    .as("without the container's root only the written path is known").isTrue();
            assertThat(ProfileSyscallPolicies.of(repo.get("restricted"), null, link.toString(), self).decideExec(C, exec(copy)).allowed())
                    .as("resolved in the (here: this process's) root").isFalse();
        } finally {
            java.nio.file.Files.deleteIfExists(tmp.resolve("link"));
            java.nio.file.Files.deleteIfExists(tmp.resolve("real"));
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    @Test
    void aGatedProfileNeedsTheProxy() throws Exception {
        ProfileRepository repo = ProfileRepository.load(Path.of("..", "profiles"));
        assertThatThrownBy(() -> ProfileSyscallPolicies.of(repo.get("standard"), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("proxy");
    }
}
