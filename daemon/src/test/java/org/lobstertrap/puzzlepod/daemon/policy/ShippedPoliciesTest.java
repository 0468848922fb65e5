package org.lobstertrap.puzzlepod.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.lobstertrap.puzzlepod.daemon.policy.CommitPolicyFixture.decide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lobstertrap.puzzlepod.daemon.policy.CommitPolicyFixture.Decision;
import org.lobstertrap.puzzlepod.daemon.policy.CommitPolicyFixture.Input;
import org.lobstertrap.puzzlepod.rego.PreparedPolicy;
import org.lobstertrap.puzzlepod.rego.RegoEngine;
import org.lobstertrap.puzzlepod.rego.RegoException;

/** The shipped commit policies through the real Rego engine: every rule fires when it should and only then. */
class ShippedPoliciesTest {
    static PreparedPolicy policy;

    @BeforeAll
    static void load() throws Exception {
        policy = CommitPolicyFixture.load();
    }

    private static Decision decide1(Input in) throws RegoException { return decide(policy, in); }

    private static void assertBlockedBy(Input in, String rule) throws RegoException {
        Decision d = decide1(in);
        assertThat(d.violationRules()).as("violations").contains(rule);
        assertThat(d.allow()).as("allow").isFalse();
        for (Map<String, Object> v : d.violations()) {
            assertThat(v).containsOnlyKeys("rule", "message", "severity");
            assertThat((String) v.get("message")).isNotBlank();
            assertThat(v.get("severity")).isIn("critical", "high", "medium");
        }
    }

    private static void assertAllowed(Input in) throws RegoException {
        Decision d = decide1(in);
        assertThat(d.violations()).as("violations").isEmpty();
        assertThat(d.allow()).as("allow").isTrue();
    }

    @Test
    void everyPolicyFileParsesAndAllCompileTogether() throws Exception {
        List<Path> files = CommitPolicyFixture.files();
        assertThat(files).extracting(p -> p.getFileName().toString()).contains(
                "commit.rego", "sensitive_files.rego", "persistence.rego", "permissions.rego", "links.rego",
                "special_files.rego", "paths.rego", "quotas.rego");
        for (Path f : files) {
            try {
                new RegoEngine().addModule(f.getFileName().toString(), Files.readString(f));
            } catch (RegoException e) {
                fail(f.getFileName() + " does not parse: " + e.getMessage());
            }
        }
        try {
            CommitPolicyFixture.load();
        } catch (RegoException e) {
            fail("the shipped policies do not compile (a builtin missing from the engine?): " + e.getMessage());
        }
        Decision empty = decide1(Input.of());
        assertThat(empty.allow()).isTrue();
        assertThat(empty.violations()).isEmpty();
        assertThat(empty.warnings()).isEmpty();
    }

    @Test
    void aRealLookingProjectCommitsCleanly() throws Exception {
        Input in = Input.of()
                .dir("src").dir("src/app").dir("tests").dir("docs").dir("bin").dir(".github").dir(".github/workflows")
                .dir("etc").dir("tmp").dir("lib")
                .file("src/app/__init__.py").file("src/app/main.py").file("src/app/tokenizer.py")
                .file("src/app/keyboard.py").file("src/app/credentials_form.py").file("src/app/profile.py")
                .file("tests/test_main.py").file("tests/conftest.py")
                .file("docs/index.md").file("docs/environment.md").file("docs/cron.md")
                .file("bin/run.sh", 0755).file("bin/release", 0755)
                .file("poetry.lock").file("package-lock.json").file("pyproject.toml")
                .file("README.md").file("LICENSE").file(".gitignore").file(".editorconfig")
                .file(".github/workflows/ci.yml").file("etc/app.conf").file("tmp/cache.txt")
                .file("lib/systemd_units.py").file("src/.bashrc").file("templates/etc/cron.d/job.j2")
                .file("id_rsa.pub").file("src/a..b.py")
                .change("src/old.py", "Deleted", "file", 0644, 0)
                .change("setup.py", "Modified", "file", 0644, 20)
                .change("scripts/build.sh", "MetadataChanged", "file", 0755, 0)
                .set("storage_quota_bytes", 1 << 20).set("inode_quota", 1000).set("exit_code", 0)
                .set("profile", Map.of("name", "code-assistant", "behavioral", Map.of("max_deletions", 10)));
        Decision d = decide1(in);
        assertThat(d.violations()).isEmpty();
        assertThat(d.warnings()).isEmpty();
        assertThat(d.allow()).isTrue();
    }

