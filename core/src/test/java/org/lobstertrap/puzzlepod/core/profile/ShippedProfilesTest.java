package org.lobstertrap.puzzlepod.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The profiles shipped in {@code profiles/} at the repository root. */
class ShippedProfilesTest {
    static final Path DIR = Path.of("..", "profiles");

    @Test
    void everyShippedProfileLoadsAndValidates() throws Exception {
        assertThat(DIR).as("shipped profiles directory (run from the core module)").isDirectory();
        ProfileRepository repo = ProfileRepository.load(DIR);
        List<String> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - 5)).sorted().toList();
        }
        assertThat(repo.names()).isEqualTo(files);
        assertThat(files).hasSizeGreaterThanOrEqualTo(20).contains(
                "restricted", "standard", "privileged", "edge-minimal", "code-assistant", "code-reviewer",
                "ci-runner", "test-runner", "data-analyst", "devops-automation", "safety-critical", "web-scraper",
                "doc-writer", "security-auditor", "dependency-updater", "database-migrator", "ml-trainer",
                "research-assistant", "customer-support", "infra-readonly", "code-assistant-python");
        for (String f : files) {
            Profile p = ProfileRepository.validateFile(DIR.resolve(f + ".yaml"));
            assertThat(p).as(f).isEqualTo(repo.get(f));
            assertThat(p.description()).as(f + " description").isNotBlank();
        }
    }

    @Test
    void rolesAreDistinct() throws Exception {
        ProfileRepository repo = ProfileRepository.load(DIR);
        Set<String> shapes = new HashSet<>();
        for (Profile p : repo.list())
            assertThat(shapes.add(p.network().mode() + "|" + p.resourceLimits() + "|" + p.execAllowlist()))
                    .as(p.name() + " duplicates another profile").isTrue();
        assertThat(repo.get("restricted").network().mode()).isEqualTo(NetworkMode.Blocked);
        assertThat(repo.get("privileged").network().mode()).isEqualTo(NetworkMode.Unrestricted);
        assertThat(repo.get("web-scraper").network().mode()).isEqualTo(NetworkMode.Monitored);
        assertThat(repo.get("standard").network().mode()).isEqualTo(NetworkMode.Gated);
        assertThat(repo.get("safety-critical").failMode()).isEqualTo(FailMode.SAFE_STATE);
        assertThat(repo.get("restricted").mayExecute("/usr/bin/curl")).isFalse();
        assertThat(repo.get("code-assistant").mayExecute("/usr/bin/git")).isTrue();
        assertThat(repo.get("code-assistant").mayExecute("/usr/sbin/nsenter")).isFalse();
    }

    @Test
    void inheritanceExampleResolvesAgainstItsParent() throws Exception {
        ProfileRepository repo = ProfileRepository.load(DIR);
        Profile child = repo.get("code-assistant-python");
        Profile parent = repo.get("code-assistant");
        assertThat(child.extendsName()).contains("code-assistant");
        assertThat(child.lineage()).containsExactly("code-assistant-python", "code-assistant");
        assertThat(child.resourceLimits().memoryBytes()).isEqualTo(2L << 30);
        assertThat(child.resourceLimits().maxPids()).isEqualTo(parent.resourceLimits().maxPids());
        assertThat(child.execDenylist()).isEqualTo(parent.execDenylist());
        assertThat(child.filesystem()).isEqualTo(parent.filesystem());
        assertThat(child.network().mode()).isEqualTo(NetworkMode.Gated);
        assertThat(child.network().allowedDomains()).containsExactly("pypi.org", "files.pythonhosted.org", "github.com");
        assertThat(child.mayExecute("/usr/bin/pytest")).isTrue();
        assertThat(child.mayExecute("/usr/bin/cargo")).isFalse();
    }

    @Test
    void resolvedProfileAsPolicyInput() throws Exception {
        Profile p = ProfileRepository.load(DIR).get("code-assistant-python");
        var tree = ProfileJson.toTree(p);
        assertThat(tree.get("name").asText()).isEqualTo("code-assistant-python");
        assertThat(tree.get("extends").asText()).isEqualTo("code-assistant");
        assertThat(tree.at("/resource_limits/memory_bytes").asLong()).isEqualTo(2L << 30);
        assertThat(tree.at("/network/mode").asText()).isEqualTo("Gated");
        assertThat(tree.at("/fail_mode").asText()).isEqualTo("closed");
    }
}
