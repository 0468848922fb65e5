package org.lobstertrap.puzzlepod.daemon.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonConfigTest {
    private static final Map<String, String> USER_ENV = Map.of("HOME", "/home/ann", "XDG_RUNTIME_DIR", "/run/user/1000");

    @TempDir
    Path tmp;

    private DaemonConfig parse(String yaml) throws ConfigException {
        return DaemonConfigLoader.parse(yaml, "test.yaml", DaemonConfig.defaults(0, Map.of()));
    }

    private ConfigException failure(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    @Test
    void rootDefaultsUseSystemLocationsAndSystemBus() throws Exception {
        DaemonConfig c = DaemonConfig.defaults(0, Map.of("HOME", "/root", "XDG_CONFIG_HOME", "/root/.cfg"));
        assertThat(c.branchRoot()).isEqualTo(Path.of("/var/lib/puzzled/branches"));
        assertThat(c.profilesDir()).isEqualTo(Path.of("/etc/puzzled/profiles"));
        assertThat(c.policiesDir()).isEqualTo(Path.of("/etc/puzzled/policies"));
        assertThat(c.runtimeDir()).isEqualTo(Path.of("/run/puzzled"));
        assertThat(c.auditDir()).isEqualTo(Path.of("/var/lib/puzzled/audit"));
        assertThat(c.bus()).isEqualTo(BusKind.SYSTEM);
        assertThat(c.maxBranches()).isEqualTo(64);
        assertThat(c.commitTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.review()).isEqualTo(new ReviewConfig(false, Duration.ofHours(1)));
        assertThat(c.branchLifetime()).isEqualTo(Duration.ofHours(24));
        assertThat(c.evalDeadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.evalStepBudget()).isEqualTo(10_000_000L);
        assertThat(DaemonConfig.defaultFile(0, Map.of())).isEqualTo(Path.of("/etc/puzzled/puzzled.yaml"));
    }

    @Test
    void userDefaultsFollowXdgVariables() throws Exception {
        DaemonConfig c = DaemonConfig.defaults(1000, Map.of("HOME", "/home/ann", "XDG_CONFIG_HOME", "/cfg",
                "XDG_DATA_HOME", "/data", "XDG_RUNTIME_DIR", "/run/user/1000"));
        assertThat(c.branchRoot()).isEqualTo(Path.of("/data/puzzled/branches"));
        assertThat(c.profilesDir()).isEqualTo(Path.of("/cfg/puzzled/profiles"));
        assertThat(c.policiesDir()).isEqualTo(Path.of("/cfg/puzzled/policies"));
        assertThat(c.runtimeDir()).isEqualTo(Path.of("/run/user/1000/puzzled"));
        assertThat(c.auditDir()).isEqualTo(Path.of("/data/puzzled/audit"));
        assertThat(c.bus()).isEqualTo(BusKind.SESSION);
        assertThat(DaemonConfig.defaultFile(1000, Map.of("XDG_CONFIG_HOME", "/cfg"))).isEqualTo(Path.of("/cfg/puzzled/puzzled.yaml"));
    }

    @Test
    void userDefaultsFallBackToHomeAndIgnoreRelativeXdgValues() throws Exception {
        DaemonConfig c = DaemonConfig.defaults(1000, Map.of("HOME", "/home/ann", "XDG_CONFIG_HOME", "relative/cfg"));
        assertThat(c.profilesDir()).isEqualTo(Path.of("/home/ann/.config/puzzled/profiles"));
        assertThat(c.branchRoot()).isEqualTo(Path.of("/home/ann/.local/share/puzzled/branches"));
        assertThat(c.runtimeDir()).isEqualTo(Path.of("/run/user/1000/puzzled"));
    }

    @Test
    void userDefaultsWithoutHomeAreAClearError() {
        assertThatThrownBy(() -> DaemonConfig.defaults(1000, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("XDG_CONFIG_HOME").hasMessageContaining("HOME");
    }

    @Test
    void shippedExampleLoadsAndEqualsTheRootDefaults() throws Exception {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/puzzled.example.yaml")) {
            assertThat(in).as("puzzled.example.yaml on the class path").isNotNull();
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = tmp.resolve("puzzled.yaml");
        Files.writeString(file, yaml);
        assertThat(DaemonConfigLoader.load(file, 0, Map.of())).isEqualTo(DaemonConfig.defaults(0, Map.of()));
        // The same file overrides every location of a user's defaults.
        assertThat(DaemonConfigLoader.load(file, 1000, USER_ENV).bus()).isEqualTo(BusKind.SYSTEM);
    }

    @Test
    void everyKeyIsRead() throws Exception {
        DaemonConfig c = parse("""
                branch_root: /srv/b/
                profiles_dir: /srv/p
                policies_dir: /srv/pol
                runtime_dir: /run/x
                audit_dir: /srv/audit
                bus: session
                max_branches: 7
                commit_timeout: 30s
                review:
                  enabled: true
                  timeout: 2d
                branch_lifetime: 90m
                eval_deadline: 250ms
                eval_step_budget: 5000
                network:
                  proxy_port: 0
                  dns_port: 5353
                """);
        assertThat(c).isEqualTo(new DaemonConfig(Path.of("/srv/b"), Path.of("/srv/p"), Path.of("/srv/pol"), Path.of("/run/x"),
                Path.of("/srv/audit"), BusKind.SESSION, 7, Duration.ofSeconds(30), new ReviewConfig(true, Duration.ofDays(2)),
                Duration.ofMinutes(90), Duration.ofMillis(250), 5000, new NetworkConfig(0, 5353)));
    }

    @Test
    void emptyFileAndPartialFileKeepDefaults() throws Exception {
        assertThat(parse("")).isEqualTo(DaemonConfig.defaults(0, Map.of()));
        assertThat(parse("# only a comment\n")).isEqualTo(DaemonConfig.defaults(0, Map.of()));
        DaemonConfig c = parse("review:\n  enabled: true\n");
        assertThat(c.review()).isEqualTo(new ReviewConfig(true, Duration.ofHours(1)));
        assertThat(c.maxBranches()).isEqualTo(64);
    }

    @Test
    void unknownTopLevelKeyNamesKeyAndFile() throws Exception {
        Path file = tmp.resolve("puzzled.yaml");
        Files.writeString(file, "max_branches: 3\nbranch_rooot: /x\n");
        assertThatThrownBy(() -> DaemonConfigLoader.load(file, 0, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.code()).isEqualTo(ConfigException.Code.UNKNOWN_KEY);
                    assertThat(e.key()).isEqualTo("branch_rooot");
                })
                .hasMessageContaining(file.toString())
                .hasMessageContaining("\"branch_rooot\"")
                .hasMessageContaining("branch_root");
    }

    @Test
    void unknownNestedKeyIsNamedWithItsPath() {
        ConfigException e = failure("review:\n  enabled: true\n  timout: 5m\n");
        assertThat(e.code()).isEqualTo(ConfigException.Code.UNKNOWN_KEY);
        assertThat(e.key()).isEqualTo("review.timout");
        assertThat(e.getMessage()).contains("test.yaml", "review.timout");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "branch_root     | 'branch_root: var/lib'            | NOT_ABSOLUTE | absolute path",
            "profiles_dir    | 'profiles_dir: ~/profiles'        | NOT_ABSOLUTE | ~ is not expanded",
            "policies_dir    | 'policies_dir: policies'          | NOT_ABSOLUTE | absolute path",
            "runtime_dir     | 'runtime_dir: run'                | NOT_ABSOLUTE | absolute path",
            "audit_dir       | 'audit_dir: \"\"'                 | BAD_VALUE    | is empty",
            "bus             | 'bus: both'                       | BAD_VALUE    | system or session",
            "max_branches    | 'max_branches: 0'                 | OUT_OF_RANGE | between 1 and 4096",
            "max_branches    | 'max_branches: 5000'              | OUT_OF_RANGE | between 1 and 4096",
            "max_branches    | 'max_branches: many'              | BAD_VALUE    | bad value",
            "max_branches    | 'max_branches: 1.5'               | BAD_VALUE    | bad value",
            "commit_timeout  | 'commit_timeout: 5 minutes'       | BAD_VALUE    | not a duration",
            "commit_timeout  | 'commit_timeout: 500ms'           | OUT_OF_RANGE | between 1s and 1h",
            "commit_timeout  | 'commit_timeout: 2h'              | OUT_OF_RANGE | between 1s and 1h",
            "review.timeout  | 'review: {timeout: 500ms}'        | OUT_OF_RANGE | between 1s and 7d",
            "review.timeout  | 'review: {timeout: 8d}'           | OUT_OF_RANGE | between 1s and 7d",
            "review.enabled  | 'review: {enabled: maybe}'        | BAD_VALUE    | bad value",
            "branch_lifetime | 'branch_lifetime: 31d'            | OUT_OF_RANGE | between 1m and 30d",
            "branch_lifetime | 'branch_lifetime: -1h'            | BAD_VALUE    | not a duration",
            "eval_deadline   | 'eval_deadline: 5ms'              | OUT_OF_RANGE | between 10ms and 5m",
            "eval_deadline   | 'eval_deadline: 6m'               | OUT_OF_RANGE | between 10ms and 5m",
            "eval_step_budget| 'eval_step_budget: 999'           | OUT_OF_RANGE | between 1000 and 10000000000",
            "eval_step_budget| 'eval_step_budget: 10000000001'   | OUT_OF_RANGE | between 1000 and 10000000000",
            "max_branches    | 'max_branches:'                   | BAD_VALUE    | has no value",
            "review          | 'review: yes'                     | BAD_VALUE    | bad value",
    })
    void invalidValuesAreRejectedNamingTheKey(String key, String yaml, ConfigException.Code code, String text) {
        ConfigException e = failure(yaml);
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).contains("test.yaml", key, text);
    }

    @Test
    void malformedYamlAndDuplicateKeysAreSyntaxErrors() {
        assertThat(failure("max_branches: [1,\n").code()).isEqualTo(ConfigException.Code.SYNTAX);
        assertThat(failure("- a\n- b\n").getMessage()).contains("top level must be a mapping");
        ConfigException dup = failure("max_branches: 3\nmax_branches: 4\n");
        assertThat(dup.code()).isEqualTo(ConfigException.Code.SYNTAX);
        assertThat(dup.getMessage()).contains("test.yaml", "max_branches");
    }

    @Test
    void missingFileIsAClearError() {
        Path absent = tmp.resolve("nope.yaml");
        assertThatThrownBy(() -> DaemonConfigLoader.load(absent, 0, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.code()).isEqualTo(ConfigException.Code.IO))
                .hasMessageContaining(absent.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void durationsParseAndFormat() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("15ms")).isEqualTo(Duration.ofMillis(15));
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofMillis(10))).isEqualTo("10ms");
        assertThatThrownBy(() -> Durations.parse("1.5h")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("not a duration");
    }
}