    @ParameterizedTest(name = "{0} blocked as {1}")
    @CsvSource(textBlock = """
        .ssh/authorized_keys,                                          sensitive-file
        home/dev/.ssh/config,                                          sensitive-file
        id_rsa,                                                        sensitive-file
        keys/id_ed25519,                                               sensitive-file
        certs/server.pem,                                              sensitive-file
        tls/server.key,                                                sensitive-file
        store.p12,                                                     sensitive-file
        .env,                                                          sensitive-file
        config/.env.production,                                        sensitive-file
        .git-credentials,                                              sensitive-file
        credentials.json,                                              sensitive-file
        deploy/github.token,                                           sensitive-file
        .aws/credentials,                                              sensitive-file
        .config/gcloud/application_default_credentials.json,           sensitive-file
        .kube/config,                                                  sensitive-file
        .docker/config.json,                                           sensitive-file
        .netrc,                                                        sensitive-file
        .pypirc,                                                       sensitive-file
        root/.npmrc,                                                   sensitive-file
        .bash_history,                                                 sensitive-file
        home/dev/.zsh_history,                                         sensitive-file
        .node_repl_history,                                            sensitive-file
        etc/cron.d/job,                                                persistence
        etc/crontab,                                                   persistence
        var/spool/cron/crontabs/root,                                  persistence
        etc/systemd/system/agent.service,                              persistence
        .config/systemd/user/agent.service,                            persistence
        home/dev/.config/autostart/agent.desktop,                      persistence
        etc/profile.d/agent.sh,                                        persistence
        etc/ld.so.preload,                                             persistence
        .bashrc,                                                       persistence
        .bash_profile,                                                 persistence
        .profile,                                                      persistence
        .zshrc,                                                        persistence
        home/dev/.bashrc,                                              persistence
        root/.profile,                                                 persistence
        .git/hooks/pre-commit,                                         persistence
        .git/config,                                                   persistence
        src/../../etc/passwd,                                          path-traversal
        ..,                                                            path-traversal
        /etc/passwd,                                                   path-absolute
        """)
    void pathRuleTriggers(String path, String rule) throws Exception {
        assertBlockedBy(Input.of().file(path), rule);
    }

    @ParameterizedTest(name = "{0} allowed")
    @CsvSource(textBlock = """
        id_rsa.pub
        src/keyboard.py
        src/token_utils.py
        docs/secrets-management.md
        src/.envrc.md
        pem/README.md
        bin/tool
        etc/app.conf
        etc/cron.md
        tmp/scratch
        src/.bashrc
        docs/home/dev/notes.md
        templates/etc/systemd/unit.j2
        src/git/hooks.py
        history.md
        src/a..b.py
        .github/workflows/ci.yml
        """)
    void ordinaryPathIsAllowed(String path) throws Exception {
        assertAllowed(Input.of().file(path));
    }

    @Test
    void deletingASensitiveOrPersistenceFileIsAllowed() throws Exception {
        assertAllowed(Input.of().change(".env", "Deleted", "file", 0644, 0).change("etc/cron.d/job", "Deleted", "file", 0644, 0));
    }

    @Test
    void modifyingASensitiveFileIsBlocked() throws Exception {
        assertBlockedBy(Input.of().change("home/dev/.ssh/id_ed25519", "MetadataChanged", "file", 0644, 0), "sensitive-file");
    }

