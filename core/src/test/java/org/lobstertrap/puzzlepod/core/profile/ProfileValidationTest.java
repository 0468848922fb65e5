package org.lobstertrap.puzzlepod.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every schema rule has a failing example whose exact message is asserted. */
class ProfileValidationTest {
    @TempDir Path dir;

    private ProfileException fails(String body) throws Exception {
        return fails("p", ("name: p\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    private ProfileException fails(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        Files.write(f, content);
        ProfileException e = catchThrowableOfType(ProfileException.class, () -> ProfileRepository.validateFile(f));
        assertThat(e).as("expected %s to be refused", name).isNotNull();
        return e;
    }

    @Test
    void minimalProfileGetsDefaults() throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "name: p\n");
        Profile p = ProfileRepository.validateFile(f);
        assertThat(p.failMode()).isEqualTo(FailMode.CLOSED);
        assertThat(p.network()).isEqualTo(new NetworkRules(NetworkMode.Blocked, java.util.List.of()));
        assertThat(p.resourceLimits()).isEqualTo(new ResourceLimits(1L << 30, 1024, 100, 256, 1024, 100_000));
        assertThat(p.resourceLimits().storageQuotaBytes()).isEqualTo(1024L << 20);
        assertThat(p.enforcement().landlockRequired()).isTrue();
        assertThat(p.execAllowlist()).isEmpty();
        assertThat(p.extendsName()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        unknown top-level key     | colour: red                                       | p.yaml: colour: unknown key
        unknown filesystem key    | 'filesystem: {wrte_allowlist: [/workspace]}'       | p.yaml: filesystem.wrte_allowlist: unknown key
        unknown limits key        | 'resource_limits: {memory: 1048576}'               | p.yaml: resource_limits.memory: unknown key
        unknown network key       | 'network: {mode: Gated, domains: [a.com]}'         | p.yaml: network.domains: unknown key
        unknown behavioral key    | 'behavioral: {max_writes: 3}'                      | p.yaml: behavioral.max_writes: unknown key
        unknown enforcement key   | 'enforcement_requirements: {apparmor: true}'       | p.yaml: enforcement_requirements.apparmor: unknown key
        memory is a string        | 'resource_limits: {memory_bytes: 1G}'              | p.yaml: resource_limits.memory_bytes: must be an integer but is a string
        memory is a decimal       | 'resource_limits: {memory_bytes: 1048576.5}'       | p.yaml: resource_limits.memory_bytes: must be an integer but is a decimal number
        memory below 1 MiB        | 'resource_limits: {memory_bytes: 1000}'            | p.yaml: resource_limits.memory_bytes: must be at least 1048576 (is 1000)
        pids zero                 | 'resource_limits: {max_pids: 0}'                   | p.yaml: resource_limits.max_pids: must be at least 1 (is 0)
        storage quota negative    | 'resource_limits: {storage_quota_mb: -1}'          | p.yaml: resource_limits.storage_quota_mb: must be at least 0 (is -1)
        inode quota negative      | 'resource_limits: {inode_quota: -5}'               | p.yaml: resource_limits.inode_quota: must be at least 0 (is -5)
        cpu shares too high       | 'resource_limits: {cpu_shares: 300000}'            | p.yaml: resource_limits.cpu_shares: must be at most 262144 (is 300000)
        io weight zero            | 'resource_limits: {io_weight: 0}'                  | p.yaml: resource_limits.io_weight: must be at least 1 (is 0)
        deletions negative        | 'behavioral: {max_deletions: -1}'                  | p.yaml: behavioral.max_deletions: must be at least 0 (is -1)
        alert not boolean         | 'behavioral: {credential_access_alert: 1}'         | p.yaml: behavioral.credential_access_alert: must be a boolean but is an integer
        landlock abi zero         | 'enforcement_requirements: {min_landlock_abi: 0}'  | p.yaml: enforcement_requirements.min_landlock_abi: must be at least 1 (is 0)
        fail mode unknown         | 'fail_mode: open'                                  | p.yaml: fail_mode: must be one of closed, silent, operational, safe-state (is 'open')
        network mode lowercase    | 'network: {mode: blocked}'                         | p.yaml: network.mode: must be one of Blocked, Gated, Monitored, Unrestricted (is 'blocked')
        list given as string      | 'exec_allowlist: sh'                               | p.yaml: exec_allowlist: must be a list but is a string
        object given as list      | 'filesystem: [/workspace]'                         | p.yaml: filesystem: must be a mapping but is a list
        list entry not a string   | 'exec_denylist: [sudo, 42]'                        | p.yaml: exec_denylist[1]: must be a string but is an integer
        empty list entry          | 'exec_denylist: [""]'                              | p.yaml: exec_denylist[0]: must not be empty
        extends not a name        | 'extends: ../standard'                             | p.yaml: extends: must be lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters (is '../standard')
        relative path             | 'filesystem: {read_allowlist: [workspace]}'        | p.yaml: filesystem.read_allowlist[0]: 'workspace' is not an absolute path
        dot-dot path              | 'filesystem: {write_allowlist: [/workspace/../etc]}' | p.yaml: filesystem.write_allowlist[0]: '/workspace/../etc' contains '..'
        double slash              | 'filesystem: {denylist: [/etc//shadow]}'           | p.yaml: filesystem.denylist[0]: '/etc//shadow' is not normalised (empty or '.' segment)
        dot segment               | 'filesystem: {denylist: [/etc/./shadow]}'          | p.yaml: filesystem.denylist[0]: '/etc/./shadow' is not normalised (empty or '.' segment)
        trailing slash            | 'filesystem: {denylist: [/etc/]}'                  | p.yaml: filesystem.denylist[0]: '/etc/' is not normalised (trailing '/')
        exec relative path        | 'exec_allowlist: [bin/sh]'                         | p.yaml: exec_allowlist[0]: 'bin/sh' must be an absolute path or a bare program name
        exec dot-dot path         | 'exec_denylist: [/usr/../bin/sh]'                  | p.yaml: exec_denylist[0]: '/usr/../bin/sh' contains '..'
        wildcard inside           | 'network: {mode: Gated, allowed_domains: [api.*.example.com]}' | p.yaml: network.allowed_domains[0]: 'api.*.example.com': '*' is only allowed as the whole leftmost label ('*.example.com')
        wildcard partial label    | 'network: {mode: Gated, allowed_domains: ["*api.example.com"]}' | p.yaml: network.allowed_domains[0]: '*api.example.com': '*' is only allowed as the whole leftmost label ('*.example.com')
        port out of range         | 'network: {mode: Gated, allowed_domains: [example.com:70000]}' | p.yaml: network.allowed_domains[0]: 'example.com:70000' has port 70000 outside 1-65535
        port zero                 | 'network: {mode: Gated, allowed_domains: [example.com:0]}' | p.yaml: network.allowed_domains[0]: 'example.com:0' has port 0 outside 1-65535
        port not numeric          | 'network: {mode: Gated, allowed_domains: [example.com:https]}' | p.yaml: network.allowed_domains[0]: 'example.com:https' has an invalid port 'https'
        bad domain label          | 'network: {mode: Gated, allowed_domains: [exa_mple.com]}' | p.yaml: network.allowed_domains[0]: 'exa_mple.com' is not a valid domain name (labels are lowercase letters, digits and inner '-')
        domain without dot        | 'network: {mode: Gated, allowed_domains: [localhost]}' | p.yaml: network.allowed_domains[0]: 'localhost' is not a fully qualified domain name (needs a dot)
        blocked with domains      | 'network: {mode: Blocked, allowed_domains: [pypi.org]}' | p.yaml: network.allowed_domains: must be empty when network.mode is Blocked
        """)
    void schemaRuleRefusesWithExactMessage(String rule, String body, String message) throws Exception {
        ProfileException e = fails(body + "\n");
        assertThat(e.code()).isEqualTo(ProfileException.Code.SCHEMA);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() throws Exception {
        ProfileException e = fails("colour: red\nresource_limits: {max_pids: 0}\n");
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "p.yaml: colour: unknown key",
                "p.yaml: resource_limits.max_pids: must be at least 1 (is 0)");
    }

    @Test
    void descriptionTooLong() throws Exception {
        ProfileException e = fails("description: '" + "x".repeat(1001) + "'\n");
        assertThat(e.getMessage()).isEqualTo("p.yaml: description: longer than 1000 characters");
    }

    @Test
    void listTooLong() throws Exception {
        String entries = String.join(", ", java.util.Collections.nCopies(1001, "sh"));
        ProfileException e = fails("exec_allowlist: [" + entries + "]\n");
        assertThat(e.getMessage()).isEqualTo("p.yaml: exec_allowlist: at most 1000 entries allowed");
    }

    @Test
    void nameIsRequired() throws Exception {
        ProfileException e = fails("p", "description: nameless\n".getBytes(StandardCharsets.UTF_8));
        assertThat(e.getMessage()).isEqualTo("p.yaml: name: required key is missing");
    }

    @Test
    void nameMustBeAValidName() throws Exception {
        ProfileException e = fails("p", "name: 'P!'\n".getBytes(StandardCharsets.UTF_8));
        assertThat(e.getMessage()).isEqualTo("p.yaml: name: must be lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters (is 'P!')");
    }

    @Test
    void nameMustMatchFileName() throws Exception {
        ProfileException e = fails("standard", "name: privileged\n".getBytes(StandardCharsets.UTF_8));
        assertThat(e.code()).isEqualTo(ProfileException.Code.NAME_MISMATCH);
        assertThat(e.getMessage()).isEqualTo("standard.yaml: name: 'privileged' does not match the file name (expected 'standard')");
    }

    @Test
    void wildcardAndPortFormsAreAccepted() throws Exception {
        Path f = dir.resolve("p.yaml");
        Files.writeString(f, "name: p\nnetwork: {mode: Gated, allowed_domains: ['*.example.com', 'api.example.com:8443', 'a-b.c9.io']}\n");
        assertThat(ProfileRepository.validateFile(f).network().allowedDomains())
                .containsExactly("*.example.com", "api.example.com:8443", "a-b.c9.io");
    }
}
