package org.lobstertrap.puzzlepod.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileInheritanceTest {
    @TempDir Path dir;

    private void write(String name, String body) throws Exception {
        Files.writeString(dir.resolve(name + ".yaml"), "name: " + name + "\n" + body);
    }

    private ProfileException loadFails() {
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileRepository.load(dir));
        assertThat(e).as("expected the directory to be refused").isNotNull();
        return e;
    }

    @Test
    void depthThreeIsAllowed() throws Exception {
        write("d", "resource_limits: {max_pids: 7}\n");
        write("c", "extends: d\n");
        write("b", "extends: c\n");
        write("a", "extends: b\n");
        ProfileRepository repo = ProfileRepository.load(dir);
        Profile a = repo.get("a");
        assertThat(a.lineage()).containsExactly("a", "b", "c", "d");
        assertThat(a.extendsName()).contains("b");
        assertThat(a.resourceLimits().maxPids()).isEqualTo(7);
        assertThat(ProfileRepository.validateFile(dir.resolve("a.yaml"))).isEqualTo(a);
    }

    @Test
    void depthFourIsRefused() throws Exception {
        write("d", "");
        write("c", "extends: d\n");
        write("b", "extends: c\n");
        write("a", "extends: b\n");
        write("e", "extends: a\n");
        ProfileException e = loadFails();
        assertThat(e.code()).isEqualTo(ProfileException.Code.INHERITANCE);
        assertThat(e.getMessage()).isEqualTo("e.yaml: extends: inheritance chain e -> a -> b -> c -> d is deeper than 3 levels");
        ProfileException single = catchThrowableOfType(ProfileException.class, () -> ProfileRepository.validateFile(dir.resolve("e.yaml")));
        assertThat(single.getMessage()).isEqualTo(e.getMessage());
    }

    @Test
    void cycleIsRefusedAndPrinted() throws Exception {
        write("x", "extends: y\n");
        write("y", "extends: z\n");
        write("z", "extends: x\n");
        ProfileException e = loadFails();
        assertThat(e.code()).isEqualTo(ProfileException.Code.INHERITANCE);
        assertThat(e.problems()).containsExactly(
                "x.yaml: extends: inheritance cycle x -> y -> z -> x",
                "y.yaml: extends: inheritance cycle y -> z -> x -> y",
                "z.yaml: extends: inheritance cycle z -> x -> y -> z");
    }

    @Test
    void selfExtensionIsRefused() throws Exception {
        write("s", "extends: s\n");
        assertThat(loadFails().getMessage()).isEqualTo("s.yaml: extends: a profile cannot extend itself");
    }

    @Test
    void missingParentIsRefused() throws Exception {
        write("a", "extends: nope\n");
        ProfileException e = loadFails();
        assertThat(e.code()).isEqualTo(ProfileException.Code.INHERITANCE);
        assertThat(e.getMessage()).isEqualTo("a.yaml: extends: parent profile 'nope' not found");
    }

    @Test
    void brokenParentIsReportedAsBroken() throws Exception {
        write("base", "fail_mode: open\n");
        write("child", "extends: base\n");
        ProfileException e = loadFails();
        assertThat(e.problems()).containsExactly(
                "base.yaml: fail_mode: must be one of closed, silent, operational, safe-state (is 'open')",
                "child.yaml: extends: parent profile 'base' is itself invalid");
        ProfileException single = catchThrowableOfType(ProfileException.class, () -> ProfileRepository.validateFile(dir.resolve("child.yaml")));
        assertThat(single.getMessage()).isEqualTo("base.yaml: fail_mode: must be one of closed, silent, operational, safe-state (is 'open')");
    }

    @Test
    void listsInheritWhenAbsentOrEmptyAndAreReplacedOtherwise() throws Exception {
        write("base", """
                exec_allowlist: [sh, git]
                exec_denylist: [sudo]
                filesystem: {read_allowlist: [/workspace, /usr], write_allowlist: [/workspace], denylist: [/etc/shadow]}
                network: {mode: Gated, allowed_domains: [pypi.org, github.com]}
                """);
        write("child", """
                extends: base
                exec_allowlist: []
                filesystem: {write_allowlist: [/tmp], denylist: []}
                network: {allowed_domains: [crates.io]}
                """);
        Profile c = ProfileRepository.load(dir).get("child");
        assertThat(c.execAllowlist()).extracting(ExecRule::pattern).containsExactly("sh", "git");
        assertThat(c.execDenylist()).extracting(ExecRule::pattern).containsExactly("sudo");
        assertThat(c.filesystem()).isEqualTo(new FilesystemRules(List.of("/workspace", "/usr"), List.of("/tmp"), List.of("/etc/shadow")));
        assertThat(c.network()).isEqualTo(new NetworkRules(NetworkMode.Gated, List.of("crates.io")));
    }

    @Test
    void scalarsOverrideAndObjectsMergeKeyWise() throws Exception {
        write("base", """
                description: the base
                fail_mode: operational
                resource_limits: {memory_bytes: 2097152, max_pids: 10, storage_quota_mb: 5}
                behavioral: {max_deletions: 3, credential_access_alert: false}
                enforcement_requirements: {min_landlock_abi: 4}
                """);
        write("mid", """
                extends: base
                fail_mode: safe-state
                resource_limits: {max_pids: 20}
                """);
        write("leaf", """
                extends: mid
                description: the leaf
                resource_limits: {storage_quota_mb: 0}
                behavioral: {credential_access_alert: true}
                """);
        Profile leaf = ProfileRepository.load(dir).get("leaf");
        assertThat(leaf.description()).isEqualTo("the leaf");
        assertThat(leaf.failMode()).isEqualTo(FailMode.SAFE_STATE);
        assertThat(leaf.resourceLimits()).isEqualTo(new ResourceLimits(2097152, 1024, 100, 20, 0, 100_000));
        assertThat(leaf.behavioral()).isEqualTo(new BehavioralLimits(3, 10_000, true));
        assertThat(leaf.enforcement().minLandlockAbi()).isEqualTo(4);
        Profile mid = ProfileRepository.load(dir).get("mid");
        assertThat(mid.description()).isEqualTo("the base");
        assertThat(mid.behavioral().credentialAccessAlert()).isFalse();
    }

    @Test
    void reloadKeepsTheOldProfilesWhenAFileBreaks() throws Exception {
        write("a", "fail_mode: silent\n");
        ProfileRepository repo = ProfileRepository.load(dir);
        write("a", "fail_mode: nonsense\n");
        ProfileException e = catchThrowableOfType(ProfileException.class, repo::reload);
        assertThat(e.getMessage()).isEqualTo("a.yaml: fail_mode: must be one of closed, silent, operational, safe-state (is 'nonsense')");
        assertThat(repo.get("a").failMode()).isEqualTo(FailMode.SILENT);
        write("a", "fail_mode: operational\n");
        write("b", "extends: a\n");
        repo.reload();
        assertThat(repo.names()).containsExactly("a", "b");
        assertThat(repo.get("b").failMode()).isEqualTo(FailMode.OPERATIONAL);
    }

    @Test
    void unknownProfileIsNotFound() throws Exception {
        write("a", "");
        ProfileRepository repo = ProfileRepository.load(dir);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> repo.get("zzz"));
        assertThat(e.code()).isEqualTo(ProfileException.Code.NOT_FOUND);
        assertThat(e.getMessage()).isEqualTo("no profile named 'zzz' in " + dir.getFileName() + " (have: a)");
        assertThat(repo.find("zzz")).isEmpty();
    }
}