    @Test
    void executableAddedWithSchedulerEntry() throws Exception {
        Decision d = decide1(Input.of().file("etc/cron.d/job").file("scripts/payload.sh", 0755));
        assertThat(d.violationRules()).containsExactly("persistence", "scheduled-executable");
        assertThat(d.violations()).anySatisfy(v -> assertThat(v.get("message"))
                .isEqualTo("scripts/payload.sh: executable added together with scheduler entry etc/cron.d/job"));
        // the same executable without a scheduler entry is just a script
        assertAllowed(Input.of().file("scripts/payload.sh", 0755));
        // a non-executable file beside a scheduler entry is only the entry's violation
        assertThat(decide1(Input.of().file("etc/cron.d/job").file("notes.txt")).violationRules()).containsExactly("persistence");
    }

    @Test
    void setuidAndSetgidFiles() throws Exception {
        assertBlockedBy(Input.of().file("bin/tool", 04755), "setuid-setgid");
        assertBlockedBy(Input.of().file("bin/tool", 02755), "setuid-setgid");
        assertBlockedBy(Input.of().change("bin/tool", "MetadataChanged", "file", 04755, 0), "setuid-setgid");
        Decision d = decide1(Input.of().file("bin/tool", 0755));
        assertThat(d.allow()).isTrue();
        Decision dir = decide1(Input.of().change("shared", "Added", "directory", 02775, 0));
        assertThat(dir.allow()).isTrue();
        assertThat(dir.warningRules()).containsExactly("setgid-directory");
    }

    @Test
    void worldWritableIsAWarningOnly() throws Exception {
        Decision d = decide1(Input.of().file("data/shared.txt", 0666));
        assertThat(d.allow()).isTrue();
        assertThat(d.warningRules()).containsExactly("world-writable");
        assertThat(decide1(Input.of().change("scratch", "Added", "directory", 01777, 0)).warnings()).isEmpty();
    }

    @Test
    void symlinksDeniedUnlessAllowed() throws Exception {
        assertBlockedBy(Input.of().symlink("lib/current", "lib/v2"), "symlink");
        Decision allowed = decide1(Input.of().symlink("lib/current", "v2").set("allow_symlinks", true));
        assertThat(allowed.allow()).isTrue();
        assertThat(allowed.warnings()).isEmpty();
        assertBlockedBy(Input.of().symlink("lib/current", "v2").set("allow_symlinks", false), "symlink");
    }

    @Test
    void symlinkEscapesAreDeniedEvenWhenSymlinksAreAllowed() throws Exception {
        assertBlockedBy(Input.of().symlink("passwd", "/etc/passwd").set("allow_symlinks", true), "symlink-escape");
        assertBlockedBy(Input.of().symlink("up", "../../etc").set("allow_symlinks", true), "symlink-escape");
        assertBlockedBy(Input.of().symlink("up", "..").set("allow_symlinks", true), "symlink-escape");
        assertAllowed(Input.of().symlink("lib/x", "a..b").set("allow_symlinks", true));
        Input noTarget = Input.of().change("lib/y", "Symlink", "symlink", 0777, 0).set("allow_symlinks", true);
        Decision d = decide1(noTarget);
        assertThat(d.violations()).extracting(v -> v.get("message")).containsExactly("lib/y: symlink without a readable target");
    }

