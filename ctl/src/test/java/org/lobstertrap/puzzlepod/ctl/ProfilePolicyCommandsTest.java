package org.lobstertrap.puzzlepod.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lobstertrap.puzzlepod.ctl.BranchCommandsTest.DECISION_REJECTED;
import static org.lobstertrap.puzzlepod.ctl.BranchCommandsTest.decision;
import static org.lobstertrap.puzzlepod.ctl.BranchCommandsTest.pretty;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lobstertrap.puzzlepod.ctl.StandInBus.Run;
import org.lobstertrap.puzzlepod.ctl.StandInManager.Call;

/** {@code puzzlectl profile …} and {@code policy …} against a stand-in puzzled on a real private bus. */
class ProfilePolicyCommandsTest {
    @TempDir static Path dir;
    static StandInBus bus;

    static final String CHANGESET = "{\"changes\":[{\"path\":\".ssh/id_rsa\",\"kind\":\"Added\",\"size\":1675}]}";

    @BeforeAll static void startBus() throws Exception { bus = new StandInBus(dir.resolve("bus")); }

    @AfterAll static void stopBus() { bus.close(); }

    @BeforeEach void reset() { bus.manager.reset(); }

    @Test
    void profileListIsATable() throws Exception {
        String answer = """
                {"profiles":[{"name":"standard","description":"Default agent profile","extends":null},
                             {"name":"ci-runner","description":"CI jobs","extends":"standard"}]}""";
        bus.manager.answer("ListProfiles", answer);
        Run r = bus.run("profile", "list");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                NAME       EXTENDS   DESCRIPTION
                standard   -         Default agent profile
                ci-runner  standard  CI jobs
                """);
        assertThat(bus.run("-o", "json", "profile", "list").out()).isEqualTo(pretty(answer));
        assertThat(bus.manager.calls()).containsExactly(Call.of("ListProfiles"), Call.of("ListProfiles"));
    }

    @Test
    void profileShowIsYamlAsText() throws Exception {
        String answer = "{\"name\":\"standard\",\"extends\":null,\"filesystem\":{\"read_only\":[\"/usr\",\"/etc\"]},\"limits\":{\"max_files\":500}}";
        bus.manager.answer("ShowProfile", answer);
        Run r = bus.run("profile", "show", "standard");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("ShowProfile", "standard"));
        assertThat(r.out()).isEqualTo("""
                name: standard
                extends: null
                filesystem:
                  read_only:
                  - /usr
                  - /etc
                limits:
                  max_files: 500
                """);
        assertThat(bus.run("profile", "show", "standard", "-o", "json").out()).isEqualTo(pretty(answer));
    }

    @Test
    void profileValidateSendsTheFileAndExitsOneWhenInvalid() throws Exception {
        String yaml = "name: mine\nextends: standard\nlimits:\n  max_files: -1\n";
        Path file = Files.writeString(dir.resolve("mine.yaml"), yaml);
        bus.manager.answer("ValidateProfile", "{\"valid\":false,\"name\":\"mine\",\"errors\":[\"limits.max_files: must be at least 1\",\"unknown key: colour\"]}");
        Run bad = bus.run("profile", "validate", file.toString());
        assertThat(bad.exit()).isEqualTo(ExitCodes.REJECTED);
        assertThat(bad.out()).isEqualTo("invalid: profile mine\n  limits.max_files: must be at least 1\n  unknown key: colour\n");
        assertThat(bus.manager.calls()).containsExactly(Call.of("ValidateProfile", yaml));

        bus.manager.answer("ValidateProfile", "{\"valid\":true,\"name\":\"mine\",\"errors\":[]}");
        Run good = bus.runWithStdin(yaml, "profile", "validate", "-");
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(good.out()).isEqualTo("valid: profile mine\n");
        Run goodJson = bus.run("-o", "json", "profile", "validate", file.toString());
        assertThat(goodJson.out()).isEqualTo(pretty("{\"valid\":true,\"name\":\"mine\",\"errors\":[]}"));
        assertThat(bus.manager.calls()).hasSize(3).allMatch(c -> c.args().equals(java.util.List.of(yaml)));
    }

    @Test
    void anUnreadableOrHugeProfileIsAUsageErrorAndNothingIsSent() throws Exception {
        Run missing = bus.run("profile", "validate", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).isEqualTo("puzzlectl: cannot read profile " + dir.resolve("nope.yaml") + ": no such file\n");
        Path huge = Files.writeString(dir.resolve("huge.yaml"), "x".repeat(256 * 1024 + 1));
        Run tooBig = bus.run("profile", "validate", huge.toString());
        assertThat(tooBig.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooBig.err()).contains("is larger than the daemon accepts (256.0 KiB)");
        Path binary = Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThat(bus.run("profile", "validate", binary.toString()).err()).contains("is not UTF-8 text");
        assertThat(bus.manager.calls()).isEmpty();
    }

    @Test
    void profileTestExitsNonZeroWhenRejected() throws Exception {
        Path cs = Files.writeString(dir.resolve("cs.json"), CHANGESET);
        bus.manager.answer("TestPolicy", DECISION_REJECTED);
        Run r = bus.run("profile", "test", "standard", cs.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.REJECTED);
        assertThat(bus.manager.calls()).containsExactly(Call.of("TestPolicy", CHANGESET, "standard"));
        assertThat(r.out()).startsWith("outcome: rejected (allow: false)\n")
                .contains("\n  error  no-secrets: .ssh/id_rsa is a private key\n");

        bus.manager.answer("TestPolicy", decision("committed", true));
        Run ok = bus.run("profile", "test", "standard", cs.toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("outcome: committed (allow: true)\n");
    }

    @Test
    void policyTestWithAndWithoutProfile() throws Exception {
        Path cs = Files.writeString(dir.resolve("cs2.json"), CHANGESET);
        bus.manager.answer("TestPolicy", DECISION_REJECTED);
        Run r = bus.run("policy", "test", cs.toString(), "-o", "json");
        assertThat(r.exit()).isEqualTo(ExitCodes.REJECTED);
        assertThat(r.out()).isEqualTo(pretty(DECISION_REJECTED));
        bus.manager.answer("TestPolicy", decision("committed", true));
        Run ok = bus.runWithStdin(CHANGESET, "policy", "test", "-", "--profile", "ci-runner");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(bus.manager.calls()).containsExactly(Call.of("TestPolicy", CHANGESET, "standard"),
                Call.of("TestPolicy", CHANGESET, "ci-runner"));
    }

    @Test
    void aChangesetThatIsNotAJsonObjectIsAUsageError() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"changes\": [\n  {\"path\": }]}");
        Run r = bus.run("policy", "test", broken.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("puzzlectl: changeset " + broken + " is not JSON: ").contains("(line 2, column ");
        Path array = Files.writeString(dir.resolve("array.json"), "[]");
        assertThat(bus.run("profile", "test", "standard", array.toString()).err())
                .contains("must hold a JSON object (a diff, or {\"changes\": [...]})");
        assertThat(bus.manager.calls()).isEmpty();
    }

    @Test
    void policyReloadSummarises() throws Exception {
        String answer = "{\"policy_digest\":\"sha256:9f\",\"modules\":[\"puzzlepod.commit\",\"puzzlepod.secrets\"],\"profiles\":21}";
        bus.manager.answer("ReloadPolicy", answer);
        Run r = bus.run("policy", "reload");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                policy reloaded: digest sha256:9f
                modules (2): puzzlepod.commit, puzzlepod.secrets
                profiles: 21
                """);
        assertThat(bus.run("policy", "reload", "-o", "json").out()).isEqualTo(pretty(answer));
        assertThat(bus.manager.calls()).containsExactly(Call.of("ReloadPolicy"), Call.of("ReloadPolicy"));
    }
}
