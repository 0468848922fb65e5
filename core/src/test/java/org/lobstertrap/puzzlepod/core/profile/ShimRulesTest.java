package org.lobstertrap.puzzlepod.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The puzzle-init rules text per profile shape (the shipped profiles plus edge cases). */
class ShimRulesTest {
    private static ProfileRepository repo;

    @BeforeAll
    static void load() throws Exception { repo = ProfileRepository.load(ShippedProfilesTest.DIR); }

    private static List<String> directives(String text) {
        return Arrays.stream(text.split("\n")).filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void standardIsGatedWithLandlockRequiredAndNestedDeniesDropped() throws Exception {
        String text = ShimRules.forProfile(repo.get("standard"), "/workspace", OptionalInt.of(18080), "branch b1");
        List<String> d = directives(text);
        assertThat(d.getFirst()).isEqualTo("version 1");
        assertThat(d).contains("require landlock", "min-abi 1", "read /usr", "read /etc", "read /dev/zero",
                "write /workspace", "write /tmp", "write /dev/null", "tcp-connect 80 443 53 18080", "tcp-bind any",
                "scope signal abstract-unix");
        // write wins over read for the same path; each path once
        assertThat(d).doesNotContain("read /workspace", "read /tmp");
        assertThat(d.stream().filter(l -> l.equals("write /workspace")).count()).isEqualTo(1);
        // /etc/shadow lies beneath the allowed /etc: dropped, with the reason in a comment
        assertThat(d).doesNotContain("deny /etc/shadow");
        assertThat(text).contains("# deny /etc/shadow: dropped, it overlaps the allowed /etc");
        // outside every allow: kept as documentation of intent
        assertThat(d).contains("deny /root/.ssh", "deny /home", "deny /run/secrets", "deny /proc/kcore");
        assertThat(text.lines().findFirst().orElseThrow()).startsWith("# puzzle-init rules for branch b1, profile standard");
    }

    @Test
    void blockedProfileConnectsNowhere() throws Exception {
        List<String> d = directives(ShimRules.forProfile(repo.get("restricted"), "/workspace", OptionalInt.of(18080), "x"));
        assertThat(d).contains("tcp-connect none", "min-abi 3", "read /etc/ssl/certs", "deny /root", "deny /etc/shadow");
        assertThat(d).noneMatch(l -> l.startsWith("tcp-connect ") && !l.equals("tcp-connect none"));
    }

    @Test
    void unrestrictedAndMonitoredLeaveTcpOpenAndRootReadDropsEveryDeny() throws Exception {
        String privileged = ShimRules.forProfile(repo.get("privileged"), "/workspace", OptionalInt.empty(), "x");
        assertThat(directives(privileged)).contains("read /", "write /var/tmp", "tcp-connect any").noneMatch(l -> l.startsWith("deny "));
        assertThat(privileged).contains("# deny /etc/shadow: dropped, it overlaps the allowed /");
        assertThat(directives(ShimRules.forProfile(repo.get("web-scraper"), "/workspace", OptionalInt.empty(), "x")))
                .contains("tcp-connect any", "write /workspace", "write /workspace/output", "read /etc/resolv.conf");
    }

    @Test
    void gatedWithoutProxyPortAllowsOnlyTheSteeredPorts() throws Exception {
        assertThat(directives(ShimRules.forProfile(repo.get("standard"), "/workspace", OptionalInt.empty(), "x")))
                .contains("tcp-connect 80 443 53");
    }

    @Test
    void workspaceElsewhereIsWritableAndWithoutLandlockRequirementNoRequireLine() throws Exception {
        Profile p = with(repo.get("standard"), new FilesystemRules(List.of("/usr/"), List.of(), List.of("/srv/secret")), false, 0);
        List<String> d = directives(ShimRules.forProfile(p, "/src/project/", OptionalInt.empty(), "x"));
        assertThat(d).contains("write /src/project", "read /usr", "deny /srv/secret").doesNotContain("require landlock")
                .noneMatch(l -> l.startsWith("min-abi"));
    }

    @Test
    void pathsTheRulesFileCannotCarryAreRefused() throws Exception {
        for (String bad : List.of("relative", "/with space", "/a/../b", "/a//b", "/x#y", "/a/./b")) {
            Profile p = with(repo.get("standard"), new FilesystemRules(List.of(bad), List.of(), List.of()), true, 1);
            assertThatThrownBy(() -> ShimRules.forProfile(p, "/workspace", OptionalInt.empty(), "x"))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read_allowlist");
        }
        assertThatThrownBy(() -> ShimRules.forProfile(repo.get("standard"), "/workspace", OptionalInt.empty(), "a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tooManyRulesForTheShimAreRefused() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 70).mapToObj(i -> "/r" + i).toList();
        Profile p = with(repo.get("standard"), new FilesystemRules(many, List.of(), List.of()), true, 1);
        assertThatThrownBy(() -> ShimRules.forProfile(p, "/workspace", OptionalInt.empty(), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 63");
    }

    @Test
    void everyShippedProfileHasRules() throws Exception {
        for (Profile p : repo.list()) {
            List<String> d = directives(ShimRules.forProfile(p, "/workspace", OptionalInt.of(18080), p.name()));
            assertThat(d.getFirst()).as(p.name()).isEqualTo("version 1");
            assertThat(d).as(p.name()).contains("write /workspace").anyMatch(l -> l.startsWith("tcp-connect "));
        }
    }

    private static Profile with(Profile p, FilesystemRules fs, boolean landlock, int abi) {
        EnforcementRequirements e = p.enforcement();
        return new Profile(p.name(), p.description(), Optional.empty(), p.lineage(), p.failMode(), fs, p.execAllowlist(),
                p.execDenylist(), p.resourceLimits(), p.network(), p.behavioral(),
                new EnforcementRequirements(landlock, e.seccompRequired(), abi, e.networkIsolationRequired(), e.cgroupLimitsRequired()));
    }
}
