package org.lobstertrap.puzzlepod.podman;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code puzzle-podman agent …} against a stand-in puzzled on a real private bus. */
class AgentCommandTest {
    @TempDir Path dir;

    private int agent(StandInBus b, String... args) {
        b.out.reset();
        b.err.reset();
        List<String> all = new java.util.ArrayList<>(List.of("agent"));
        all.addAll(List.of(args));
        all.add("--bus=" + b.address());
        return b.run(dir, List.of("podman"), null, all);
    }

    @Test
    void listInspectDiffInTextAndJson() throws Exception {
        try (StandInBus b = StandInBus.start(dir, true)) {
            b.manager.CreateBranch("standard", "/srv/p", "{\"on_exit\":\"hold\"}");
            Files.writeString(b.manager.upper("b1").resolve("a.txt"), "hello");

            assertThat(agent(b, "list")).as(b.err()).isZero();
            assertThat(b.out()).contains("ID", "STATE", "b1", "ready", "standard", "/srv/p");

            assertThat(agent(b, "list", "--state", "ready", "--json")).isZero();
            assertThat(TestJson.MAPPER.readTree(b.out()).path("branches").get(0).path("id").asText()).isEqualTo("b1");
            assertThat(b.manager.calls).contains("ListBranches {\"state\":\"ready\"}");

            assertThat(agent(b, "inspect", "b1")).isZero();
            assertThat(b.out()).contains("id:             b1", "on_exit:        hold");

            assertThat(agent(b, "diff", "b1")).isZero();
            assertThat(b.out()).contains("Added           a.txt  5 bytes", "1 change, 5 bytes: 1 Added");

            assertThat(agent(b, "diff", "b1", "--json")).isZero();
            assertThat(TestJson.MAPPER.readTree(b.out()).path("summary").path("changes").asInt()).isEqualTo(1);
        }
    }

    @Test
    void approveAndReject() throws Exception {
        try (StandInBus b = StandInBus.start(dir, true)) {
            b.manager.CreateBranch("standard", "/srv/p", "");
            assertThat(agent(b, "approve", "b1")).as("not review-pending").isEqualTo(ExitCodes.DAEMON_ERROR);
            assertThat(b.err()).contains("is not review-pending");

            b.manager.branches.get("b1").put("state", "review-pending");
            assertThat(agent(b, "approve", "b1", "--comment", "fine")).as(b.err()).isZero();
            assertThat(b.out()).contains("committed branch b1");
            assertThat(b.manager.calls).contains("ApproveBranch b1 fine");

            assertThat(agent(b, "reject", "b1", "--reason=too big")).isZero();
            assertThat(b.out()).contains("branch b1 rolled back: review rejected: too big");

            assertThat(agent(b, "reject", "b1", "--json")).isZero();
            assertThat(TestJson.MAPPER.readTree(b.out()).path("outcome").asText()).isEqualTo("rolled-back");
        }
    }

    @Test
    void errorsAndUsage() throws Exception {
        try (StandInBus b = StandInBus.start(dir, true)) {
            assertThat(agent(b, "inspect", "missing")).isEqualTo(ExitCodes.DAEMON_ERROR);
            assertThat(b.err()).contains("no branch missing");
            assertThat(agent(b, "inspect")).isEqualTo(ExitCodes.USAGE);
            assertThat(b.err()).contains("takes one branch ID");
            assertThat(agent(b, "frobnicate", "x")).isEqualTo(ExitCodes.USAGE);
            assertThat(agent(b, "diff", "b1", "--comment", "x")).isEqualTo(ExitCodes.USAGE);
            assertThat(b.err()).contains("agent diff has no option --comment");
        }
        try (StandInBus b = StandInBus.start(dir.resolve("empty"), false)) {
            assertThat(agent(b, "list")).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(b.err()).contains("puzzled is not reachable");
        }
    }
}