    @Test
    void hardlinksAreDenied() throws Exception {
        assertBlockedBy(Input.of().hardlink("src/b.py", "src/a.py"), "hardlink");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
        CharDevice,  char_device
        BlockDevice, block_device
        Fifo,        fifo
        Added,       socket
        """)
    void specialFilesAreDenied(String kind, String type) throws Exception {
        Decision d = decide1(Input.of().change("dev/thing", kind, type, 0600, 0));
        assertThat(d.violationRules()).containsExactly("special-file");
        assertThat(d.allow()).isFalse();
    }

    @Test
    void nulInAPathIsDenied() throws Exception {
        assertBlockedBy(Input.of().file("src/a\u0000b.py"), "path-nul");
        assertBlockedBy(Input.of().file("src/a\\x00b.py"), "path-nul");
        assertAllowed(Input.of().file("src/a\\x01b.py"));
    }

    @Test
    void emptyPathIsDenied() throws Exception {
        assertBlockedBy(Input.of().file(""), "path-empty");
        assertAllowed(Input.of().file("e"));
    }

    @Test
    void storageQuota() throws Exception {
        assertBlockedBy(Input.of().change("big.bin", "Added", "file", 0644, 101).set("storage_quota_bytes", 100), "storage-quota");
        assertAllowed(Input.of().change("big.bin", "Added", "file", 0644, 100).set("storage_quota_bytes", 100));
        assertAllowed(Input.of().change("big.bin", "Added", "file", 0644, 1_000_000));
    }

    @Test
    void inodeQuota() throws Exception {
        assertBlockedBy(Input.of().file("a").file("b").file("c").set("inode_quota", 2), "inode-quota");
        assertAllowed(Input.of().file("a").file("b").change("c", "Deleted", "file", 0644, 0).set("inode_quota", 2));
    }

    @Test
    void changesetCeiling() throws Exception {
        assertBlockedBy(Input.of().file("a").set("total_bytes_changed", (1L << 30) + 1), "changeset-too-large");
        assertAllowed(Input.of().file("a").set("total_bytes_changed", 1L << 30));
        Decision claimed = decide1(Input.of().file("a").set("total_changes", 10_001));
        assertThat(claimed.violations()).extracting(v -> v.get("message"))
                .containsExactly("changeset has 10001 changes, more than 10000");
        assertThat(decide1(Input.of().file("a").set("total_changes", 10_000)).allow()).isTrue();
    }

    /** The ceiling counted from real entries; slow because the engine walks 10 001 changes through every rule. */
    @Test
    @Tag("slow")
    void changesetCeilingCountsTheEntries() throws Exception {
        Input many = Input.of();
        for (int i = 0; i <= 10_000; i++) many.file("gen/f" + i + ".txt");
        Decision d = decide1(many);
        assertThat(d.violationRules()).containsExactly("changeset-too-large");
    }

    @Test
    void massDeletionAgainstTheProfileLimit() throws Exception {
        Input in = Input.of().change("a", "Deleted", "file", 0644, 0).change("b", "Deleted", "file", 0644, 0)
                .change("d", "Deleted", "directory", 0755, 0);
        assertBlockedBy(in.set("profile", Map.of("behavioral", Map.of("max_deletions", 1))), "mass-deletion");
        Input ok = Input.of().change("a", "Deleted", "file", 0644, 0).change("b", "Deleted", "file", 0644, 0)
                .set("profile", Map.of("behavioral", Map.of("max_deletions", 2)));
        assertAllowed(ok);
    }

    @Test
    void projectNpmrcAndFailedAgentAreWarnings() throws Exception {
        Decision d = decide1(Input.of().file(".npmrc").set("exit_code", 3));
        assertThat(d.allow()).isTrue();
        assertThat(d.warningRules()).containsExactly("agent-failed", "npmrc-review");
    }

    @Test
    void messagesNameThePathAndTheProblem() throws Exception {
        Decision d = decide1(Input.of().file(".aws/credentials").file("bin/su", 04755));
        assertThat(d.violations()).extracting(v -> v.get("message")).containsExactlyInAnyOrder(
                ".aws/credentials: AWS credentials, credentials file must not be committed",
                "bin/su: setuid/setgid bit set (mode 4755)");
        assertThat(d.violations()).extracting(v -> v.get("severity")).containsOnly("critical");
    }

    @Test
    void oneQueryGivesTheWholeDecision() throws Exception {
        Input in = Input.of().file(".env").file(".npmrc");
        Object decision = org.lobstertrap.puzzlepod.rego.value.Json.toJava(
                policy.evaluate("data.puzzlepod.commit.decision", in.value(), CommitPolicyFixture.STRICT));
        assertThat(decision).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) decision;
        assertThat(m.get("allow")).isEqualTo(false);
        assertThat((List<?>) m.get("violations")).hasSize(1);
        assertThat((List<?>) m.get("warnings")).hasSize(1);
    }
}
